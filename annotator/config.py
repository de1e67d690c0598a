"""Settings from the environment, read once, in one place."""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import InvalidInput

APP_NAME = "claim-annotator"
DATABASE_FILE = "annotator.db"
DEFAULT_PROJECT = "default"
_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent
_CHECKOUT_SEEDS = _CHECKOUT / "seeds"
# The checkout's seeds/; an installed package carries a copy as annotator/seeds.
SEEDS_DIR = _CHECKOUT_SEEDS if _CHECKOUT_SEEDS.is_dir() else _PACKAGE / "seeds"


@dataclass(frozen=True)
class Settings:
    """What the environment says about this deployment."""

    database_url: str
    seeds_dir: Path
    organisation: str = "Claim Annotator"
    review_url: str = ""
    session_lifetime: dt.timedelta = dt.timedelta(hours=12)


def running_from_checkout() -> bool:
    """Whether this package is the one in a source checkout (app.py and pyproject.toml beside
    it, as after `git clone` or `pip install -e .`), not a copy installed in site-packages."""
    return (_CHECKOUT / "app.py").is_file() and (_CHECKOUT / "pyproject.toml").is_file()


def user_data_dir(env: Mapping[str, str]) -> Path:
    """This user's folder for the app's data, as each platform names it: `$XDG_DATA_HOME`
    (default ~/.local/share) on Linux and other Unixes, ~/Library/Application Support on macOS,
    `%LOCALAPPDATA%` on Windows; with `claim-annotator` inside."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = env.get("XDG_DATA_HOME") or ""
        base = Path(xdg) if os.path.isabs(xdg) else home / ".local" / "share"
    return base / APP_NAME


def data_dir(env: Mapping[str, str]) -> Path:
    """The folder of the default SQLite database, whatever the working directory:
    `ANNOTATOR_DATA_DIR` if set; else the checkout's `data/` (beside app.py) when running from
    a source checkout; else, for an installed package, the user's data folder."""
    chosen = env.get("ANNOTATOR_DATA_DIR")
    if chosen:
        return Path(chosen).expanduser().absolute()
    return _CHECKOUT / "data" if running_from_checkout() else user_data_dir(env)


def default_database_url(environ: Mapping[str, str] | None = None) -> str:
    """The embedded default: the SQLite file `annotator.db` in `data_dir` (an absolute path)."""
    return f"sqlite:///{data_dir(os.environ if environ is None else environ) / DATABASE_FILE}"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read `DATABASE_URL` (default: `default_database_url`), `ANNOTATOR_SEEDS_DIR`, and for
    ClaimReview exports `ANNOTATOR_ORGANISATION` (the author) and `ANNOTATOR_REVIEW_URL` (a
    fact-check's page, with `{sentence_id}` where its id goes), and `ANNOTATOR_SESSION_HOURS`
    (how long a sign-in lasts across reloads; default 12)."""
    env = os.environ if environ is None else environ
    return Settings(
        database_url=env.get("DATABASE_URL") or default_database_url(env),
        seeds_dir=Path(env.get("ANNOTATOR_SEEDS_DIR") or SEEDS_DIR),
        organisation=env.get("ANNOTATOR_ORGANISATION") or Settings.organisation,
        review_url=env.get("ANNOTATOR_REVIEW_URL") or "",
        session_lifetime=session_lifetime(env.get("ANNOTATOR_SESSION_HOURS") or ""),
    )


def session_lifetime(hours: str) -> dt.timedelta:
    """`ANNOTATOR_SESSION_HOURS` as a lifetime (empty: the default, 12 hours); InvalidInput
    naming the variable for anything but a number of hours above 0 (at most a year)."""
    if not hours.strip():
        return Settings.session_lifetime
    try:
        value = float(hours)
    except ValueError:
        value = math.nan
    if not 0 < value <= 24 * 366:
        raise InvalidInput(
            f"ANNOTATOR_SESSION_HOURS must be a number of hours above 0 and at most 8784, "
            f"not {hours!r}"
        )
    return dt.timedelta(hours=value)
