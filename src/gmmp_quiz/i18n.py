"""Interface strings and their translations (gettext catalogues), and the interface language.

Every shown string is written in English in the code, marked for `pybabel extract` (`_`,
`ngettext`, `N_`, `NP_`), and translated through the catalogues in `gmmp_quiz/locale`; French
text is then typeset the French way. docs/translating.md tells how to add a language.
"""

from __future__ import annotations

import argparse
import gettext
import io
import locale
import os
import re
import struct
import zlib
from datetime import datetime
from importlib import resources

from gmmp_quiz import msgfmt

LANGS = ("fr", "en")
DOMAIN = "gmmp_quiz"

# A message as marked in the code: its English text, or (context, English text) when one English
# text needs two translations (pgettext).
Msg = str | tuple[str, str]


def N_(message: str) -> str:
    """Mark `message` for extraction; it is translated where it is shown."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Mark `message` in `context` for extraction; it is translated where it is shown."""
    return (context, message)


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural for extraction; `nt` or `ngettext` chooses the form."""
    return (singular, plural)


_CATALOGUES: dict[str, gettext.NullTranslations] = {}


def catalogue(lang: str) -> gettext.NullTranslations:
    """The translations into `lang`: its compiled catalogue, compiled from its .po when the .mo
    was not built (a source checkout), or none (English as written)."""
    found = _CATALOGUES.get(lang)
    if found is not None:
        return found
    folder = resources.files("gmmp_quiz") / "locale" / lang / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.is_file():
        found = gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    elif po.is_file():
        found = _from_po(po.read_bytes(), lang)
    else:
        found = gettext.NullTranslations()
    _CATALOGUES[lang] = found
    return found


def _from_po(po: bytes, lang: str) -> gettext.GNUTranslations:
    """The translations of a .po (a source checkout), compiled once into the cache: compiling
    takes some 20 ms, at every start otherwise."""
    from gmmp_quiz import paths

    # Two 32-bit checksums of the .po name its compiled form: zlib is loaded at start already,
    # where hashlib would cost the first frame 2 ms for this alone.
    digest = f"{zlib.crc32(po):08x}{zlib.adler32(po):08x}"
    cached = paths.cache_dir() / "catalogues" / f"{lang}-{digest}.mo"
    try:
        return gettext.GNUTranslations(io.BytesIO(cached.read_bytes()))
    except (OSError, ValueError, LookupError, struct.error):
        pass  # missing or damaged: compiled again
    compiled = msgfmt.compile_po(po.decode("utf-8"))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a start reading it meanwhile never sees half of it.
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        tmp.write_bytes(compiled)
        os.replace(tmp, cached)
    except OSError:
        pass  # a read-only cache: compiled again next time
    return gettext.GNUTranslations(io.BytesIO(compiled))


def translate(message: Msg, lang: str) -> str:
    """`message` in `lang` (as written when the catalogue lacks it), typeset for `lang`."""
    return typeset(lookup(message, lang), lang)


def english(message: Msg) -> str:
    """The English text of a marked message."""
    return message[1] if isinstance(message, tuple) else message


# The language of the command line's messages (argparse's and ours), set once the arguments
# have been looked at; English until then.
_current = "en"


def use_lang(lang: str) -> None:
    """Make `lang` the language of `_`, `ngettext` and argparse's own messages."""
    global _current
    _current = lang
    # argparse translates its own messages with the gettext functions it imported: point them
    # at this catalogue, which holds their French (see cli_messages.py).
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def current_lang() -> str:
    """The language chosen with `use_lang`."""
    return _current


def _(message: str) -> str:
    """`message` in the command line's language."""
    return translate(message, _current)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the command line's language."""
    return typeset(catalogue(_current).ngettext(singular, plural, n), _current)


def nt(singular: str, plural: str, count: int, lang: str, **values: object) -> str:
    """The form for `count` in `lang`, formatted with `values` (`n`: the count unless given),
    typeset."""
    text = catalogue(lang).ngettext(singular, plural, count).format(**{"n": count, **values})
    return typeset(text, lang)


STRINGS: dict[str, str | tuple[str, str]] = {
    "app_title": N_("gmmp-quiz"),
    "sets": N_("Question sets"),
    "no_sets": NP_("no_sets", "No question sets found."),
    "questions_n": N_("{n} questions"),
    "question_one": N_("1 question"),
    "mastered": N_("mastered"),
    "due": N_("due"),
    "missed": NP_("missed", "missed"),
    "source": N_("Source"),
    "mode_quiz": N_("Quiz"),
    "mode_due": N_("Review due"),
    "mode_missed": N_("Retry missed"),
    "count_10": N_("10 questions"),
    "count_20": N_("20 questions"),
    "count_all": N_("All"),
    "start": N_("Start"),
    "help": N_("Help"),
    "close": N_("Close"),
    "quit": N_("Quit"),
    "skip": N_("Skip"),
    "multi_none": N_("Tick at least one answer, or skip the question."),
    "leave": N_("Leave"),
    "submit": N_("Submit"),
    "next": N_("Next"),
    "flip": N_("Flip"),
    "i_was_right": N_("I was right"),
    "undo": N_("Undo"),
    "move_up": N_("Move up"),
    "move_down": N_("Move down"),
    "score": N_("Score"),
    "right": N_("✓ Right"),
    "partial": N_("≈ Partly right"),
    "wrong": N_("✗ Wrong"),
    "skipped": N_("Skipped"),
    "skipped_n": NP_("skipped_n", "Skipped"),
    "your_answer": N_("Your answer"),
    "right_answer": N_("Right answer"),
    "typo": N_("Accepted with a typo"),
    "overridden": N_("Recorded as right (“I was right”)."),
    "undone": N_("Answer undone: asked again."),
    "explanation": N_("Explanation"),
    "background": N_("Good to know"),
    "again_later": N_("This question will come back later."),
    "summary": N_("Summary"),
    "time": N_("Time"),
    "by_tag": N_("By topic"),
    "missed_questions": N_("Missed questions"),
    "none_missed": N_("Nothing missed: well done!"),
    "retry_missed": N_("Retry missed"),
    "home": N_("Home"),
    "confirm_leave": N_("Leave this quiz? The answers given are saved."),
    "yes": N_("Yes"),
    "no": N_("No"),
    "true": N_("True"),
    "false": N_("False"),
    "again": N_("Again"),
    "hard": N_("Hard"),
    "good": N_("Good"),
    "easy": N_("Easy"),
    "rate_hint": N_("Rate yourself: 1-4"),
    "flip_hint": N_("Space flips the card"),
    "type_answer": N_("Type your answer"),
    "fill_gaps": N_("Fill in the gaps."),
    "type_number": N_("Type a number"),
    "gap": N_("Gap {n}"),
    "order_hint": N_("↑/↓ select, Shift+↑/↓ or k/j move, Enter submits"),
    "match_hint": N_("A digit picks on the left, a letter on the right; Enter submits"),
    "multi_hint": N_("Digits or Space toggle, Enter submits"),
    "choice_hint": N_("A digit or Enter answers"),
    "tf_hint": N_("t = true, f = false (or 1/2)"),
    "continue_hint": N_("Enter or Space: continue"),
    "choose_first": N_("Choose first: a digit, or ↑/↓ then Enter."),
    "order_untouched": N_("Put the items in order first (Shift+↑/↓ or k/j), then Enter."),
    "match_none": N_("Make at least one pair (a digit, then a letter), or skip the question."),
    "tick": N_("Tick"),
    "one_of": N_("one of"),
    "rate": N_("Rate"),
    "more": N_("More"),
    "more_below": N_("↓ More below: PgDn or ↓"),
    "rated": N_("Your rating"),
    "your_order": N_("Your order"),
    "your_pairs": N_("Your pairs"),
    "your_gaps": N_("Your gaps"),
    "should_be": N_("should be"),
    "ticked_wrong": N_("ticked, wrong"),
    "not_ticked": NP_("not_ticked", "missed"),
    "score_means": N_("(mean of your answers, partly right counts in part)"),
    "first_try": N_("Right at the first try"),
    "n_of_total": N_("{n} of {total}"),
    "relearned": N_("Missed at first, right later: {n}"),
    "missed_means": N_("(latest answer not right)"),
    "mastered_means": N_(
        "Mastered: right, and spaced repetition expects you to remember it for three weeks or "
        "more. It takes right answers spread over several days."
    ),
    "learning_n": N_("{n} learning"),
    "rate_hint_flipped": N_("Rate yourself: 1 again · 2 hard · 3 good · 4 easy"),
    "verdict_again": N_("↺ Again"),
    "verdict_hard": N_("✓ Hard"),
    "verdict_good": N_("✓ Good"),
    "verdict_easy": N_("✓ Easy"),
    "nothing_due": N_("Nothing is due right now."),
    "nothing_missed": N_("No missed questions to retry."),
    "invalid_sets": N_("Invalid files"),
    "theme": N_("Light/dark theme"),
    "question_n": N_("Question {n}/{total}"),
    "help_title": N_("Help: keys and modes"),
    "store_error": N_("Answer not saved"),
    "pairs": N_("Pairs"),
    "not_answered": N_("(no answer)"),
    "stats": N_("Stats"),
    "requeue_off": N_("Stop asking missed questions again in a session"),
    "requeue_on": N_("Ask missed questions again later in a session"),
    "requeue_help": N_("Setting: a missed question comes back until answered right"),
    "requeue_is_on": N_("Missed questions will come back later in the session."),
    "requeue_is_off": N_("Missed questions will not come back in the session."),
    "new_n": N_("{n} new"),
    "next_due": N_("Next review"),
    "missed_one": NP_("missed_one", "missed"),
    "all_sets": N_("all sets"),
    "loading_sets": N_("Loading your sets…"),
    "opening_progress": N_("Opening your progress… (your key will follow)"),
    "missed_screen": N_("Missed"),
    "add_sets": N_("Add sets"),
    "reload": N_("Reload"),
    "count": N_("Count"),
    "mode": N_("Mode"),
    "retry_all": N_("Retry all"),
    "retry_one": N_("Retry"),
    "mark_known": N_("Mark known"),
    "filter": N_("Filter"),
    "search": N_("Search"),
    "search_missed": N_("Search the missed questions (/)"),
    "filter_all": N_("All sets"),
    "filter_set": N_("Set: {name}"),
    "filter_tag": N_("Tag: {name}"),
    "filter_section": N_("Section: {name}"),
    "your_answers": N_("Your answers"),
    "missed_once": N_("Missed once"),
    "missed_n": N_("Missed {n} times"),
    "last_on": N_("last on {when}"),
    "fixed_since": N_("fixed since"),
    "no_missed": N_("No missed questions: well done!"),
    "no_match": N_("No missed question matches."),
    "marked_known": N_("Taken off the missed list."),
    "missed_total": N_("{n} to retry"),
    "missed_more": N_("… and {n} more: move down to see them, or search (/)"),
    "missed_help": N_("Review, retry or clear the questions you got wrong"),
    "stats_help": N_("Accuracy, mastery, most missed, due forecast, streak"),
    "answers_n": N_("{n} answers"),
    "answers_one": N_("1 answer"),
    "accuracy": N_("Accuracy"),
    "streak": N_("Streak"),
    "streak_days": N_("{n} days in a row"),
    "streak_one": N_("1 day"),
    "accuracy_30": N_("Accuracy per day (30 days)"),
    "answers_30": N_("Answers per day (30 days)"),
    "forecast_14": N_("Due (next 14 days)"),
    "mastery_by_set": N_("Mastery by set"),
    "mastery_by_tag": N_("Mastery by tag"),
    "mastery_by_section": N_("Mastery by section"),
    "most_missed": N_("Most missed"),
    "no_answers": N_("No answers yet: take a quiz first."),
    "max_n": N_("max {n}"),
    "add_sets_title": N_("Your question sets"),
    "qf_cancel": N_("Cancel"),
    "addsets_import": N_("Import"),
    "addsets_new": N_("New set"),
    "addsets_write": N_("Write a question"),
    "addsets_import_label": N_("Import a file"),
    "addsets_import_placeholder": N_("path to a GIFT, Anki, CSV/TSV or Open Trivia DB file"),
    "addsets_import_placeholder_web": N_(
        "path to a file on the server (not on your device): GIFT, Anki, CSV…"
    ),
    "profiles_title": N_("Who is learning?"),
    "profiles_pick": N_("Pick your profile (↑/↓, Enter), or create it:"),
    "profiles_none": N_("No profiles yet: create yours."),
    "profiles_new": N_("new profile: letters, digits, . _ -"),
    "profiles_bad_name": N_(
        "“{name}” will not do: letters, digits, dots, dashes or underscores (at most 64, "
        "starting with a letter or a digit)."
    ),
    "choose_profile": N_("Choose profile"),
    "profile_busy": N_(
        "The profile “{name}” is open in another tab or terminal. Two at once would mix up its "
        "progress: this page carries on by itself as soon as that one is closed."
    ),
    "profile_busy_pick": N_("Escape: choose another profile."),
    "profile_failed": N_("The profile “{name}” cannot be opened: {error}"),
    "addsets_new_label": N_("Create"),
    "addsets_new_id": N_("id, e.g. capitals"),
    "addsets_new_title": N_("title (optional)"),
    "addsets_problems_n": N_("{n} problem(s)"),
    "addsets_none": N_("No sets of your own yet: import a file (i) or create a set (n)."),
    "addsets_help": N_("Import a file (i) or create a set (n)."),
    "addsets_one_question": N_("1 question"),
    "addsets_valid": N_("valid"),
    "addsets_write_hint": N_("w or Enter: write a new question into this set."),
    "addsets_pick_valid": N_("Choose one of your valid sets to write a question into."),
    "addsets_import_failed": N_("Nothing imported from {path}:"),
    "addsets_id_used": N_("The set id “{id}” is already used by {path}: nothing written."),
    "addsets_cannot_write": N_("Cannot write: {error}"),
    "addsets_imported": N_("{n} questions imported, {skipped} skipped ({fmt}): {path}"),
    "addsets_backed_up": N_("Previous file backed up to {path}"),
    "addsets_bad_id": N_("“{id}” is not a valid id: letters, digits, - _ . and no spaces."),
    "addsets_exists": N_("{path} already exists: not overwritten."),
    "addsets_created": N_(
        "Created {path}, with an example of each type: write your questions (w)."
    ),
    "qf_title": N_("New question: {set}"),
    "qf_save": N_("Save"),
    "qf_preview": N_("Preview"),
    "qf_language": N_("Language"),
    "qf_type": N_("Type"),
    "qf_id": N_("Id (optional: made from the prompt)"),
    "qf_prompt": N_("Prompt"),
    "qf_prompt_optional": N_("Instruction (optional)"),
    "qf_front": N_("Front of the card"),
    "qf_back": N_("Back of the card"),
    "qf_tags": N_("Tags (separated by commas)"),
    "qf_choices": N_("Choices, one per line; start the right one with *"),
    "qf_choices_multi": N_("Choices, one per line; start each right one with *"),
    "qf_truth": N_("The statement is true"),
    "qf_answer": N_("Answer"),
    "qf_alternatives": N_("Other accepted answers, separated by |"),
    "qf_number": N_("Answer (a number)"),
    "qf_tolerance": N_("Tolerance (default 0)"),
    "qf_unit": N_("Unit (optional)"),
    "qf_cloze": N_("Text with gaps: {{answer}} or {{answer|alternative}}"),
    "qf_items": N_("Items in the right order, one per line"),
    "qf_pairs": N_("Pairs, one per line: left -> right"),
    "qf_lang_hint": N_(
        "{first} first (the set's language); {second} is optional: leave it empty for a text in "
        "one language."
    ),
    "qf_optional": N_("optional"),
    "qf_type_flashcard": N_("Flashcard"),
    "qf_type_choice": N_("One right choice"),
    "qf_type_multi": N_("Several right choices"),
    "qf_type_true_false": N_("True or false"),
    "qf_type_short": N_("Short typed answer"),
    "qf_type_numeric": N_("Number"),
    "qf_type_cloze": N_("Text with gaps"),
    "qf_type_order": N_("Put in order"),
    "qf_type_match": N_("Match pairs"),
    "qf_need": N_("“{field}” is required."),
    "qf_need_choices": N_("Give at least 2 choices."),
    "qf_need_right": N_("Mark the right choice with * (exactly one)."),
    "qf_need_rights": N_("Mark at least one right choice with *."),
    "qf_need_two": N_("“{field}”: at least 2 lines."),
    "qf_lines_mismatch": N_("“{field}”: FR and EN need the same number of lines."),
    "qf_not_number": N_("“{value}” is not a number."),
    "qf_pair_arrow": N_("Pairs, line {n}: write left -> right."),
    "qf_no_gap": N_("The text has no gap {{...}}."),
    "qf_bad_id": N_("“{id}” is not a valid id: letters, digits, - _ ."),
    "qf_id_taken": N_("The id “{id}” is already used in this set."),
    "qf_control_char": N_("A text holds a control character: type it again."),
    "qf_confirm_cancel": N_("Discard this question? It has not been saved."),
    "qf_invalid": N_("Not saved: the question does not pass validation."),
    "qf_set_invalid": N_("This file has problems: fix them first."),
    "qf_saved": N_("Saved “{id}” into {path}."),
    "qf_redumped": N_("The file was rewritten whole (comments lost); the old one is in {path}."),
    "qf_preview_title": N_("Preview: the question as it will be asked"),
    "plain_choice": N_("Type a number from 1 to {n}"),
    "plain_multi": N_("Type one or more numbers from 1 to {n}, e.g. 1 3"),
    "plain_order": N_("Type each number from 1 to {n} once, in the right order, e.g. 3 1 2"),
    "plain_match": N_("Type a letter for each number, e.g. 1b 2a"),
    "plain_cloze": N_("Type {n} answers separated by “|”"),
    "plain_skip_hint": N_("s skips"),
    "plain_flip": N_("Enter flips the card"),
    "plain_back": N_("Back"),
    "plain_skipped_n": N_("Skipped: {n}"),
    "cli_no_sets": NP_("cli_no_sets", "No question sets found."),
    "cli_invalid": N_("invalid: {problem}"),
    "cli_new_done": N_(
        "wrote {path}: edit it, check it with `gmmp-quiz validate {path}`, then add it to your "
        "sets with `gmmp-quiz add {path}`"
    ),
    "cli_no_own_sets": N_(
        "No sets of your own in {path} (gmmp-quiz new, import or add make them)."
    ),
    "cli_add_already": N_("{path} is already among your sets"),
    "cli_add_done": N_("added '{id}' ({count}): {path}"),
    "cli_export_done": N_("exported '{id}' ({count}) to {path}"),
    "cli_stats_totals": N_("Profile {profile}: {attempts} answers, {correct} right"),
    "cli_col_set": N_("set"),
    "cli_col_questions": N_("questions"),
    "cli_col_seen": N_("seen"),
    "cli_col_mastered": N_("mastered"),
    "cli_col_due": N_("due"),
    "cli_col_missed": NP_("cli_col_missed", "missed"),
    "cli_stats_orphans": N_(
        "{n} question(s) with progress are no longer in their set;\nrun `gmmp-quiz doctor` to "
        "list them (they are kept)."
    ),
    "cli_doctor_store": N_("Store: {path}"),
    "cli_doctor_counts": N_(
        "{questions} question(s) with progress, {attempts} answer(s) in history"
    ),
    "cli_doctor_repaired": N_("repaired: {text}"),
    "cli_doctor_problem": N_("problem: {text}"),
    "cli_doctor_no_sets": N_("question sets not available: orphans not checked"),
    "cli_doctor_orphans": N_("{n} question(s) with progress are not in the loaded sets (kept):"),
    "cli_doctor_orphan": N_("{attempts} answer(s), {why}"),
    "cli_doctor_set_missing": N_("set not found"),
    "cli_doctor_not_in_set": N_("question not in set"),
    "cli_doctor_ok": N_("No problems found."),
    "cli_exported": N_("Exported {n} answer(s) to {path}"),
    "cli_import_nothing": N_("Nothing new in {path}."),
    "cli_imported": N_(
        "Imported {attempts} answer(s), {states} question state(s), {sessions} session(s); "
        "backup in {backup}"
    ),
    "cli_reset_set": N_("set '{id}'"),
    "cli_reset_all": N_("every set"),
    "cli_reset_done": N_("Progress of {what} erased; backup in {backup}"),
    "palette_search": N_("Search for commands…"),
    "sys_theme": N_("Theme"),
    "sys_theme_help": N_("Change the colour theme"),
    "sys_quit": N_("Quit"),
    "sys_quit_help": N_("Quit the application (answers are already saved)"),
    "sys_keys": N_("Keys"),
    "sys_keys_help": N_("Show or hide the panel of keys"),
    "sys_minimize": N_("Minimize"),
    "sys_minimize_help": N_("Restore the maximized widget to its normal size"),
    "sys_maximize": N_("Maximize"),
    "sys_maximize_help": N_("Maximize the focused widget"),
    "sys_screenshot": N_("Screenshot"),
    "sys_screenshot_help": N_("Save an SVG screenshot of the screen"),
    "plain_quit": N_("Stopped: the answers given are saved."),
    "plain_eof": N_("End of input: the answers given are saved."),
}

# The help: sections of (keys, what they do) rows, in English (`help_sections` translates
# them). The help screen lays each row
# out with the keys in a column of their own, so that descriptions wrap under themselves.
HelpSection = tuple[Msg, tuple[tuple[Msg, Msg], ...]]
HELP: tuple[HelpSection, ...] = (
    (
        N_("Home"),
        (
            (N_("↑/↓"), N_("choose a set")),
            (N_("Enter"), N_("start the chosen mode (Tab: the list of modes)")),
            (N_("1 / 2 / 3"), N_("Quiz · Review due · Retry missed")),
            (N_("c"), N_("10 / 20 / all questions in a quiz")),
            (N_("m · t"), N_("missed questions · stats")),
            (N_("a · Ctrl+R"), N_("add sets · reload sets")),
            (N_("Ctrl+P"), N_("command palette: any set in any mode, light/dark theme, settings")),
            (N_("? · q"), N_("this help · quit")),
        ),
    ),
    (
        N_("Answering"),
        (
            (N_("choice"), N_("1-9 picks and answers (↑/↓ then Enter too)")),
            (N_("multi"), N_("1-9 or Space tick [x] / untick [ ], Enter submits")),
            (N_("true/false"), N_("t (or v) true, f false, or 1 / 2")),
            (N_("short"), N_("type, Enter submits")),
            (N_("numeric"), N_("type the number (a unit may follow), Enter submits")),
            (N_("cloze"), N_("one box per gap, Tab moves, Enter submits")),
            (N_("order"), N_("↑/↓ select, Shift+↑/↓ (or k/j) move, Enter submits")),
            (N_("match"), N_("a digit picks a left item, a letter its partner; Enter submits")),
            (N_("flashcard"), N_("Space flips, then 1 again · 2 hard · 3 good · 4 easy")),
            (N_("s"), N_("skip (Ctrl+S in a text box)")),
            (N_("Escape / q"), N_("leave, after asking; answers are saved as given")),
            ("", N_("Keys pressed in the first moment a question is shown are ignored.")),
        ),
    ),
    (
        N_("After answering"),
        (
            (N_("Enter/Space"), N_("next question")),
            (N_("PgDn"), N_("the rest of the feedback, when “More below” shows")),
            (N_("i"), N_("“I was right” (typed answers judged wrong)")),
            (N_("u"), N_("undo the answer and ask again")),
        ),
    ),
    (
        N_("Missed questions (m)"),
        (
            (N_("r · Enter"), N_("retry all until right · retry the chosen one")),
            (N_("k"), N_("mark as known (off the list)")),
            (N_("f · /"), N_("filter (set, tag, section) · search")),
        ),
    ),
    (
        N_("Add sets (a)"),
        (
            (N_("i"), N_("import a file (GIFT, Anki/CSV/TSV, Open Trivia DB)")),
            (N_("n · w"), N_("new set · write a question (Ctrl+O preview, Ctrl+S save)")),
            (N_("r"), N_("reload from disk")),
        ),
    ),
    (
        N_("Modes and words"),
        (
            (
                N_("Quiz"),
                N_("10, 20 or all questions, shuffled; missed ones come back until right"),
            ),
            (N_("Review due"), N_("what the spaced-repetition schedule says is due")),
            (
                NP_("help", "Missed"),
                N_("a question whose latest answer was not right (Retry missed)"),
            ),
            (N_("Mastered"), N_("right, and expected to be remembered for three weeks or more")),
            (N_("Theme"), N_("Ctrl+P, then “Theme”: light or dark, kept for next time")),
        ),
    ),
)


def detect_lang(explicit: str | None = None) -> str:
    """The interface language: `--lang`, else the locale's when it is French, else English."""
    if explicit in LANGS:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "fr" if code.lower().startswith("fr") else "en"


def t(key: str, lang: str, **values: object) -> str:
    """The interface string `key` in `lang` (English when missing), formatted with `values`."""
    text = lookup(STRINGS[key], lang)
    text = text.format(**values) if values else text
    return typeset(text, lang)


def help_sections(lang: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The help's sections in `lang`, not yet typeset: (title, ((keys, what they do), ...))."""
    return tuple(
        (lookup(title, lang), tuple((lookup(k, lang), lookup(d, lang)) for k, d in rows))
        for title, rows in HELP
    )


def lookup(message: Msg, lang: str) -> str:
    """`message` in `lang`, not typeset (English as written when the catalogue lacks it)."""
    trans = catalogue(lang)
    if isinstance(message, tuple):
        return trans.pgettext(*message)
    return trans.gettext(message) if message else message


NNBSP = "\u202f"  # narrow no-break space: before ? ! ; and inside « »
NBSP = "\u00a0"  # no-break space: before :
# A space (or none) before ? ! ; », after «, before a colon that ends a word or label. URLs and
# times ("https://", "9:30") keep their colon: only a colon preceded by a space is touched.
_BEFORE_TALL = re.compile(r"[ \u00a0\u202f]*([?!;»])")
_AFTER_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]+:")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
_PERCENT = re.compile(r"(?<=\d)[ \u00a0\u202f]?%")


def typeset(text: str, lang: str | None) -> str:
    """French typography for French text: no-break spaces before ? ! ; : and inside « », and
    the typographic apostrophe between letters.

    Shown text only (never what is graded or stored): a line then never starts with "?" or "»".
    """
    if not lang or not lang.startswith("fr") or not text:
        return text
    if "'" in text:
        text = _APOSTROPHE.sub("’", text)  # "l'article" -> "l’article", as the set writes it
    if not any(c in text for c in "?!;:«»%"):
        return text
    text = _BEFORE_TALL.sub(lambda m: _tall(m, text), text)
    text = _AFTER_GUILLEMET.sub("«" + NNBSP, text)
    text = _PERCENT.sub(NNBSP + "%", text)
    return _BEFORE_COLON.sub(NBSP + ":", text)


def _tall(match: re.Match[str], text: str) -> str:
    mark = match.group(1)
    start, end = match.start(), match.end()
    # A fragment that starts with " ;" (" ; vouliez-vous dire...") is glued to what precedes it
    # when shown: keep its space, made the right one. At the start of a line, nothing to glue to.
    prev = text[start - 1] if start else ""
    if prev == "\n" or (not prev and match.group(0) == mark):
        return mark
    if match.group(0) != mark:
        return NNBSP + mark  # a space was there: make it the right, unbreakable one
    after = text[end] if end < len(text) else " "
    # No space was there: add one only in prose ("Quoi?" then a space or the end), never
    # inside a URL or a code ("?q=1", "&amp;") or between marks ("?!").
    if (prev.isalnum() or prev in "»)\"'’") and (after.isspace() or after in "?!;»)\"'’.,"):
        return NNBSP + mark
    return mark


MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": (
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ),
}


def short_date(when: datetime | None, lang: str, *, time: bool = True) -> str:
    """A local date (and time) the way each language writes it: "14 janv. 09:30", "Jan 14 09:30"."""
    if when is None:
        return "—"
    local = when.astimezone()
    month = MONTHS.get(lang, MONTHS["en"])[local.month - 1]
    day = f"{local.day} {month}" if lang == "fr" else f"{month} {local.day}"
    return f"{day} {local:%H:%M}" if time else day


def percent(value: float, lang: str) -> str:
    """A share (0..1) as a whole percentage: "80%", or "80 %" (narrow no-break space) in French."""
    return f"{round(value * 100)}{NNBSP if lang.startswith('fr') else ''}%"


def colon(label: str, lang: str) -> str:
    """A label followed by a colon, spaced the French way in French."""
    return f"{typeset(label, lang)}{NBSP}: " if lang == "fr" else f"{label}: "
