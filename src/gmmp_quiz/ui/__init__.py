"""Textual user interface of gmmp-quiz: thin, gets its services through constructors."""
