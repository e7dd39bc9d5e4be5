"""The project's own exceptions: caught once at the edge (CLI or UI) and shown as messages."""

from __future__ import annotations

from dataclasses import dataclass


class QuizError(Exception):
    """Base of every error the project raises on purpose."""


class UserError(QuizError):
    """Bad input from the user: the CLI prints the message and exits with status 1."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a file, at a 1-based line and column (0 when unknown)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}: {self.message}"
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"


class ValidationError(UserError):
    """A question set (or an imported file) has problems; `problems` lists all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
