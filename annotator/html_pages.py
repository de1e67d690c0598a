"""Web pages (pure): the bytes of a saved or fetched HTML page -> one article draft.

trafilatura finds the article in the page and drops the boilerplate (menus, teasers, comments,
footers), and reads its metadata: title, author (stored as the byline), publication date,
site name (stored as the source) and the page's own URL (its canonical link or `og:url`).
The extracted paragraphs, joined by blank lines, are the article's stored text, so sentence
offsets point into that text; the page's bytes are kept in the draft (`html`) and stored
beside it, so the extraction can be checked or redone later.

trafilatura (with lxml) takes a noticeable time to import, so it is imported on first use,
never when the command line or the app starts.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from annotator.errors import ImportRejected
from annotator.readers import ArticleDraft, has_visible_text
from annotator.sentence_roles import parse_date
from annotator.storable import storable_problem


def page_draft(name: str, data: bytes, url: str | None = None) -> ArticleDraft:
    """The article of the page `name` (whose bytes are `data`, fetched from `url` if given)."""
    found = _extract(data, url)
    paragraphs = [line.strip() for line in (found.get("text") or "").split("\n")]
    paragraphs = [p for p in paragraphs if has_visible_text(p)]
    if not paragraphs:
        raise ImportRejected(
            "no article text found in the page (trafilatura extracted nothing)", file=name
        )
    text = "\n\n".join(paragraphs) + "\n"
    problem = storable_problem(text)
    if problem is not None:
        raise ImportRejected(f"the page's text {problem}", file=name)
    title = _field(found, "title", name) or _fallback_title(name, url)
    published_raw = _field(found, "date", name)
    return ArticleDraft(
        text=text,
        title=title,
        # The page's headline often opens the extracted text: then it is the title line.
        title_in_text=paragraphs[0] == title,
        byline=_field(found, "author", name),
        published=parse_date(published_raw) if published_raw else None,
        published_raw=published_raw,
        source=_field(found, "sitename", name) or _field(found, "hostname", name),
        url=_field(found, "url", name) or url,
        external_id=None,
        origin=name,
        html=data,
    )


def _extract(data: bytes, url: str | None) -> dict[str, Any]:
    """trafilatura's reading of the page: text and metadata, comments left out."""
    import trafilatura

    document = trafilatura.bare_extraction(
        data, url=url, with_metadata=True, include_comments=False
    )
    if document is None:
        return {}
    return dict(document.as_dict()) if not isinstance(document, dict) else document


def _field(found: dict[str, Any], key: str, name: str) -> str | None:
    """A metadata value, whitespace collapsed; None when absent or empty."""
    value = found.get(key)
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.split())
    problem = storable_problem(cleaned)
    if problem is not None:
        raise ImportRejected(f"the page's {key} {problem}", file=name)
    return cleaned or None


def _fallback_title(name: str, url: str | None) -> str:
    """A page without a title is named after its file (or the URL it came from)."""
    return url or PurePosixPath(name).stem
