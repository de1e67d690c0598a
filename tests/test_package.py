"""The project is an installable package: `pip install .` gives a `claim-annotator` command
equal to `python -m annotator`, and `--version` works from a checkout and from an install."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from annotator import __version__

ROOT = Path(__file__).resolve().parent.parent


SETTINGS = ("PYTHONPATH", "DATABASE_URL", "ANNOTATOR_DATA_DIR", "XDG_DATA_HOME")


def _run(args: list[str], cwd: Path, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    if home is not None:
        env["HOME"] = str(home)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _copy_of_the_checkout(dest: Path) -> Path:
    """The files a fresh clone has (what `pip install .` sees), without build leftovers."""
    leftovers = shutil.ignore_patterns("*.egg-info", "__pycache__", ".*")

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = {"data", "build"} if Path(folder) == ROOT else set()
        return set(leftovers(folder, names)) | (top & set(names))

    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the project pip-installed into it. The dependencies come
    from this interpreter's site-packages (so the test needs no network); the project itself
    is built from a copy of the checkout and installed like any package."""
    base = tmp_path_factory.mktemp("install")
    source = _copy_of_the_checkout(base / "source")
    env = base / "venv"
    venv.create(env, system_site_packages=True, with_pip=False)
    python = env / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q"]
    result = _run([*pip, str(source)], cwd=base)
    assert result.returncode == 0, result.stderr
    shutil.rmtree(source)  # nothing may be read from the copy once installed
    return env / "bin"


def test_version_works_from_a_checkout() -> None:
    result = _run([sys.executable, "-m", "annotator", "--version"], cwd=ROOT)
    assert (result.returncode, result.stdout) == (0, f"claim-annotator {__version__}\n")


def test_installed_console_script_prints_the_version(installed: Path, tmp_path: Path) -> None:
    result = _run([str(installed / "claim-annotator"), "--version"], cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, f"claim-annotator {__version__}\n")


def test_installed_package_is_imported_from_the_environment_not_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    code = "import annotator, db; print(annotator.__file__); print(db.__file__)"
    result = _run([str(installed / "python"), "-c", code], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for path in result.stdout.split():
        assert "site-packages" in path and not Path(path).is_relative_to(ROOT)


def test_installed_command_migrates_imports_the_seeds_and_lists_like_python_m(
    installed: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    init = _run([str(installed / "claim-annotator"), "init", "--db", url], cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    listed = [
        _run([str(installed / "claim-annotator"), "projects", "list", "--db", url], cwd=tmp_path),
        _run([sys.executable, "-m", "annotator", "projects", "list", "--db", url], cwd=ROOT),
    ]
    assert listed[0].returncode == 0, listed[0].stderr
    assert listed[0].stdout == listed[1].stdout
    assert "default" in listed[0].stdout


@pytest.mark.skipif(sys.platform != "linux", reason="the user data folder is Linux's here")
def test_installed_command_keeps_its_database_in_the_users_data_folder(
    installed: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    database = home / ".local" / "share" / "claim-annotator" / "annotator.db"
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    init = _run([str(installed / "claim-annotator"), "init"], cwd=one, home=home)
    assert init.returncode == 0, init.stderr
    assert init.stdout.startswith(f"created the database {database} ")
    listed = _run([str(installed / "claim-annotator"), "projects", "list"], cwd=two, home=home)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("default\tclaims-v1\t")
    assert list(one.iterdir()) == list(two.iterdir()) == []
