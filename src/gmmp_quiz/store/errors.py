"""The progress store's errors, each shown to the user as a message."""

from __future__ import annotations

from gmmp_quiz.errors import UserError


class StoreError(UserError):
    """A problem with the progress store, shown to the user as a message."""


class StoreLockedError(StoreError):
    """Another gmmp-quiz has this profile open."""


class StoreWriteError(StoreError):
    """A change could not be saved (disk full, permission denied...); nothing older was lost."""


class StoreVersionError(StoreError):
    """The store was written by a newer gmmp-quiz."""


class UnknownRecordError(StoreError):
    """No such answer or session, or an answer that can no longer be undone."""
