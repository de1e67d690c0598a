"""The annotate page's keys: taken from the scheme and the code, listed in full, and the
sidebar's script carries nothing but constants."""

from __future__ import annotations

import json
import re

from annotator.scheme import CLAIMS_V1, ClaimType, Scheme
from annotator.services.projects import shipped_schemes
from annotator.ui.keys import PageKeys, key_rows, page_keys, script, script_config


def _scheme(*keys: str, date_bound: bool = True) -> Scheme:
    types = tuple(ClaimType(f"t{i}", f"Type {i}", key, "d", ()) for i, key in enumerate(keys))
    return Scheme("s", types, types[0].value if date_bound else None)


def test_the_default_scheme_gets_a_for_as_of_n_for_note_and_u_for_unlabelled() -> None:
    assert page_keys(CLAIMS_V1) == PageKeys(as_of="a", note="n", unlabelled="u")


def test_a_scheme_label_key_wins_over_the_page_key_which_moves_to_its_next_choice() -> None:
    checkthat = shipped_schemes()["checkthat"]  # labels on y and n
    assert page_keys(checkthat).note == "e"
    assert page_keys(_scheme("a", "o", "u")) == PageKeys(as_of=None, note="n", unlabelled="home")


def test_no_page_key_is_ever_a_label_key_of_a_shipped_scheme() -> None:
    for scheme in shipped_schemes().values():
        own = {c.key for c in scheme.claim_types}
        keys = page_keys(scheme)
        assert not own & {keys.as_of, keys.note, keys.unlabelled}


def test_the_key_list_names_every_label_key_and_every_page_key() -> None:
    rows = dict(key_rows(CLAIMS_V1, page_keys(CLAIMS_V1)))
    assert [rows[k] for k in ("1", "2", "3")] == [
        f"{c.label} (saves, then the next unlabelled sentence)" for c in CLAIMS_V1.claim_types
    ]
    assert set(rows) == {"1", "2", "3", "D", "A", "N", "S", "←", "→", "U", "Enter", "?"}


def test_the_key_list_follows_a_scheme_without_date_bound() -> None:
    scheme = _scheme("y", "n", date_bound=False)
    rows = dict(key_rows(scheme, page_keys(scheme)))
    assert "D" not in rows and "A" not in rows
    assert rows["E"].startswith("Type a note")


def test_the_script_opens_and_closes_the_keys_list_and_leaves_the_rest_to_the_panel() -> None:
    assert script_config()["keys"] == {
        "?": ".st-key-ca_help summary",
        "Escape": ".st-key-ca_help details[open] summary",
    }


def test_the_script_is_constants_only() -> None:
    text = script()
    assert text.count("<script>") == 1 and text.count("</script>") == 1
    embedded = re.search(r"window\.caKeys = (\{.*?\});", text)
    assert embedded is not None
    assert json.loads(embedded.group(1)) == script_config()
