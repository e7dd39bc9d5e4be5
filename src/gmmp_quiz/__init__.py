"""gmmp-quiz: a terminal quiz and flashcard app."""

__version__ = "0.1.0"
