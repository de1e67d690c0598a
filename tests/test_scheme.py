"""Label schemes are data: shipped files load, bad files are refused naming file and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import InvalidInput
from annotator.scheme import (
    CLAIMS_V1,
    MAX_SCHEME_BYTES,
    load_scheme,
    scheme_from_json,
    scheme_to_json,
)

SCHEMES_DIR = Path(__file__).resolve().parent.parent / "annotator" / "schemes"
SHIPPED = sorted(p.name for p in SCHEMES_DIR.iterdir())


def _label(value: str, key: str, **extra: object) -> dict[str, object]:
    return {"value": value, "label": value.title(), "key": key, "definition": "A d.", **extra}


def _document(**changes: object) -> dict[str, object]:
    document: dict[str, object] = {
        "name": "mini",
        "labels": [_label("alpha", "1"), _label("beta", "2"), _label("gamma", "3")],
        "date_bound": {"applies_to": "alpha", "definition": "True as of a date."},
    }
    document.update(changes)
    return {k: v for k, v in document.items() if v is not None}


def _refusal(name: str, data: bytes) -> str:
    with pytest.raises(InvalidInput) as caught:
        load_scheme(name, data)
    return str(caught.value)


def _json(document: dict[str, object]) -> bytes:
    return json.dumps(document).encode()


def test_the_shipped_files_are_claims_v1_claimbuster_and_checkthat() -> None:
    assert SHIPPED == ["checkthat.yaml", "claimbuster.yaml", "claims-v1.json"]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_scheme_loads_and_survives_a_json_round_trip(name: str) -> None:
    scheme = load_scheme(name, (SCHEMES_DIR / name).read_bytes())
    assert scheme_from_json(scheme_to_json(scheme)) == scheme


def test_the_shipped_claims_v1_file_equals_the_built_in_default() -> None:
    data = (SCHEMES_DIR / "claims-v1.json").read_bytes()
    assert load_scheme("claims-v1.json", data) == CLAIMS_V1
    assert data.decode() == scheme_to_json(CLAIMS_V1)


def test_claimbuster_has_nfs_ufs_cfs_and_no_date_bound_field() -> None:
    scheme = load_scheme("claimbuster.yaml", (SCHEMES_DIR / "claimbuster.yaml").read_bytes())
    assert scheme.values == ("nfs", "ufs", "cfs")
    assert scheme.date_bound_applies_to is None
    assert all(c.definition and "\n" not in c.definition for c in scheme.claim_types)


def test_checkthat_is_binary_with_quoted_yes_and_no() -> None:
    scheme = load_scheme("checkthat.yaml", (SCHEMES_DIR / "checkthat.yaml").read_bytes())
    assert scheme.values == ("yes", "no")
    assert [c.key for c in scheme.claim_types] == ["y", "n"]


def test_each_shipped_scheme_says_which_answers_go_to_fact_checking() -> None:
    fact_checked = {
        name: load_scheme(name, (SCHEMES_DIR / name).read_bytes()).fact_check for name in SHIPPED
    }
    assert fact_checked == {
        "checkthat.yaml": ("yes",),
        "claimbuster.yaml": ("cfs",),
        "claims-v1.json": ("factual",),
    }


def test_fact_check_survives_the_json_round_trip_and_takes_a_single_value() -> None:
    labels = "".join(f"  - {{value: {v}, label: {v}, key: '{k}', definition: d}}\n"
                     for v, k in (("alpha", 1), ("beta", 2)))  # fmt: skip
    scheme = load_scheme("one.yaml", f"name: one\nfact_check: beta\nlabels:\n{labels}".encode())
    assert scheme.fact_check == ("beta",)
    assert scheme_from_json(scheme_to_json(scheme)).fact_check == ("beta",)


def test_yaml_and_json_versions_of_a_scheme_are_equal() -> None:
    yaml_text = """
name: mini
labels:
  - {value: alpha, label: Alpha, key: 1, definition: A d.}
  - {value: beta, label: Beta, key: "2", definition: A d.}
  - {value: gamma, label: Gamma, key: "3", definition: A d.}
date_bound:
  applies_to: alpha
  definition: >-
    True as of
    a date.
"""
    from_yaml = load_scheme("mini.yml", yaml_text.encode())
    assert from_yaml == load_scheme("mini.json", _json(_document()))


def test_a_scheme_without_date_bound_has_no_date_bound_field() -> None:
    scheme = load_scheme("mini.json", _json(_document(date_bound=None)))
    assert scheme.date_bound_applies_to is None
    assert scheme_from_json(scheme_to_json(scheme)) == scheme


def test_keys_are_stored_in_lower_case() -> None:
    labels = [_label("alpha", "A"), _label("beta", "B")]
    scheme = load_scheme("mini.json", _json(_document(labels=labels, date_bound=None)))
    assert [c.key for c in scheme.claim_types] == ["a", "b"]


def _with_label(index: int, **fields: object) -> bytes:
    document = _document()
    labels = document["labels"]
    assert isinstance(labels, list)
    labels[index] = {**labels[index], **fields}
    return _json({k: v for k, v in document.items()})


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_with_label(2, key="C"), "labels[2].key 'C' is reserved by Streamlit"),
        (_with_label(1, key="r"), "labels[1].key 'r' is reserved by Streamlit"),
        (_with_label(0, key="d"), "labels[0].key 'd' is the date-bound key"),
        (_with_label(0, key="S"), "labels[0].key 'S' is the skip key"),
        (_with_label(1, key="1"), "labels[1].key '1' is used by an earlier label"),
        (_with_label(1, key="12"), "labels[1].key '12' must be one letter or digit"),
        (_with_label(1, key=True), "labels[1].key must be one letter or digit in quotes"),
        (_with_label(2, value="alpha"), "labels[2].value 'alpha' is used by an earlier label"),
        (_with_label(0, value="Not Claim"), "labels[0].value 'Not Claim' must be a lower-case"),
        (_with_label(0, value="x" * 33), "labels[0].value"),
        (_with_label(1, definition=None), "labels[1].definition is missing"),
        (_with_label(1, definition="  "), "labels[1].definition is empty"),
        (_with_label(1, definition="two\nlines"), "labels[1].definition must be one line"),
        (_with_label(1, definition="x" * 1001), "labels[1].definition is 1,001 characters"),
        (_with_label(1, label=7), "labels[1].label must be text"),
        (_with_label(1, examples="one"), "labels[1].examples must be a list"),
        (_with_label(1, examples=["ok", 3]), "labels[1].examples[1] must be text"),
        (_with_label(1, colour="red"), "labels[1].colour is not a scheme field"),
        (_json(_document(labels=[_label("alpha", "1")])), "labels must be a list of 2 to 9"),
        (
            _json(_document(labels=[_label(f"v{i}", str(i)) for i in range(10)])),
            "labels must be a list of 2 to 9",
        ),
        (_json(_document(labels=None)), "labels is missing"),
        (_json(_document(labels=["alpha", "beta"])), "labels[0] must be a mapping"),
        (_json(_document(name=None)), "name is missing"),
        (_json(_document(name="my scheme")), "name 'my scheme' must be 1-64"),
        (_json(_document(lables=[])), "lables is not a scheme field"),
        (
            _json(_document(date_bound={"applies_to": "delta", "definition": "x"})),
            "date_bound.applies_to 'delta' is not one of the label values",
        ),
        (
            _json(_document(date_bound={"applies_to": "alpha"})),
            "date_bound.definition is missing",
        ),
        (_json(_document(date_bound="alpha")), "date_bound must be a mapping"),
        (_json(_document(fact_check=["delta"])), "fact_check 'delta' is not one of the label"),
        (_json(_document(fact_check=[])), "fact_check must be a list of label values"),
        (_json(_document(fact_check=[1])), "fact_check must be a list of label values"),
        (_json(_document(fact_check={"alpha": 1})), "fact_check must be a list of label"),
        (b"[1, 2]", "the file must be a mapping"),
    ],
)
def test_each_invalid_scheme_is_refused_naming_the_file_and_the_field(
    data: bytes, expected: str
) -> None:
    message = _refusal("bad.json", data)
    assert message.startswith("bad.json: ")
    assert expected in message


def test_invalid_json_names_the_file_and_line() -> None:
    assert _refusal("bad.json", b'{\n  "name": "x",\n  oops\n}').startswith("bad.json:3: ")


def test_invalid_yaml_names_the_file_and_line() -> None:
    message = _refusal("bad.yaml", b"name: x\nlabels: [a, b\n")
    assert message.startswith("bad.yaml:") and "not valid YAML" in message


def test_an_unquoted_yaml_yes_is_refused_with_a_hint_to_quote_it() -> None:
    data = b"""name: x
labels:
  - {value: yes, label: Y, key: "y", definition: d}
  - {value: "no", label: N, key: "n", definition: d}
"""
    assert "labels[0].value must be text (put it in quotes)" in _refusal("x.yaml", data)


def test_an_oversized_file_is_refused_before_parsing() -> None:
    message = _refusal("huge.json", b" " * (MAX_SCHEME_BYTES + 1))
    assert message.startswith("huge.json: ") and "at most 65,536" in message


@pytest.mark.parametrize("name", ["deep.json", "deep.yaml"])
def test_deeply_nested_files_are_refused_cleanly(name: str) -> None:
    message = _refusal(name, b"[" * 30_000 + b"]" * 30_000)
    assert message.startswith(f"{name}")


def test_an_unknown_extension_or_non_utf8_bytes_are_refused() -> None:
    assert "must end in .json, .yaml or .yml" in _refusal("scheme.txt", b"{}")
    assert "is not UTF-8" in _refusal("scheme.json", b"\xff\xfe{}")
