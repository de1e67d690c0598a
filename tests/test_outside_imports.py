"""bench/outside_imports.py: the measurement on files we did not write reads the CLEF
sentence-per-line layout into turns, scores what the import stored against it, and imports
only files from outside the repository (here: a few invented lines in that layout)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.outside_imports import Said, clef_recall, main, read_clef, turns

# number TAB speaker TAB sentence TAB label, as in the CLEF 2018 CheckThat! task 1 files
CLEF = (
    "1\tMODERATOR\tGood evening.\t0\n"
    "2\tMODERATOR\tOur first question is on rents.\t0\n"
    "3\tSYSTEM\t(APPLAUSE)\t0\n"
    "4\tREYES\tRents rose 11 percent in two years.\t1\n"
    "5\tMODERATOR\tThank you.\t0\n"
)


def test_a_clef_file_is_read_as_sentences_and_consecutive_ones_of_a_speaker_make_a_turn() -> None:
    said = read_clef(CLEF)
    assert said is not None and said[3] == Said("REYES", "Rents rose 11 percent in two years.")
    assert turns(said) == [
        ("MODERATOR", "Good evening. Our first question is on rents."),
        ("SYSTEM", "(APPLAUSE)"),
        ("REYES", "Rents rose 11 percent in two years."),
        ("MODERATOR", "Thank you."),
    ]


@pytest.mark.parametrize("text", ["MODERATOR: Good evening.\n", "1\tMODERATOR\tHi.\n", ""])
def test_text_not_in_the_clef_layout_is_not_read_as_clef(text: str) -> None:
    assert read_clef(text) is None


def test_a_sentence_split_in_two_or_given_the_wrong_speaker_is_missed() -> None:
    said = [Said("A", "Roe v. Wade stands."), Said("B", "It does."), Said("SYSTEM", "(LAUGHTER)")]
    text = "Roe v. Wade stands.\n\nIt does. (LAUGHTER)\n"
    stored = [(0, 6, "body", "A"), (7, 19, "body", "A"), (21, 29, "body", "A"),
              (30, 40, "meta", "SYSTEM")]  # fmt: skip
    misses: list[str] = []
    figures = clef_recall(text, stored, said, misses)
    assert figures == {
        "inside one body sentence, right speaker": (0, 2),
        "exactly one body sentence": (0, 2),
        "stage directions stored as meta": (1, 1),
    }
    assert misses == [
        "A: 'Roe v. Wade stands.' is stored as A: 'Roe v.' + A: 'Wade stands.'",
        "B: 'It does.' is stored as A: 'It does.'",
    ]
    stored[:2] = [(0, 19, "body", "A")]
    assert clef_recall(text, stored, said)["exactly one body sentence"] == (1, 2)


def test_a_clef_file_outside_the_repo_is_imported_through_the_import_service_in_both_forms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "debate.txt"
    path.write_text(CLEF, encoding="utf-8")
    main([str(path)])
    out = capsys.readouterr().out
    assert "| debate.txt | imported | debate |" in out
    assert "| debate.jsonl | imported | debate |" in out
    assert out.count("4 turns, 3 speakers (MODERATOR, REYES, SYSTEM), 4 body sentences.") == 2
    assert out.count("CLEF sentences inside one body sentence, right speaker: 4 of 4") == 2


def test_files_inside_the_repository_or_missing_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path, message in [
        (Path(__file__), "these files are inside the repository"),
        (tmp_path / "none.html", "no such file"),
    ]:
        with pytest.raises(SystemExit) as exit:
            main([str(path)])
        assert exit.value.code == 2 and message in capsys.readouterr().err
