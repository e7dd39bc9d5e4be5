"""Run the command line with `python -m gmmp_quiz`."""

from gmmp_quiz.cli import main

raise SystemExit(main())
