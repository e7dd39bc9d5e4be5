"""Learner settings kept in the progress store: their names, defaults, checks and descriptions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from gmmp_quiz.errors import UserError
from gmmp_quiz.i18n import N_, _


@dataclass(frozen=True)
class Setting:
    """One setting: its type, default and what it does."""

    name: str
    kind: type
    default: Any
    help: str
    """What it does, in English (marked for the catalogues: shown through `_`)."""
    low: float | None = None
    high: float | None = None


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "retention",
            float,
            0.9,
            N_("desired retention for spaced repetition (FSRS), between 0.70 and 0.99"),
            0.7,
            0.99,
        ),
        Setting(
            "new_per_day",
            int,
            20,
            N_("new questions introduced per day in Review due (0 for none)"),
            0,
            10_000,
        ),
        Setting(
            "requeue",
            bool,
            True,
            N_("questions answered wrong come back later in the same session"),
        ),
    )
}

_TRUE = {"true", "yes", "on", "1", "oui", "vrai"}
_FALSE = {"false", "no", "off", "0", "non", "faux"}


def value(store: Any, name: str) -> Any:
    """The setting's value in the store, or its default when unset or out of range."""
    setting = SETTINGS[name]
    raw = store.get_setting(name, setting.default) if store is not None else setting.default
    try:
        return check(setting, raw)
    except UserError:
        return setting.default


def check(setting: Setting, raw: Any) -> Any:
    """A stored or typed value converted to the setting's type and checked against its range."""
    if setting.kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise UserError(
            _("{setting.name} must be true or false, not {raw!r}").format(setting=setting, raw=raw)
        )
    try:
        number = setting.kind(str(raw).strip().replace(",", ".")) if isinstance(raw, str) else raw
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ValueError
        if isinstance(number, float) and not math.isfinite(number):
            raise ValueError
        number = setting.kind(number)
    except (TypeError, ValueError, OverflowError):
        raise UserError(
            _("{setting.name} must be a number, not {raw!r}").format(setting=setting, raw=raw)
        ) from None
    if (setting.low is not None and number < setting.low) or (
        setting.high is not None and number > setting.high
    ):
        raise UserError(
            _("{setting.name} must be between {setting.low:g} and {setting.high:g}").format(
                setting=setting
            )
        )
    return number


def parse(name: str, text: str) -> Any:
    """A value typed by the user for setting `name`."""
    if name not in SETTINGS:
        raise UserError(
            _("unknown setting {name!r} (one of: {names})").format(
                name=name, names=", ".join(SETTINGS)
            )
        )
    return check(SETTINGS[name], text)
