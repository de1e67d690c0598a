"""Settings from the environment, read once, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path("data")
DEFAULT_PROJECT = "default"
_CHECKOUT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# The checkout's seeds/; an installed package carries a copy as annotator/seeds.
SEEDS_DIR = (
    _CHECKOUT_SEEDS if _CHECKOUT_SEEDS.is_dir() else Path(__file__).resolve().parent / "seeds"
)


@dataclass(frozen=True)
class Settings:
    """What the environment says about this deployment."""

    database_url: str
    seeds_dir: Path
    organisation: str = "Claim Annotator"
    review_url: str = ""


def default_database_url() -> str:
    """The embedded default: a SQLite file under ./data/ (created on first use)."""
    return f"sqlite:///{DEFAULT_DATA_DIR / 'annotator.db'}"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read `DATABASE_URL` (default: SQLite under ./data/), `ANNOTATOR_SEEDS_DIR`, and for
    ClaimReview exports `ANNOTATOR_ORGANISATION` (the author) and `ANNOTATOR_REVIEW_URL` (a
    fact-check's page, with `{sentence_id}` where its id goes)."""
    env = os.environ if environ is None else environ
    return Settings(
        database_url=env.get("DATABASE_URL") or default_database_url(),
        seeds_dir=Path(env.get("ANNOTATOR_SEEDS_DIR") or SEEDS_DIR),
        organisation=env.get("ANNOTATOR_ORGANISATION") or Settings.organisation,
        review_url=env.get("ANNOTATOR_REVIEW_URL") or "",
    )
