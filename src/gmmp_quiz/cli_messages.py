"""argparse's own messages, marked so that `pybabel extract` puts them in the catalogues.

argparse translates them with gettext; `i18n.use_lang` points it at this project's catalogue.
The texts must stay exactly argparse's (Python 3.11 and later).
"""

from __future__ import annotations

from gmmp_quiz.i18n import N_, NN_

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("can't open '%(filename)s': %(error)s"),
)
# Marked with NN_ (singular, plural) for extraction; argparse asks for it with ngettext.
ARGPARSE_PLURALS = (NN_("expected %s argument", "expected %s arguments"),)
