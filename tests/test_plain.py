"""`gmmp-quiz quiz SET --plain`: run as a subprocess with scripted stdin (or a live responder)."""

from __future__ import annotations

import io
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# One question of every type, in predictable numbering (no shuffled choices; order and match
# columns are always shuffled, so their tests read the numbering off the screen).
EVERY = """\
id: every
title: {fr: Chaque type, en: Every type}
language: fr
options:
  shuffle: false
questions:
  - id: fc
    type: flashcard
    front: {fr: Que signifie GMMP ?, en: What does GMMP stand for?}
    back: {fr: Groupe Migratoire Mixte Permanent, en: Permanent Mixed Migration Group}
    tags: [sigles]
  - id: city
    type: choice
    prompt: {fr: Dans quelle ville ?, en: In which city?}
    choices: [Paris, Rabat, Marseille]
    answer: Paris
    explanation: {fr: La réunion a eu lieu à Paris., en: The meeting was held in Paris.}
    source: {fr: Communiqué, en: Press release}
    tags: [lieux]
  - id: obj
    type: multi
    prompt: {fr: Quels objectifs ?, en: Which objectives?}
    choices:
      - {fr: Mobilité légale, en: Legal mobility}
      - {fr: Supprimer les visas, en: Abolish visas}
      - {fr: Lutte contre l'irrégulier, en: Fight irregular migration}
    answers: [Mobilité légale, Lutte contre l'irrégulier]
  - id: seventh
    type: true_false
    prompt: {fr: C'était la septième réunion., en: It was the seventh meeting.}
    answer: true
  - id: cochair
    type: short
    prompt: {fr: Qui co-présidait pour la France ?, en: Who co-chaired for France?}
    answer: Frédéric Joram
    alternatives: [Joram]
  - id: plenary
    type: numeric
    prompt: {fr: Quelle réunion plénière ?, en: Which plenary meeting?}
    answer: 7
  - id: gaps
    type: cloze
    text:
      fr: Co-présidée par {{Zerouali}} et {{Joram}}.
      en: Co-chaired by {{Zerouali}} and {{Joram}}.
  - id: chrono
    type: order
    prompt: {fr: Dans l'ordre, en: In order}
    items: [Un, Deux, Trois]
  - id: who
    type: match
    prompt: {fr: Associez, en: Match}
    pairs:
      - {left: Zerouali, right: Maroc}
      - {left: Joram, right: France}
  - id: markup
    type: choice
    prompt: "[bold]x[/] and [@click=app.quit]y[/]"
    choices: ["[red]a[/]", b]
    answer: "[red]a[/]"
"""

RIGHT = {
    "fc": ["", "3"],
    "city": ["1"],
    "obj": ["1 3"],
    "seventh": ["t"],
    "cochair": ["Frédéric Joram"],
    "plenary": ["7"],
    "gaps": ["Zerouali | Joram"],
    "markup": ["1"],
}


def write_set(home: Path, text: str = EVERY, name: str = "every") -> None:
    (home / "questions").mkdir(exist_ok=True)
    (home / "questions" / f"{name}.yaml").write_text(text, encoding="utf-8")


def only(ids: str | list[str], home: Path, set_id: str = "one") -> str:
    """Write a set holding only the questions `ids` of EVERY; returns its id."""
    wanted = [ids] if isinstance(ids, str) else ids
    head, _, body = EVERY.partition("questions:\n")
    blocks = re.split(r"(?m)^(?=  - id: )", body)
    kept = [b for b in blocks if (m := re.match(r"  - id: (\S+)", b)) and m.group(1) in wanted]
    head = head.replace("id: every", f"id: {set_id}", 1)
    write_set(home, head + "questions:\n" + "".join(kept), set_id)
    return set_id


def run(
    set_id: str, lines: list[str] | None, *args: str, lang: str = "en"
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "gmmp_quiz", "quiz", set_id, "--plain", "--seed", "1"]
    cmd += ["--lang", lang, *args]
    stdin = "" if lines is None else "".join(line + "\n" for line in lines)
    return subprocess.run(
        cmd, input=stdin, capture_output=True, text=True, env=os.environ, timeout=60
    )


def run_in(set_id: str, lines: list[str], *args: str, lang: str = "en") -> str:
    """The same as `run`, in this process (for the many small parametrized cases)."""
    from gmmp_quiz.cli import build_parser
    from gmmp_quiz.commands.quiz import run_plain_quiz

    argv = ["quiz", set_id, "--plain", "--seed", "1", "--lang", lang, *args]
    stdout = io.StringIO()
    stdin = io.StringIO("".join(line + "\n" for line in lines))
    assert run_plain_quiz(build_parser().parse_args(argv), stdin=stdin, stdout=stdout) == 0
    return stdout.getvalue()


def attempts(set_id: str) -> list:
    from gmmp_quiz.store.progress import ProgressStore

    store = ProgressStore.open(profile="default", backup=False)
    try:
        return list(store.attempts(set_id))
    finally:
        store.close()


class Live:
    """Drive the plain mode interactively: read up to each `> ` prompt, then answer."""

    def __init__(self, *args: str) -> None:
        cmd = [sys.executable, "-m", "gmmp_quiz", "quiz", *args, "--plain"]
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=os.environ
        )
        self.buf = b""
        self.seen = 0

    def screen(self) -> str | None:
        """The output since the last answer, once it ends with a prompt; None at exit."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        # A prompt that was already answered does not count: wait for output after it.
        while len(self.buf) == self.seen or not self.buf.endswith(b"\n> "):
            ready, _, _ = select.select([fd], [], [], 30)
            assert ready, f"no prompt within 30 s: {self.buf[self.seen :]!r}"
            chunk = os.read(fd, 4096)
            if not chunk:
                return None
            self.buf += chunk
        text = self.buf[self.seen :].decode()
        self.seen = len(self.buf)
        return text

    def send(self, line: str) -> None:
        """Type one answer."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def finish(self) -> tuple[int, str]:
        """Close stdin, wait for the exit status and the rest of the output."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        rest = self.proc.stdout.read()
        self.buf += rest
        return self.proc.wait(timeout=30), self.buf.decode()


def options(screen: str) -> dict[str, str]:
    """The numbered and lettered options of a screen: label -> text."""
    return dict(re.findall(r"(?m)^  (\w+)\. (.*)$", screen))


def right_answer(screen: str) -> list[str]:
    """What to type to answer the question on screen right."""
    for qid, prompt in [
        ("fc", "What does GMMP"),
        ("city", "In which city"),
        ("obj", "Which objectives"),
        ("seventh", "seventh meeting"),
        ("cochair", "Who co-chaired"),
        ("plenary", "Which plenary"),
        ("gaps", "Co-chaired by"),
        ("markup", "[bold]x[/]"),
    ]:
        if prompt in screen:
            return RIGHT[qid]
    opts = options(screen)
    if "In order" in screen:
        pos = {text: label for label, text in opts.items()}
        return [" ".join(pos[x] for x in ("Un", "Deux", "Trois"))]
    if "Match" in screen:
        pos = {text: label for label, text in opts.items()}
        return [f"{pos['Zerouali']}{pos['Maroc']} {pos['Joram']}{pos['France']}"]
    raise AssertionError(f"unknown question: {screen}")


# -- every type, answered right through a live session -------------------------------------


def test_every_type_right_live(quiz_home: Path) -> None:
    write_set(quiz_home)
    live = Live("every", "--lang", "en", "--seed", "5")
    headers = []
    while len(headers) < 10 and (screen := live.screen()) is not None:
        header = re.search(r"Question \d+/\d+ \[(\w+)\]", screen)
        assert header is not None, screen
        headers.append(header.group(1))
        for i, answer in enumerate(right_answer(screen)):
            if i:
                live.screen()  # the flashcard's second prompt, for the rating
            live.send(answer)
    code, out = live.finish()
    assert code == 0, out
    assert sorted(headers) == sorted(
        ["flashcard", "choice", "multi", "true_false", "short"]
        + ["numeric", "cloze", "order", "match", "choice"]
    )
    assert "✗" not in out and "Question 11/" not in out
    assert "Score: 100% (" in out and "Right at the first try: 10 of 10" in out
    assert "Nothing missed: well done!" in out
    assert len(attempts("every")) == 10


# -- each type, right and wrong --------------------------------------------------------------


def test_choice_right_wrong_feedback(quiz_home: Path) -> None:
    only("city", quiz_home)
    out = run("one", ["1"]).stdout
    assert "Question 1/1 [choice]\nIn which city?\n  1. Paris\n  2. Rabat\n  3. Marseille\n" in out
    assert "> 1\n✓ Right\nExplanation: The meeting was held in Paris.\nSource: Press release" in out
    out = run("one", ["3", "1"]).stdout
    assert "✗ Wrong — right answer: Paris" in out
    assert "This question will come back later." in out
    assert "Question 2/2 [choice]" in out
    # Right on the second try: no longer missed, and the summary says it was relearned.
    assert "Missed at first, right later: 1" in out and "Nothing missed" in out
    out = run("one", ["3"], "--no-requeue").stdout
    assert "Missed questions (latest answer not right)" in out
    assert "Your answer: Marseille\n     Right answer: Paris" in out


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [("1 3", "✓ Right"), ("1,3", "✓ Right"), ("3, 1", "✓ Right"), ("1", "≈ Partly right")]
    + [("2", "✗ Wrong"), ("1 2 3", "≈ Partly right")],
)
def test_multi(quiz_home: Path, answer: str, verdict: str) -> None:
    only("obj", quiz_home)
    out = run_in("one", [answer], "--no-requeue")
    assert verdict in out
    if verdict != "✓ Right":
        assert "right answer: Legal mobility; Fight irregular migration" in out


@pytest.mark.parametrize("answer", ["t", "v", "true", "vrai", "1", "T", "Vrai"])
def test_true_false_true_words(quiz_home: Path, answer: str) -> None:
    only("seventh", quiz_home)
    out = run_in("one", [answer])
    assert "  1. True\n  2. False\n" in out
    assert "✓ Right" in out


@pytest.mark.parametrize("answer", ["f", "false", "faux", "2"])
def test_true_false_false_words(quiz_home: Path, answer: str) -> None:
    only("seventh", quiz_home)
    out = run_in("one", [answer], "--no-requeue")
    assert "✗ Wrong — right answer: True" in out


def test_short_right_typo_wrong(quiz_home: Path) -> None:
    only("cochair", quiz_home)
    out = run("one", ["frederic joram"]).stdout
    assert "✓ Right" in out and "typo" not in out
    out = run("one", ["Frederic Jorma"]).stdout
    assert "✓ Right\nAccepted with a typo: Frederic Jorma → Frédéric Joram" in out
    out = run("one", ["Zerouali"], "--no-requeue").stdout
    assert "✗ Wrong — right answer: Frédéric Joram" in out
    assert "Your answer: Zerouali" in out


def test_numeric_bad_then_right_then_wrong(quiz_home: Path) -> None:
    only("plenary", quiz_home)
    out = run("one", ["seven", "7"]).stdout
    assert "> seven\nType a number (s skips)\n> 7\n✓ Right" in out
    assert out.count("Which plenary meeting?") == 1  # the hint does not re-print the question
    out = run("one", ["8"], "--no-requeue").stdout
    assert "✗ Wrong — right answer: 7" in out


def test_cloze(quiz_home: Path) -> None:
    only("gaps", quiz_home)
    out = run("one", ["Zerouali", "zerouali | joram"]).stdout
    assert "Co-chaired by ___(1) and ___(2)." in out
    assert (
        "> Zerouali\nType 2 answers separated by “|” (s skips)\n> zerouali | joram\n✓ Right" in out
    )
    out = run("one", ["Zerouali | Macron"], "--no-requeue").stdout
    assert "≈ Partly right — right answer: Zerouali / Joram" in out


def test_order_right_partial_and_bad(quiz_home: Path) -> None:
    only("chrono", quiz_home)
    shown = run("one", None).stdout
    pos = {text: label for label, text in options(shown).items()}
    right = " ".join(pos[x] for x in ("Un", "Deux", "Trois"))
    out = run("one", ["1 1 2", "4 1 2", right]).stdout
    assert out.count("Type each number from 1 to 3 once, in the right order") == 3  # + the hint
    assert "✓ Right" in out
    out = run("one", [right.replace(" ", "")]).stdout  # "312" works too
    assert "✓ Right" in out
    swapped = " ".join(pos[x] for x in ("Deux", "Un", "Trois"))
    out = run("one", [swapped], "--no-requeue").stdout
    assert "≈ Partly right — right answer: Un → Deux → Trois" in out


def test_match_right_wrong_and_bad(quiz_home: Path) -> None:
    only("who", quiz_home)
    shown = run("one", None).stdout
    pos = {text: label for label, text in options(shown).items()}
    assert {pos["Zerouali"], pos["Joram"]} == {"1", "2"}
    assert {pos["Maroc"], pos["France"]} == {"a", "b"}
    right = f"{pos['Zerouali']}{pos['Maroc']} {pos['Joram']}{pos['France']}"
    wrong = f"{pos['Zerouali']}{pos['France']}, {pos['Joram']}{pos['Maroc']}"
    out = run("one", ["1a", "1a 1b", "3a 2b", "1z 2a", right.upper()]).stdout
    assert out.count("Type a letter for each number, e.g. 1b 2a") == 5
    assert "✓ Right" in out
    out = run("one", [wrong], "--no-requeue").stdout
    assert "✗ Wrong — right answer: Zerouali → Maroc; Joram → France" in out


@pytest.mark.parametrize(
    ("lines", "shown"),
    [(["", "3"], "Good"), (["x", "easy"], "Easy"), (["", "bien"], "Good")]
    + [(["", "difficile"], "Hard"), (["", "9", "hard"], "Hard"), (["", "again"], "Again")],
)
def test_flashcard(quiz_home: Path, lines: list[str], shown: str) -> None:
    only("fc", quiz_home)
    out = run_in("one", lines, "--no-requeue")
    assert "What does GMMP stand for?\n(Enter flips the card)\n> " in out
    assert "Back: Permanent Mixed Migration Group\nRate yourself: 1-4" in out
    assert f"\n{shown}\n" in out
    assert "✗" not in out
    if "9" in lines:
        assert out.count("Rate yourself") == 2
    recorded = attempts("one")
    assert len(recorded) == 1
    assert recorded[0].answer == {"Again": 1, "Hard": 2, "Good": 3, "Easy": 4}[shown]


def test_flashcard_again_comes_back(quiz_home: Path) -> None:
    only("fc", quiz_home)
    out = run("one", ["", "1", "", "3"]).stdout
    assert "Again\nThis question will come back later." in out
    assert "Question 2/2 [flashcard]" in out


# -- skip, requeue, end of input ------------------------------------------------------------


@pytest.mark.parametrize("word", ["s", "skip", "S"])
def test_skip(quiz_home: Path, word: str) -> None:
    only(["city", "plenary"], quiz_home)
    out = run_in("one", [word, word])
    assert out.count("\nSkipped\n") == 2
    assert "Skipped: 2" in out
    assert "Question 3/" not in out
    assert attempts("one") == []


def test_skip_flashcard_before_and_after_flip(quiz_home: Path) -> None:
    only("fc", quiz_home)
    out = run("one", ["s"]).stdout
    assert "Skipped" in out and "Back:" not in out
    out = run("one", ["", "skip"]).stdout
    assert "Back:" in out and "\nSkipped\n" in out


def test_requeue_and_no_requeue(quiz_home: Path) -> None:
    only("city", quiz_home)
    # Missed twice, then right: asked three times; only the first answer counts in the score.
    out = run("one", ["2", "3", "1"]).stdout
    assert "Question 1/1" in out and "Question 2/2" in out and "Question 3/3" in out
    assert out.count("This question will come back later.") == 2
    assert (
        "Score: 0% (" in out
        and "Right at the first try: 0 of 1" in out
        and "Missed at first, right later: 1" in out
    )
    assert len(attempts("one")) == 3
    only(["city", "plenary"], quiz_home)
    out = run("one", ["2", "2"], "--no-requeue").stdout
    assert "come back later" not in out
    assert "Question 3/" not in out and "Question 2/2" in out
    assert "Score: 0% (" in out and "Right at the first try: 0 of 2" in out


def test_end_of_input_mid_session_saves(quiz_home: Path) -> None:
    write_set(quiz_home)
    proc = run("every", ["s", "s"])
    assert proc.returncode == 0, proc.stderr
    assert "End of input: the answers given are saved." in proc.stdout
    assert "== Summary ==" in proc.stdout
    assert attempts("every") == []
    # Answer one question of a bigger set, then stop.
    only(["city", "plenary", "cochair"], quiz_home, set_id="three")
    live = Live("three", "--lang", "en", "--seed", "1")
    screen = live.screen()
    assert screen is not None
    live.send(right_answer(screen)[0])
    assert live.screen() is not None  # the second question is waiting for its answer
    code, out = live.finish()
    assert code == 0
    assert "Score: 100% (" in out and "Right at the first try: 1 of 1" in out
    recorded = attempts("three")
    assert len(recorded) == 1 and recorded[0].outcome == "correct"


def test_empty_stdin_ends_cleanly(quiz_home: Path) -> None:
    write_set(quiz_home)
    proc = run("every", None)
    assert proc.returncode == 0
    assert "Right at the first try: 0 of 0" in proc.stdout


# -- modes -----------------------------------------------------------------------------------


def test_mode_missed(quiz_home: Path) -> None:
    only(["city", "plenary"], quiz_home)
    proc = run("one", None, "--mode", "missed")
    assert proc.returncode == 0
    assert proc.stdout.strip() == "No missed questions to retry."
    run("one", ["3", "3"], "--no-requeue")  # whichever comes first, both are missed
    # Equally missed questions come in the set's order: the city right, the number wrong.
    out = run("one", ["1", "8"], "--mode", "missed", "--no-requeue").stdout
    assert "Question 1/2 [choice]" in out and "Question 2/2 [numeric]" in out
    assert "Score: 50% (" in out and "Right at the first try: 1 of 2" in out
    out = run("one", ["7"], "--mode", "missed").stdout
    assert "Question 1/1 [numeric]" in out and "In which city?" not in out
    assert "✓ Right" in out
    assert run("one", None, "--mode", "missed").stdout.strip() == "No missed questions to retry."


def test_mode_missed_french(quiz_home: Path) -> None:
    only("city", quiz_home)
    out = run("one", None, "--mode", "missed", lang="fr").stdout
    assert out.strip() == "Aucune erreur à reprendre."


def test_mode_due_runs(quiz_home: Path) -> None:
    only("city", quiz_home)
    proc = run("one", ["1"], "--mode", "due")
    assert proc.returncode == 0
    assert "✓ Right" in proc.stdout  # a new question is due
    # Answered right, its card is scheduled for later: nothing is due now.
    proc = run("one", ["1"], "--mode", "due")
    assert proc.returncode == 0
    assert proc.stdout.strip() == "Nothing is due right now."
    assert run("one", None, "--mode", "due", lang="fr").stdout.strip() == (
        "Rien à revoir pour l’instant."
    )


def test_count(quiz_home: Path) -> None:
    write_set(quiz_home)
    out = run("every", ["s", "s", "s"], "--count", "2").stdout
    assert "Question 2/2" in out and "Question 3/" not in out


# -- languages, literal text, seeds, errors --------------------------------------------------


def test_lang_fr_and_en(quiz_home: Path) -> None:
    only("city", quiz_home)
    out = run("one", ["3", "1"], lang="fr").stdout
    assert "Question 1/1 [choice]\nDans quelle ville\u202f?" in out
    assert "✗ Incorrect — bonne réponse\u00a0: Paris" in out
    assert "Explication\u00a0: La réunion a eu lieu à Paris." in out
    assert "Cette question reviendra plus tard." in out
    assert (
        "== Bilan ==" in out
        and "Score\u00a0: 0\u202f% (" in out
        and "Justes du premier coup\u00a0: 0 sur 1" in out
    )
    assert "Manquées d’abord, justes ensuite\u00a0: 1" in out
    out = run("one", ["3", "1"], lang="en").stdout
    assert "In which city?" in out and "Dans quelle ville" not in out
    assert "Explanation: The meeting was held in Paris." in out


def test_lang_from_locale(quiz_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    only("seventh", quiz_home)
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    cmd = [sys.executable, "-m", "gmmp_quiz", "quiz", "one", "--plain"]
    out = subprocess.run(
        cmd, input="v\n", capture_output=True, text=True, env=os.environ, timeout=60
    ).stdout
    assert "  1. Vrai\n  2. Faux\n" in out and "✓ Correct" in out


def test_markup_printed_literally(quiz_home: Path) -> None:
    only("markup", quiz_home)
    out = run("one", ["2", "1"]).stdout
    assert "[bold]x[/] and [@click=app.quit]y[/]\n  1. [red]a[/]\n  2. b\n" in out
    assert "right answer: [red]a[/]" in out


def test_seed_reproducible(quiz_home: Path) -> None:
    shuffled = EVERY.replace("shuffle: false", "shuffle: true")
    write_set(quiz_home, shuffled)
    lines = ["1", "", "2", "1 2", "t", "x", "1", "a"] * 3

    def strip_time(text: str) -> str:
        return re.sub(r"(?m)^Time: .*$", "", text)

    first = run("every", lines, "--seed", "7").stdout
    second = run("every", lines, "--seed", "7").stdout
    assert strip_time(first) == strip_time(second)
    others = {strip_time(run("every", lines, "--seed", str(s)).stdout) for s in (8, 9, 10)}
    assert len(others | {strip_time(first)}) > 1


def test_unknown_set_exits_1(quiz_home: Path) -> None:
    proc = run("nope", ["1"])
    assert proc.returncode == 1
    assert "no question set 'nope'" in proc.stderr


def test_stdout_is_flushed_at_each_prompt(quiz_home: Path) -> None:
    only(["city", "plenary"], quiz_home)
    live = Live("one", "--lang", "en", "--seed", "1")
    screen = live.screen()
    assert screen is not None and screen.endswith("> ")
    assert "Question 1/2" in screen
    live.send("s")
    screen = live.screen()
    assert screen is not None and "Question 2/2" in screen
    code, _ = live.finish()
    assert code == 0


# -- the shipped set -------------------------------------------------------------------------

SHIPPED = REPO / "questions" / "gmmp-2025.yaml"


@pytest.mark.skipif(not SHIPPED.exists(), reason="the shipped set is not written yet")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shipped_set_end_to_end(quiz_home: Path, lang: str) -> None:
    proc = run("gmmp-2025", ["1", "", "1"], "--count", "3", lang=lang)
    assert proc.returncode == 0, proc.stderr
    assert "Question 1/3" in proc.stdout
    assert ("== Bilan ==" if lang == "fr" else "== Summary ==") in proc.stdout


def test_no_textual_import() -> None:
    code = "import sys, gmmp_quiz.plain; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False"


def test_help_mentions_plain() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "gmmp_quiz", "quiz", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "--plain" in out


@pytest.mark.parametrize(("word", "lang"), [("quit", "en"), ("QUITTER", "fr"), (":q", "en")])
def test_quit_ends_the_session_and_keeps_the_answers(quiz_home: Path, word: str, lang: str) -> None:
    only(["city", "plenary"], quiz_home)
    # The first answer is recorded, the quit word is not taken for the second one.
    out = run_in("one", ["2", word, "never read"], lang=lang)  # "2": an option, or a number
    stopped = {"en": "Stopped: the answers given are saved.", "fr": "Arrêt demandé"}[lang]
    assert stopped in out and ("== Summary ==" in out or "== Bilan ==" in out)
    assert "Question 2/" in out and "Question 3/" not in out
    assert len(attempts("one")) == 1
