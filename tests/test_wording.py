"""Counts read as words, in the command line's messages and on the pages."""

from annotator.wording import counted, plural


def test_counts_read_as_words_not_as_sentence_s() -> None:
    assert [counted(n, "sentence") for n in (0, 1, 2, 1204)] == [
        "0 sentences",
        "1 sentence",
        "2 sentences",
        "1,204 sentences",
    ]


def test_an_irregular_plural_is_given_and_a_verb_agrees_with_its_count() -> None:
    assert counted(3, "body", "bodies") == "3 bodies"
    assert [plural(n, "refers", "refer") for n in (1, 2)] == ["refers", "refer"]
