"""`annotator.load` and the data dictionary's pandas recipes: every kind from every format
reads back with the documented dtypes, column by column, and the same values."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from sqlalchemy.orm import Session

import annotator
from annotator.columns import KINDS, SHOWN_COLUMNS
from annotator.errors import InvalidInput
from annotator.loading import dtypes
from annotator.services import accounts, fact_checking, labelling
from annotator.services.exporting import FORMATS, ExportRequest, export_bytes
from annotator.services.fact_checking import VerdictInput
from annotator.services.importing import import_file
from annotator.services.labelling import LabelInput
from annotator.services.records import UserInfo
from tests.conftest import PASSWORD, open_session, prepare_database

DICTIONARY = Path(__file__).resolve().parent.parent / "docs" / "data-dictionary.md"
FEED = (
    b"id,title,text,published,source,url\n"
    b'f1,Feed,"Prices rose 5% in 2014. NA said null.",2014-11-21,Wire,https://example.org/f1\n'
)
CASES = [(kind, format_) for kind in KINDS for format_ in FORMATS]


@pytest.fixture(scope="module")
def exports(
    tmp_path_factory: pytest.TempPathFactory,
    label_some: Callable[[Session, UserInfo], list[int]],
) -> Path:
    """A folder with `<kind>.<format>` for every kind and format, and `claimreview.jsonl`,
    exported from one small database: labels of every sort, gold, one verdict, an article
    with a source and URL and one without."""
    folder = tmp_path_factory.mktemp("exports")
    url = f"sqlite:///{folder / 'annotator.db'}"
    prepare_database(url, (("admin", "admin"), ("ann", "annotator")))
    with open_session(url) as session:
        ann = accounts.authenticate(session, "ann", PASSWORD)
        label_some(session, ann)
        import_file(session, "default", "feed.csv", FEED)
        feed = labelling.article_list(session, ann, "default")[-1].id
        for sentence in labelling.load_article(session, ann, feed).body:
            labelling.save_label(session, ann, sentence.id, LabelInput("opinion"), 0.5)
        fact_checking.assign_checks(session, None, "default", ["ann"])
        check = fact_checking.check_queue(session, ann, "default")[0]
        verdict = VerdictInput("true", ("https://example.org/r",), dt.date(2014, 11, 21), "Yes.")
        fact_checking.record_verdict(session, ann, check.id, verdict)
        for kind, format_ in [*CASES, ("claimreview", "jsonl")]:
            data = export_bytes(session, ExportRequest("default", kind, format_), None)
            (folder / f"{kind}.{format_}").write_bytes(data)
    return folder


@pytest.mark.parametrize(("kind", "format_"), CASES)
def test_load_gives_every_column_its_documented_dtype(
    exports: Path, kind: str, format_: str
) -> None:
    frame = annotator.load(exports / f"{kind}.{format_}")
    assert list(frame.columns) == list(KINDS[kind])
    assert {c: str(t) for c, t in frame.dtypes.items()} == dtypes(kind)
    assert len(frame) > 1


@pytest.mark.parametrize("kind", KINDS)
def test_every_format_loads_to_the_same_frame(exports: Path, kind: str) -> None:
    csv, jsonl, parquet = (annotator.load(exports / f"{kind}.{f}") for f in FORMATS)
    pd.testing.assert_frame_equal(jsonl, csv)
    pd.testing.assert_frame_equal(parquet, csv)


def test_missing_values_are_missing_alike_and_text_that_reads_na_stays_text(
    exports: Path,
) -> None:
    labels = annotator.load(exports / "labels.csv")
    seed, feed = labels.iloc[0], labels.iloc[-1]
    assert pd.isna(seed["article_url"]) and pd.isna(seed["article_source"])
    assert feed["article_url"] == "https://example.org/f1" and feed["article_source"] == "Wire"
    assert feed["sentence"] == "NA said null."
    assert labels["date_bound"].tolist()[:4] == [True, pd.NA, pd.NA, False]
    assert labels["as_of"].iloc[0] == pd.Timestamp("2014-11-21")
    assert labels["labelled_at"].iloc[0].tzname() == "UTC"
    gold = annotator.load(exports / "gold.parquet")
    assert (gold["verdict"] == "true").sum() == 1 and gold["verdict"].isna().sum() >= 1


@pytest.mark.parametrize("format_", ["jsonl", "parquet"])
def test_an_empty_text_is_written_as_null_not_as_an_empty_string(
    exports: Path, format_: str
) -> None:
    path = exports / f"labels.{format_}"
    raw = pd.read_parquet(path) if format_ == "parquet" else pd.read_json(path, lines=True)
    assert raw["note"].isna().any() and raw["article_url"].isna().any()
    assert not (raw[["note", "article_url", "claim_type"]] == "").any().any()


def _recipe_blocks() -> list[str]:
    section = DICTIONARY.read_text().split("## Loading with pandas", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_the_documented_dtypes_are_those_load_gives() -> None:
    namespace: dict[str, object] = {}
    exec(_recipe_blocks()[1], namespace)
    assert namespace["DTYPES"] == {kind: dtypes(kind) for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_each_documented_recipe_reads_what_load_reads(
    exports: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage, table, recipes = _recipe_blocks()
    assert "annotator.load(" in usage
    monkeypatch.chdir(exports)
    namespace: dict[str, object] = {}
    exec(table, namespace)
    exec(recipes.replace('kind = "labels"', f"kind = {kind!r}"), namespace)
    for format_ in FORMATS:
        frame = namespace[f"{format_}_frame"]
        assert isinstance(frame, pd.DataFrame)
        pd.testing.assert_frame_equal(frame, annotator.load(f"{kind}.{format_}"))


def test_an_empty_export_loads_with_the_documented_dtypes(tmp_path: Path, seeded) -> None:
    for format_ in FORMATS:
        data = export_bytes(seeded, ExportRequest("default", "gold", format_), None)
        (tmp_path / f"gold.{format_}").write_bytes(data)
        frame = annotator.load(tmp_path / f"gold.{format_}", kind="gold")
        assert len(frame) == 0 and {c: str(t) for c, t in frame.dtypes.items()} == dtypes("gold")


def test_load_refuses_what_is_not_an_export_table(exports: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"is a ClaimReview export .* not a table"):
        annotator.load(exports / "claimreview.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    with pytest.raises(InvalidInput, match="is empty, so its columns cannot tell its kind"):
        annotator.load(empty)
    with pytest.raises(InvalidInput, match=r"cannot load \.xlsx: use one of .csv, .jsonl"):
        annotator.load(tmp_path / "labels.xlsx")


def test_unknown_columns_are_refused_naming_the_closest_kind_and_the_difference(
    exports: Path, tmp_path: Path
) -> None:
    table = pq.read_table(exports / "labels.parquet")
    odd = table.drop_columns(["note"]).append_column("colour", table.column("note"))
    pq.write_table(odd, tmp_path / "odd.parquet")
    with pytest.raises(InvalidInput) as refused:
        annotator.load(tmp_path / "odd.parquet")
    assert str(refused.value) == (
        f"{tmp_path / 'odd.parquet'}: the columns are not those of an export kind; closest is "
        "labels (missing: note; not in it: colour)"
    )


@pytest.mark.parametrize("format_", FORMATS)
def test_a_labels_export_from_before_the_suggestion_columns_loads_with_them_missing(
    exports: Path, tmp_path: Path, format_: str
) -> None:
    current = annotator.load(exports / f"labels.{format_}")
    older = current.drop(columns=list(SHOWN_COLUMNS))
    path = tmp_path / f"old.{format_}"
    if format_ == "csv":
        older.to_csv(path, index=False)
    elif format_ == "jsonl":
        older.to_json(path, orient="records", lines=True, date_format="iso")
    else:
        older.to_parquet(path)
    loaded = annotator.load(path)
    assert list(loaded.columns) == list(KINDS["labels"])
    assert loaded[list(SHOWN_COLUMNS)].isna().all().all()
    assert {c: str(t) for c, t in loaded.dtypes.items()} == dtypes("labels")
    assert loaded["claim_type"].equals(current["claim_type"])


def test_importing_annotator_does_not_import_pandas() -> None:
    import subprocess
    import sys

    code = "import sys, annotator; sys.exit('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
