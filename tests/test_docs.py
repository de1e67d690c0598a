"""The docs stay true to the code: every command, export column, module, key and link.

The README is the five-minute start; docs/ holds one page per topic. Every list checked here
comes from the code or the file system, so a new command, column, module or page that the
docs leave out fails a test.
"""

from __future__ import annotations

import ast
import inspect
import re
import tomllib
from pathlib import Path

import click
import pytest

from annotator import agreement, claimreview, readers, sentence_roles
from annotator.cli import main
from annotator.columns import KINDS, SENTENCE_COLUMNS
from annotator.label_files import LABEL_FILE_FORMATS
from annotator.model import FOLDS, MODEL_FIELDS, ClassFigures, Evaluation
from annotator.scheme import CLAIMS_V1, load_scheme
from annotator.ui import keys
from db.models import GOLD_POLICIES, ROLES, VERDICTS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README_PATH = ROOT / "README.md"
INDEX_PATH = DOCS / "README.md"
README = README_PATH.read_text(encoding="utf-8")
MAX_README_LINES = 150
PAGES = sorted(DOCS.rglob("*.md"))
ALL_MARKDOWN = [README_PATH, *PAGES]
TYPE_WORDS = {
    "string": "text",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "date": "date",
    "timestamp": "timestamp",
}
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", flags=re.MULTILINE | re.DOTALL)


def _page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _section(text: str, heading: str) -> str:
    """The text under a heading, up to the next heading of the same or a higher level."""
    level = heading.split(" ", 1)[0]
    body = text.split(f"\n{heading}\n", 1)[1]
    return re.split(rf"\n#{{1,{len(level)}}} ", body, maxsplit=1)[0]


def _table_rows(text: str) -> list[list[str]]:
    """The cells of every table row of `text`, header and separator rows left out."""
    rows: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("|---"):
            rows.pop()  # the header row above the separator
        elif line.startswith("|"):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))])
    return rows


def _ticked(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


# -- the command line: docs/command-line.md ------------------------------------------------


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
        else:
            found.append((f"{prefix}{name}", command))
    return found


COMMANDS = _commands(main)
COMMAND_LINE = _page("command-line.md")
COMMAND_ROWS = [row[0] for row in _table_rows(_section(COMMAND_LINE, "## Commands"))]


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_cli_command_has_a_row_in_the_command_line_page(
    name: str, command: click.Command
) -> None:
    assert any(re.match(rf"`python -m annotator {name}[ `]", row) for row in COMMAND_ROWS)


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_cli_command_has_help_ending_with_an_example(
    name: str, command: click.Command
) -> None:
    last_paragraph = inspect.cleandoc(command.help or "").split("\n\n")[-1]
    assert last_paragraph.startswith(f"Example: python -m annotator {name} ") or (
        last_paragraph == f"Example: python -m annotator {name}"
    )


def test_every_command_the_command_line_page_lists_exists() -> None:
    names = {name for name, _ in COMMANDS}
    listed = []
    for row in COMMAND_ROWS:
        words = row.strip("`").split()[3:5]
        group = main.commands.get(words[0])
        listed.append(" ".join(words) if isinstance(group, click.Group) else words[0])
    assert listed and set(listed) <= names


def test_the_command_line_page_documents_the_version_option_and_console_scripts() -> None:
    options = {opt for param in main.params for opt in param.opts}
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"].get("scripts", {})
    documented = [*sorted(options), *scripts]
    assert documented and [word for word in documented if word not in COMMAND_LINE] == []


# -- the data dictionary: docs/data-dictionary.md --------------------------------------------

DICTIONARY = _page("data-dictionary.md")


def _documented_columns(section: str) -> dict[str, str]:
    """Column name -> type word, from the column tables of one section of the dictionary."""
    return {_ticked(row[0])[0]: row[1] for row in _table_rows(section) if len(row) == 3 and row[0]}


def _kind_section(kind: str) -> str:
    heading = next(line for line in DICTIONARY.splitlines() if line.startswith(f"## `{kind}`: "))
    return _section(DICTIONARY, heading)


SENTENCE_SECTION = _documented_columns(_section(DICTIONARY, "## Sentence columns (every kind)"))


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_export_column_is_in_the_data_dictionary_with_its_type(kind: str) -> None:
    documented = {**SENTENCE_SECTION, **_documented_columns(_kind_section(kind))}
    expected = {column: TYPE_WORDS[kind_] for column, kind_ in KINDS[kind].items()}
    assert {c: documented.get(c) for c in expected} == expected


def test_the_data_dictionary_documents_no_column_the_exports_lack() -> None:
    assert set(SENTENCE_SECTION) == set(SENTENCE_COLUMNS)
    for kind, columns in KINDS.items():
        assert set(_documented_columns(_kind_section(kind))) <= set(columns), kind


def test_the_example_scheme_file_on_the_labelling_page_is_valid() -> None:
    section = _section(_page("labelling.md"), "## Label schemes")
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    scheme = load_scheme("example.yaml", example.encode())
    assert scheme.values == ("agree", "disagree")
    assert scheme.date_bound_applies_to == "agree"


# -- the architecture page: docs/architecture.md ---------------------------------------------

ARCHITECTURE = _page("architecture.md")
PAGE_STUBS = ROOT / "annotator" / "ui" / "pages"
# A page stub is named through its page module, annotator/ui/<page>.py (the page rule, checked
# by tests/ui/test_page_modules.py); every other module is named itself.
MODULES = sorted(
    _rel(path)
    for folder in ("annotator", "db")
    for path in (ROOT / folder).rglob("*.py")
    if path.name != "__init__.py"
    and "versions" not in path.relative_to(ROOT).parts
    and path.parent != PAGE_STUBS
)
NAMED_MODULES = sorted(set(re.findall(r"`((?:annotator|db)/[\w/]+\.py)`", ARCHITECTURE)))


@pytest.mark.parametrize("module", MODULES)
def test_every_module_is_named_in_the_architecture_page(module: str) -> None:
    assert f"`{module}`" in ARCHITECTURE


@pytest.mark.parametrize("module", NAMED_MODULES)
def test_every_module_the_architecture_page_names_exists(module: str) -> None:
    assert (ROOT / module).is_file()


# -- the README --------------------------------------------------------------------------------


def test_readme_is_at_most_150_lines() -> None:
    assert len(README.splitlines()) <= MAX_README_LINES


def _code_blocks_after(heading: str) -> list[str]:
    section = README.split(heading, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.*?)\n```", section, flags=re.DOTALL)


def test_quick_start_has_the_run_and_test_commands_and_ci_runs_the_test_command() -> None:
    run_command, test_command = _code_blocks_after("## Quick start")[:2]
    assert run_command == "pip install -r requirements.txt && streamlit run app.py"
    assert test_command == "pip install -r requirements-dev.txt && python -m pytest"
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_readme_shows_the_screenshot() -> None:
    assert "](docs/annotate.png)" in README
    assert (DOCS / "annotate.png").is_file()


def _keys_in_table(text: str) -> set[str]:
    rows = _table_rows(_section(text, "## Keys"))
    return {key for row in rows for key in _ticked(row[0])}


def _app_keys() -> set[str]:
    page_keys = keys.page_keys(CLAIMS_V1)
    return {name for name, _ in keys.key_rows(CLAIMS_V1, page_keys)}


@pytest.mark.parametrize("path", [README_PATH, DOCS / "labelling.md"], ids=_rel)
def test_the_keys_table_lists_the_annotate_pages_keys(path: Path) -> None:
    assert _keys_in_table(path.read_text(encoding="utf-8")) == _app_keys()


# -- links and orphans -------------------------------------------------------------------------


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_slug(h) for h in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)}


def _relative_links(path: Path) -> list[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return [t for t in LINK.findall(text) if not re.match(r"[a-z]+:", t)]


def _broken_links(path: Path) -> list[str]:
    broken = []
    for link in _relative_links(path):
        file, _, anchor = link.partition("#")
        target = (path.parent / file).resolve() if file else path
        if not target.exists() or (anchor and anchor not in _anchors(target)):
            broken.append(link)
    return broken


@pytest.mark.parametrize("path", ALL_MARKDOWN, ids=_rel)
def test_every_relative_link_points_to_a_file_and_heading_that_exist(path: Path) -> None:
    assert _broken_links(path) == []


def _linked_pages(path: Path) -> set[Path]:
    return {(path.parent / link.partition("#")[0]).resolve() for link in _relative_links(path)}


def test_the_docs_index_links_every_page_and_the_readme_links_the_index() -> None:
    assert {p for p in PAGES if p != INDEX_PATH} <= _linked_pages(INDEX_PATH)
    assert INDEX_PATH in _linked_pages(README_PATH)


def test_no_docs_page_is_an_orphan() -> None:
    linked = _linked_pages(README_PATH) | _linked_pages(INDEX_PATH)
    assert [_rel(p) for p in PAGES if p != INDEX_PATH and p not in linked] == []


EXTERNAL_LINK = re.compile(r"\[[^\]]*\]\(https?://[^)]*\)")  # paths in another repository
PATH_IN_TICKS = re.compile(r"`((?:annotator|db|tests|bench|docs|seeds|\.ci|\.streamlit)/[\w./-]*)`")


@pytest.mark.parametrize("path", ALL_MARKDOWN, ids=_rel)
def test_every_repository_path_a_page_names_exists(path: Path) -> None:
    text = EXTERNAL_LINK.sub("", FENCE.sub("", path.read_text(encoding="utf-8")))
    named = PATH_IN_TICKS.findall(text)
    assert [p for p in named if not (ROOT / p).exists()] == []


# -- one check of its own for every page -------------------------------------------------------


def _page_titles(path: Path) -> list[str]:
    """The `title=` of every `st.Page(...)` in a file: the app's pages."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        keyword.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page"
        for keyword in node.keywords
        if keyword.arg == "title" and isinstance(keyword.value, ast.Constant)
    ]


def test_the_teams_page_names_every_role_and_every_page_of_the_app() -> None:
    teams = _page("teams.md")
    titles = _page_titles(ROOT / "app.py")
    assert titles and [t for t in titles if f"*{t}*" not in teams] == []
    assert [role for role in ROLES if f"**{role}**" not in teams] == []


def test_the_agreement_page_names_every_gold_policy_and_every_reading_of_a_coefficient() -> None:
    page = _page("agreement-and-gold.md")
    words = [word for _, word in agreement.BANDS] + [agreement.describe(1.0)]
    assert [p for p in GOLD_POLICIES if f"`{p}`" not in page] == []
    assert [w for w in words if w not in page] == []


def test_the_fact_checking_page_gives_every_verdict_its_claimreview_rating() -> None:
    rows = _table_rows(_page("fact-checking.md"))
    documented = {_ticked(row[0])[0]: (row[1], row[2]) for row in rows if len(row) == 3}
    expected = {
        verdict: (str(claimreview.RATINGS.get(verdict, claimreview.NO_RATING)), name)
        for verdict, name in claimreview.NAMES.items()
    }
    assert set(expected) == set(VERDICTS)
    assert documented == expected


def test_the_importing_page_names_every_format_role_and_label_file_format() -> None:
    page = _page("importing.md")
    formats = {t for row in _table_rows(_section(page, "## Formats")) for t in _ticked(row[0])}
    roles = {_ticked(row[0])[0] for row in _table_rows(_section(page, "## Roles"))}
    assert set(readers.SUPPORTED_EXTENSIONS) <= formats
    assert roles == set(sentence_roles.ROLES)
    assert [f for f in LABEL_FILE_FORMATS if f"`.{f}`" not in page] == []
    assert f"{readers.MAX_FILE_BYTES // 2**20} MiB per file" in page


def test_the_deployment_page_documents_every_setting_the_code_reads() -> None:
    page = _section(_page("deployment.md"), "## Configuration")
    source = (ROOT / "annotator" / "config.py").read_text(encoding="utf-8")
    settings = re.findall(r'env\.get\("(\w+)"\)', source)
    documented = {_ticked(row[0])[0] for row in _table_rows(page)}
    streamlit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert settings and set(settings) <= documented
    assert f"upload limit {streamlit['server']['maxUploadSize']} MB" in page


def test_every_guarantee_on_the_reliability_page_names_a_test_that_exists() -> None:
    rows = _table_rows(_section(_page("reliability.md"), "## Guarantees"))
    tests = [[t for t in _ticked(row[1]) if t.endswith(".py")] for row in rows]
    assert rows and all(tests)
    assert [t for row in tests for t in row if not (ROOT / t).is_file()] == []
    named = [(n, files) for row, files in zip(rows, tests, strict=True)
             for n in _ticked(row[1]) if n.startswith("test_")]  # fmt: skip
    sources = {f: (ROOT / f).read_text(encoding="utf-8") for row in tests for f in row}
    assert [n for n, files in named if not any(f"def {n}(" in sources[f] for f in files)] == []


CONVENTIONS = [
    ("annotator/segment.py", "docs/conventions/segmentation.md"),
    ("annotator/temporal.py", "docs/conventions/temporal.md"),
]


@pytest.mark.parametrize(("module", "page"), CONVENTIONS, ids=[p for _, p in CONVENTIONS])
def test_each_convention_is_in_docs_where_its_module_points_and_names_a_real_function(
    module: str, page: str
) -> None:
    docstring = (ROOT / module).read_text(encoding="utf-8").split('"""')[1]
    assert f"``{page}``" in docstring
    dotted = re.search(r"`(annotator\.\w+)\.(\w+)\(", (ROOT / page).read_text(encoding="utf-8"))
    assert dotted is not None
    assert callable(getattr(__import__(dotted[1], fromlist=["_"]), dotted[2]))


def test_the_segmentation_convention_has_the_segmenters_rule_count() -> None:
    docstring = (ROOT / "annotator" / "segment.py").read_text(encoding="utf-8")
    said = re.search(r"\((\d+) rules\)", docstring)
    rules = re.findall(r"^\d+\. \*\*", _page("conventions/segmentation.md"), flags=re.MULTILINE)
    assert said is not None and len(rules) == int(said[1])


def test_the_labelling_page_names_the_keys_that_give_way_to_a_schemes_labels() -> None:
    page = _page("labelling.md")
    fallbacks = [*keys.AS_OF_KEYS, *keys.NOTE_KEYS, *keys.UNLABELLED_KEYS]
    assert [k for k in fallbacks if f"`{keys.key_name(k)}`" not in page] == []


def test_the_model_page_names_every_key_model_evaluate_prints_and_every_field() -> None:
    page = _page("model.md")
    per_class = {"x": ClassFigures(1.0, 1.0, 1)}
    printed = Evaluation("claim_type", 1, 1.0, 1.0, 1.0, "x", per_class, 0.0, 1.0, FOLDS).as_json()
    table = set(re.findall(r"^\| `(\w+)` \|", page, re.MULTILINE))
    assert table == set(printed)
    assert set(printed["per_class"]["x"]) <= set(re.findall(r"`(\w+)`", page))
    assert all(f"`{field}`" in page for field in MODEL_FIELDS)
    assert f"{FOLDS} stratified folds" in page


# Each page's own check (beyond links and paths, which every page gets). A new page needs one.
def test_the_sign_in_page_configures_keycloak_google_and_entra_as_st_login_needs() -> None:
    """Each TOML example parses; with the shared `[auth]` keys of the first, every provider has
    what `st.login` requires; the page names the cookie, the setting and the commands."""
    import tomllib

    from annotator.config import load_settings
    from annotator.ui.browser_cookie import COOKIE

    page = _page("sign-in.md")
    blocks = [tomllib.loads(b) for b in re.findall(r"```toml\n(.*?)```", page, re.DOTALL)]
    shared = blocks[0]["auth"]
    assert {"redirect_uri", "cookie_secret"} <= set(shared)
    assert [set(block) for block in blocks] == [{"auth"}] * len(blocks)
    providers = {"default": shared} | {
        name: section
        for block in blocks
        for name, section in block["auth"].items()
        if isinstance(section, dict)
    }
    needed = {"client_id", "client_secret", "server_metadata_url"}
    assert {"default", "keycloak", "google", "entra"} <= set(providers)
    assert [n for n, s in providers.items() if not needed <= set(s)] == []
    assert f"`{COOKIE}`" in page and "`ANNOTATOR_SESSION_HOURS`" in page
    assert load_settings({}).session_lifetime.total_seconds() == 12 * 3600 and "12 hours" in page
    for command in ("users set-email", "users add", "--no-password", "--clear"):
        assert command in page


OWN_CHECKS = {
    "README.md": test_the_docs_index_links_every_page_and_the_readme_links_the_index,
    "labelling.md": test_the_example_scheme_file_on_the_labelling_page_is_valid,
    "teams.md": test_the_teams_page_names_every_role_and_every_page_of_the_app,
    "sign-in.md": test_the_sign_in_page_configures_keycloak_google_and_entra_as_st_login_needs,
    "agreement-and-gold.md": (
        test_the_agreement_page_names_every_gold_policy_and_every_reading_of_a_coefficient
    ),
    "fact-checking.md": test_the_fact_checking_page_gives_every_verdict_its_claimreview_rating,
    "importing.md": test_the_importing_page_names_every_format_role_and_label_file_format,
    "model.md": test_the_model_page_names_every_key_model_evaluate_prints_and_every_field,
    "command-line.md": test_every_cli_command_has_a_row_in_the_command_line_page,
    "data-dictionary.md": test_every_export_column_is_in_the_data_dictionary_with_its_type,
    "deployment.md": test_the_deployment_page_documents_every_setting_the_code_reads,
    "reliability.md": test_every_guarantee_on_the_reliability_page_names_a_test_that_exists,
    "architecture.md": test_every_module_is_named_in_the_architecture_page,
    "conventions/segmentation.md": test_the_segmentation_convention_has_the_segmenters_rule_count,
    "conventions/temporal.md": (
        test_each_convention_is_in_docs_where_its_module_points_and_names_a_real_function
    ),
}


def test_every_docs_page_has_a_check_of_its_own() -> None:
    assert sorted(p.relative_to(DOCS).as_posix() for p in PAGES) == sorted(OWN_CHECKS)


def test_the_readmes_debate_runs_as_written_and_says_what_it_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every line of the README's debate walk, run in this process from a folder that sees the
    checkout's `examples/` and `annotator/` (so `-o gold.csv` lands in the test's folder)."""
    import contextlib
    import io
    import shlex

    from click.testing import CliRunner

    (block,) = _code_blocks_after("## A debate, end to end")
    for name in ("examples", "annotator"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    outputs: list[str] = []

    def annotator(args: list[str], stdin: str | None = None) -> None:
        result = CliRunner().invoke(main, args, input=stdin)
        assert result.exit_code == 0, (args, result.output, result.exception)
        outputs.append(result.output)

    lines = block.splitlines()
    assert lines[0].startswith("export DATABASE_URL=sqlite:///")
    monkeypatch.setenv("DATABASE_URL", lines[0].split("=", 1)[1])
    for line in lines[1:]:
        if line.startswith("for name in "):
            people = line.split(" in ", 1)[1].split(";", 1)[0].split()
            continue
        if line.lstrip().startswith("printf"):
            for person in people:
                role = "admin" if person == "admin" else "annotator"
                args = ["users", "add", person, "--role", role, "--password-stdin"]
                annotator(args, "a long passphrase\n")
            continue
        words = shlex.split(line)
        if words[:2] == ["python", "-c"]:
            with contextlib.redirect_stdout(io.StringIO()) as printed:
                exec(words[2], {})
            outputs.append(printed.getvalue())
        else:
            assert words[:3] == ["python", "-m", "annotator"], line
            annotator(words[3:])
    text = "\n".join(outputs)
    assert "1 article, 55 body sentences" in text and "55 labels added" in text
    assert "ann / bob" in text and "10 claims assigned; checkers: carol" in text
    assert "VANDERMEER" in text and "QUELLANE" in text  # gold by speaker
    import annotator as package

    gold = package.load(tmp_path / "gold.csv")
    assert 55 - len(gold) == 5  # "the five they disagree on wait for a lead"
