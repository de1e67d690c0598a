"""Label schemes (DESIGN.md section 3): `claims-v1` and schemes loaded from JSON or YAML files.

A scheme is data: its labels (value, button text, key, one-line definition, examples), the
label the date-bound field applies to (if any), the labels whose gold claims go to
fact-checking, and the tie-breaking test. Parsing is pure:
bytes in, a validated `Scheme` or an `InvalidInput` naming the file and the field out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from annotator.errors import InvalidInput
from annotator.storable import storable_problem

MAX_SCHEME_BYTES = 64 * 1024
MIN_LABELS, MAX_LABELS = 2, 9
MAX_EXAMPLES = 10
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
VALUE_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,31}")
KEY_PATTERN = re.compile(r"[a-z0-9]")
RESERVED_KEYS = {
    "c": "is reserved by Streamlit (clear cache)",
    "r": "is reserved by Streamlit (rerun)",
    "d": "is the date-bound key",
    "s": "is the skip key",
}
TOP_FIELDS = ("name", "labels", "date_bound", "fact_check", "torn_test", "ordered")
LABEL_FIELDS = ("value", "label", "key", "definition", "examples")
DATE_BOUND_FIELDS = ("applies_to", "definition")
TEXT_LIMITS = {"label": 60, "definition": 1_000, "torn_test": 1_000, "example": 500}


@dataclass(frozen=True)
class ClaimType:
    """One value of `claim_type`, with the key that gives it and how the UI explains it."""

    value: str
    label: str
    key: str
    definition: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Scheme:
    """A label scheme: the claim types and the help text for the date-bound field.

    `date_bound_applies_to` is the claim type that may be date-bound; None means the scheme
    has no date-bound field.
    """

    name: str
    claim_types: tuple[ClaimType, ...]
    date_bound_applies_to: str | None
    date_bound_definition: str = ""
    torn_test: str = ""
    ordered: bool = False  # the labels are listed in an order (agreement uses ordinal alpha)
    fact_check: tuple[str, ...] = ()  # the label values whose gold claims are fact-checked

    def claim_type(self, value: str) -> ClaimType:
        """The claim type called `value`; KeyError if the scheme has none."""
        for claim_type in self.claim_types:
            if claim_type.value == value:
                return claim_type
        raise KeyError(value)

    @property
    def values(self) -> tuple[str, ...]:
        """The allowed `claim_type` values, in display order."""
        return tuple(c.value for c in self.claim_types)


CLAIMS_V1 = Scheme(
    name="claims-v1",
    claim_types=(
        ClaimType(
            "factual",
            "Factual claim",
            "1",
            "Asserts something public evidence could prove or disprove, true or not: an event, "
            "a number, a ranking, a cause, what a rule says, what someone said. If any part is "
            "checkable, it is factual. A false statement is still factual.",
            (
                "Pakistan had acquired MI-35 gunship helicopters from Russia during 2014.",
                "Defence sources said Friday that Russia offered training.",
            ),
        ),
        ClaimType(
            "opinion",
            "Opinion",
            "2",
            "A judgement, value, belief, recommendation (“should”) or unattributed speculation "
            "that evidence cannot settle. Loaded words alone do not make a factual sentence an "
            "opinion.",
            ("There is a lot of potential to enhance their bilateral cooperation.",),
        ),
        ClaimType(
            "not_claim",
            "Not a claim",
            "3",
            "Asserts nothing checkable and states no view: a question, a topic headline, a call "
            "to action, a caption credit, a personal experience no public source can check.",
            ("Also read: Pakistan, Russia sign landmark defence cooperation agreement",),
        ),
    ),
    date_bound_applies_to="factual",
    fact_check=("factual",),
    date_bound_definition=(
        "For factual claims only: the claim's truth can change over time while the sentence "
        "stays the same (“X is the largest supplier”, “talks are under way”, records, office "
        "holders, running totals). Not date-bound when a fixed past time is explicit "
        "(“in 2014”) or the claim is timeless. The as-of date is when the claim holds; it "
        "defaults to the article's publication date."
    ),
    torn_test=(
        "When torn: could a fact-checker, with public sources, rate this true or false? "
        "Reported speech (“X said Y”) is factual: that X said it is checkable."
    ),
)

SCHEMES = {CLAIMS_V1.name: CLAIMS_V1}
"""Schemes known by name alone (projects created before schemes were stored in full)."""


def load_scheme(name: str, data: bytes) -> Scheme:
    """The scheme in the `.json`, `.yaml` or `.yml` file called `name` with contents `data`;
    InvalidInput naming the file and the field if it is not a valid scheme."""
    if len(data) > MAX_SCHEME_BYTES:
        raise InvalidInput(
            f"is {len(data):,} bytes; a scheme file may have at most {MAX_SCHEME_BYTES:,}",
            file=name,
        )
    return _scheme(_parse(name, data), name)


def scheme_to_json(scheme: Scheme) -> str:
    """The scheme as JSON in the file format `load_scheme` reads (what a project stores)."""
    document: dict[str, Any] = {
        "name": scheme.name,
        "labels": [
            {
                "value": c.value,
                "label": c.label,
                "key": c.key,
                "definition": c.definition,
                "examples": list(c.examples),
            }
            for c in scheme.claim_types
        ],
    }
    if scheme.date_bound_applies_to is not None:
        document["date_bound"] = {
            "applies_to": scheme.date_bound_applies_to,
            "definition": scheme.date_bound_definition,
        }
    if scheme.fact_check:
        document["fact_check"] = list(scheme.fact_check)
    if scheme.torn_test:
        document["torn_test"] = scheme.torn_test
    if scheme.ordered:
        document["ordered"] = True
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def scheme_from_json(text: str) -> Scheme:
    """The scheme stored as JSON by `scheme_to_json` (validated again on the way in)."""
    return load_scheme("stored scheme.json", text.encode("utf-8"))


def _parse(name: str, data: bytes) -> object:
    """The file's document: JSON or YAML by extension, UTF-8 (a BOM is dropped). PyYAML is
    imported here: only a scheme file needs it, not every command's start-up."""
    import yaml

    suffix = name.lower().rpartition(".")[2]
    if suffix not in {"json", "yaml", "yml"}:
        raise InvalidInput("a scheme file must end in .json, .yaml or .yml", file=name)
    try:
        text = data.decode("utf-8-sig")
        return json.loads(text) if suffix == "json" else yaml.safe_load(text)
    except UnicodeDecodeError:
        raise InvalidInput("is not UTF-8 text", file=name) from None
    except json.JSONDecodeError as error:
        raise InvalidInput(f"not valid JSON: {error.msg}", file=name, line=error.lineno) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or "syntax error"
        raise InvalidInput(f"not valid YAML: {problem}", file=name, line=line) from None
    except RecursionError:
        raise InvalidInput("is nested too deeply to be a scheme", file=name) from None


def _scheme(document: object, file: str) -> Scheme:
    """Validate the parsed document field by field."""
    fields = _mapping(document, "the file", TOP_FIELDS, file)
    name = _text(fields.get("name"), "name", file, limit=64)
    if not NAME_PATTERN.fullmatch(name):
        raise InvalidInput(
            f"name {name!r} must be 1-64 letters, digits, '.', '_' or '-', starting with a "
            "letter or digit",
            file=file,
        )
    claim_types = _claim_types(fields.get("labels"), file)
    values = [c.value for c in claim_types]
    applies_to, definition = _date_bound(fields, set(values), file)
    return Scheme(
        name=name,
        claim_types=claim_types,
        date_bound_applies_to=applies_to,
        date_bound_definition=definition,
        torn_test=_text(fields.get("torn_test"), "torn_test", file, required=False),
        ordered=_flag(fields.get("ordered", False), "ordered", file),
        fact_check=_fact_check(fields.get("fact_check"), values, file),
    )


def _flag(raw: object, field: str, file: str) -> bool:
    if not isinstance(raw, bool):
        raise InvalidInput(f"{field} must be true or false, not {raw!r}", file=file)
    return raw


def _claim_types(raw: object, file: str) -> tuple[ClaimType, ...]:
    """The `labels` list: 2-9 labels with unique values and keys."""
    if raw is None:
        raise InvalidInput("labels is missing", file=file)
    if not isinstance(raw, list) or not MIN_LABELS <= len(raw) <= MAX_LABELS:
        raise InvalidInput(
            f"labels must be a list of {MIN_LABELS} to {MAX_LABELS} labels", file=file
        )
    claim_types = tuple(_claim_type(item, f"labels[{i}]", file) for i, item in enumerate(raw))
    for field in ("value", "key"):
        seen: set[str] = set()
        for i, claim_type in enumerate(claim_types):
            value = getattr(claim_type, field)
            if value in seen:
                raise InvalidInput(
                    f"labels[{i}].{field} {value!r} is used by an earlier label", file=file
                )
            seen.add(value)
    return claim_types


def _claim_type(item: object, where: str, file: str) -> ClaimType:
    """One label: an identifier value, button text, a key, a one-line definition, examples."""
    fields = _mapping(item, where, LABEL_FIELDS, file)
    value = _text(fields.get("value"), f"{where}.value", file, limit=32)
    if not VALUE_PATTERN.fullmatch(value):
        raise InvalidInput(
            f"{where}.value {value!r} must be a lower-case identifier: a letter, then up to 31 "
            "letters, digits or '_' (like cfs or not_claim)",
            file=file,
        )
    return ClaimType(
        value=value,
        label=_text(fields.get("label"), f"{where}.label", file, limit=TEXT_LIMITS["label"]),
        key=_key(fields.get("key"), where, file),
        definition=_text(fields.get("definition"), f"{where}.definition", file),
        examples=_examples(fields.get("examples"), where, file),
    )


def _key(raw: object, where: str, file: str) -> str:
    """A one-character keyboard shortcut, stored in lower case; YAML's bare 1 counts as "1"."""
    if raw is None:
        raise InvalidInput(f"{where}.key is missing", file=file)
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= 9:
        raw = str(raw)
    if not isinstance(raw, str):
        raise InvalidInput(f"{where}.key must be one letter or digit in quotes", file=file)
    if not KEY_PATTERN.fullmatch(raw.lower()):
        raise InvalidInput(f"{where}.key {raw!r} must be one letter or digit", file=file)
    if raw.lower() in RESERVED_KEYS:
        raise InvalidInput(
            f"{where}.key {raw!r} {RESERVED_KEYS[raw.lower()]}; choose another", file=file
        )
    return raw.lower()


def _examples(raw: object, where: str, file: str) -> tuple[str, ...]:
    """Optional example sentences: a list of at most ten one-line strings."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_EXAMPLES:
        raise InvalidInput(
            f"{where}.examples must be a list of at most {MAX_EXAMPLES} sentences", file=file
        )
    return tuple(
        _text(example, f"{where}.examples[{i}]", file, limit=TEXT_LIMITS["example"])
        for i, example in enumerate(raw)
    )


def _date_bound(
    fields: Mapping[str, object], values: set[str], file: str
) -> tuple[str | None, str]:
    """The optional `date_bound` block: which label it applies to, and its definition."""
    if fields.get("date_bound") is None:
        return None, ""
    block = _mapping(fields["date_bound"], "date_bound", DATE_BOUND_FIELDS, file)
    applies_to = _text(block.get("applies_to"), "date_bound.applies_to", file, limit=32)
    if applies_to not in values:
        raise InvalidInput(
            f"date_bound.applies_to {applies_to!r} is not one of the label values "
            f"({', '.join(sorted(values))})",
            file=file,
        )
    return applies_to, _text(block.get("definition"), "date_bound.definition", file)


def _fact_check(raw: object, values: list[str], file: str) -> tuple[str, ...]:
    """The optional `fact_check` list: label values whose gold claims go to fact-checkers."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(v, str) for v in raw):
        raise InvalidInput(
            "fact_check must be a list of label values (the answers that go to fact-checking)",
            file=file,
        )
    for value in raw:
        if value not in values:
            raise InvalidInput(
                f"fact_check {value!r} is not one of the label values ({', '.join(values)})",
                file=file,
            )
    return tuple(dict.fromkeys(raw))


def _mapping(raw: object, where: str, allowed: tuple[str, ...], file: str) -> dict[str, object]:
    """`raw` as a mapping with no fields beyond `allowed` (a typo is an error, not ignored)."""
    if not isinstance(raw, dict):
        raise InvalidInput(
            f"{where} must be a mapping with the fields {', '.join(allowed)}", file=file
        )
    unknown = [str(k) for k in raw if k not in allowed]
    if unknown:
        prefix = "" if where == "the file" else f"{where}."
        raise InvalidInput(
            f"{prefix}{unknown[0]} is not a scheme field; expected one of {', '.join(allowed)}",
            file=file,
        )
    return {str(k): v for k, v in raw.items()}


def _text(
    raw: object,
    path: str,
    file: str,
    *,
    required: bool = True,
    limit: int = TEXT_LIMITS["definition"],
) -> str:
    """A one-line string field, stripped; missing is an error only when `required`."""
    if raw is None:
        if required:
            raise InvalidInput(f"{path} is missing", file=file)
        return ""
    if not isinstance(raw, str):
        raise InvalidInput(f"{path} must be text (put it in quotes)", file=file)
    text = raw.strip()
    if required and not text:
        raise InvalidInput(f"{path} is empty", file=file)
    if "\n" in text or "\r" in text:
        raise InvalidInput(f"{path} must be one line", file=file)
    problem = storable_problem(text)
    if problem is not None:
        raise InvalidInput(f"{path} {problem}", file=file)
    if len(text) > limit:
        raise InvalidInput(f"{path} is {len(text):,} characters; at most {limit:,}", file=file)
    return text
