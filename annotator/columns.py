"""The export tables' columns and their types: the data scientist's contract
(docs/data-dictionary.md). Types: string, int, float, bool, date, timestamp (see
`annotator.writers`)."""

from __future__ import annotations

SENTENCE_COLUMNS = {
    "project": "string",
    "article_id": "int",
    "article_title": "string",
    "article_published": "date",
    "article_source": "string",
    "article_url": "string",
    "sentence_id": "int",
    "sentence_index": "int",
    "char_start": "int",
    "char_end": "int",
    "sentence": "string",
    "speaker": "string",
}
LABEL_COLUMNS = {
    **SENTENCE_COLUMNS,
    "annotator": "string",
    "claim_type": "string",
    "date_bound": "bool",
    "as_of": "date",
    "note": "string",
    "skipped": "bool",
    "labelled_at": "timestamp",
    "seconds_spent": "float",
    # What the annotator was shown when answering (issue 21); empty when nothing was.
    "suggestion": "string",
    "suggestion_confidence": "float",
    "suggestion_model": "string",
    "suggestion_mode": "string",
}
SHOWN_COLUMNS = ("suggestion", "suggestion_confidence", "suggestion_model", "suggestion_mode")
GOLD_COLUMNS = {
    **SENTENCE_COLUMNS,
    "claim_type": "string",
    "date_bound": "bool",
    "as_of": "date",
    "n_labels": "int",
    "agreement": "float",
    "decided_by": "string",
    "verdict": "string",
    "evidence_urls": "string",
    "rationale": "string",
}
KINDS: dict[str, dict[str, str]] = {
    "labels": LABEL_COLUMNS,
    "gold": GOLD_COLUMNS,
    "sentences": {**SENTENCE_COLUMNS, "role": "string"},
}
# Here, not in services/exporting.py (which loads pyarrow), so that the command line can name
# them in its options without loading the export's libraries.
FORMATS = ("csv", "jsonl", "parquet")
EXPORT_KINDS = (*KINDS, "claimreview")  # claimreview: JSON-LD objects, one per line
