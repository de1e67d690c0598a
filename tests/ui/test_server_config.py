"""The Streamlit configuration the app runs with (.streamlit/config.toml, read by `streamlit
run` from the repository root): XSRF and CORS protection on, uploads capped at the import
limit, no tracebacks shown to users. The browser test test_upload_limit_browser.py checks
the same on a running server."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from annotator.readers import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = (
    "server.enableXsrfProtection",
    "server.enableCORS",
    "server.maxUploadSize",
    "client.showErrorDetails",
    "runner.postScriptGC",
)
# Resolves the options the way `streamlit run` does: its command-line options (which also
# read STREAMLIT_* variables), then bootstrap.load_config_options over the config files.
PRINT_OPTIONS = """
import json, sys
import click
from streamlit import config
from streamlit.web import bootstrap, cli

@click.command()
@cli.configurator_options
def show(**flags):
    bootstrap.load_config_options(flag_options=flags)
    print(json.dumps({name: config.get_option(name) for name in sys.argv[1:]}))

show(args=[])
"""


@pytest.fixture(scope="module")
def effective() -> dict[str, object]:
    """The options as `streamlit run app.py` in the repository root resolves them: defaults,
    ~/.streamlit/config.toml, .streamlit/config.toml, then STREAMLIT_* variables."""
    output = subprocess.run(
        [sys.executable, "-c", PRINT_OPTIONS, *OPTIONS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    options: dict[str, object] = json.loads(output.splitlines()[-1])
    return options


def _project_file() -> dict[str, dict[str, object]]:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_xsrf_and_cors_protection_stay_on(effective: dict[str, object]) -> None:
    assert effective["server.enableXsrfProtection"] is True
    assert effective["server.enableCORS"] is True
    assert _project_file()["server"]["enableXsrfProtection"] is True


def test_uploads_are_capped_at_the_import_limit(effective: dict[str, object]) -> None:
    """Streamlit's maxUploadSize is in MiB (it multiplies by 1024 * 1024), as is the limit
    the Import page states; the config file sets it rather than inheriting 200."""
    assert _project_file()["server"]["maxUploadSize"] * 1024 * 1024 == MAX_FILE_BYTES
    assert effective["server.maxUploadSize"] == MAX_FILE_BYTES // (1024 * 1024)


def test_users_never_see_tracebacks(effective: dict[str, object]) -> None:
    assert effective["client.showErrorDetails"] == "none"


def test_no_full_garbage_collection_delays_an_acknowledgement(
    effective: dict[str, object],
) -> None:
    assert effective["runner.postScriptGC"] is False
