"""Command line: `python -m annotator COMMAND`; everything a lead does can be scripted.

Exit status: 0 on success; 1 when input is rejected (one line per problem on stderr, nothing
stored from the rejected part); 2 on a usage error. Errors never print a traceback.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from annotator import __version__
from annotator.claim_datasets import FORMATS as DATASETS
from annotator.columns import EXPORT_KINDS, FORMATS
from annotator.config import DEFAULT_PROJECT, load_settings
from annotator.errors import AnnotatorError, InvalidInput, NoSuchProject
from annotator.label_files import LABEL_MATCHES, MAX_LABEL_FILE_BYTES
from annotator.limits import MAX_CHECK_OVERLAP, MAX_GUIDELINES, MAX_OVERLAP
from annotator.wording import counted

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.exc import DatabaseError
    from sqlalchemy.orm import Session

    from annotator.agreement import Agreement
    from annotator.scheme import Scheme
    from annotator.services.importing import FileReport
    from annotator.services.modelling import ModelInfo
    from annotator.services.setup import InitResult
    from annotator.written_dates import DayOrder

# Each command imports the libraries it uses inside its function: pandas, pyarrow, Alembic,
# pySBD, statsmodels and the rest cost `--help` and the small commands seconds to load
# (tests/test_cli_startup.py keeps them out; issue 19).

F = TypeVar("F", bound=Callable[..., Any])


class ChoiceOf(click.Choice[str]):
    """A choice among the values of a constant that lives in a module with heavy imports
    (`ChoiceOf("annotator.services.permissions", "ACCOUNT_ROLES")`): the module is imported
    when a value is checked or the command's own help is shown, not when any command
    starts."""

    def __init__(self, module: str, name: str) -> None:
        self._where = (module, name)
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        """The constant's values."""
        module, name = self._where
        return tuple(getattr(importlib.import_module(module), name))

    @choices.setter
    def choices(self, _: object) -> None:
        """click.Choice sets its values; these come from the module."""


def db_option(command: F) -> F:
    """`--db URL`: the database to use (default: DATABASE_URL, else the default SQLite file)."""
    return click.option(
        "--db",
        "db_url",
        metavar="URL",
        default=None,
        help=(
            "Database URL (default: $DATABASE_URL, else data/annotator.db in the checkout or "
            "the user data folder: see docs/deployment.md)."
        ),
    )(command)


def project_option(command: F) -> F:
    """`--project P`, default `default`."""
    return click.option(
        "--project", default=DEFAULT_PROJECT, show_default=True, help="Project name."
    )(command)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn an AnnotatorError or an unreadable file into one line on stderr and exit 1."""
    try:
        yield
    except NoSuchProject as error:
        raise click.ClickException(f"{error.located()}; {_known_projects(error)}") from None
    except AnnotatorError as error:
        raise click.ClickException(error.located()) from None
    except OSError as error:
        raise click.ClickException(f"{error.filename or ''}: {error.strerror}") from None


def _known_projects(error: NoSuchProject) -> str:
    """The projects there are, as many as the error carries: what the user meant to type."""
    if not error.total:
        return "there are no projects yet"
    more = len(error.known) < error.total
    listed = ", ".join(error.known) + (f", ... ({error.total} in all)" if more else "")
    return f"projects: {listed}"


@contextmanager
def open_engine(db_url: str | None, *, create: bool, migrate: bool = True) -> Iterator[Engine]:
    """An engine on the database (`--db`, else DATABASE_URL, else the default file).

    With `create` a missing SQLite file (and its folder) is made on first use. Without it the
    database must exist and be ours (made by `init`, an import or the app), and a missing or
    empty one is refused naming it, creating nothing; it is migrated unless `migrate` is False.
    User errors become one line on stderr: a malformed URL is a usage error (exit 2); a missing
    or unreachable database, a rejected input or a file that cannot be written exit with 1.
    """
    from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError

    from annotator.services.setup import open_existing
    from db.engine import make_engine

    url = db_url or load_settings().database_url
    try:
        with user_errors():
            engine = make_engine(url) if create else open_existing(url, migrate=migrate)
    except (ArgumentError, NoSuchModuleError) as error:
        raise click.UsageError(f"--db {url!r} is not a database URL: {error}") from None
    except DatabaseError as error:
        raise _unusable(url, error) from None
    try:
        with user_errors():
            yield engine
    except DatabaseError as error:
        raise _unusable(url, error) from None
    finally:
        engine.dispose()


def _unusable(url: str, error: DatabaseError) -> click.ClickException:
    from annotator.services.setup import database_name, driver_message

    return click.ClickException(
        f"cannot use the database {database_name(url)}: {driver_message(error)}"
    )


@contextmanager
def open_session(
    db_url: str | None, *, create: bool = False, seeds: bool = True
) -> Iterator[Session]:
    """A session on the database, opened as `open_engine` says. A command that adds to the
    database passes `create`: the first start then also creates `default` with the seeds."""
    from annotator.services.setup import initialise
    from db.engine import session_factory

    with open_engine(db_url, create=create) as engine, session_factory(engine)() as session:
        if create:
            initialise(engine, session, load_settings().seeds_dir if seeds else None)
        yield session


@click.group()
@click.version_option(__version__, prog_name="claim-annotator", message="%(prog)s %(version)s")
def main() -> None:
    """Claim Annotator: label the claims in news articles, sentence by sentence.

    Example: python -m annotator import articles.csv
    """


@main.command()
@click.option("--no-seeds", is_flag=True, help="Do not import the seed articles.")
@db_option
def init(no_seeds: bool, db_url: str | None) -> None:
    """Create or migrate the database; on first start, create `default` with the seeds. Says
    which database it is, and whether it was created, migrated or already up to date.

    Example: python -m annotator init
    """
    from annotator.services.setup import database_name, initialise
    from db.engine import database_file, session_factory

    settings = load_settings()
    with open_engine(db_url, create=True) as engine:
        path = database_file(engine.url)
        new_file = path is not None and not path.is_file()
        with session_factory(engine)() as session:
            result = initialise(engine, session, None if no_seeds else settings.seeds_dir)
        name = database_name(engine.url)
    click.echo("\n".join(_init_lines(name, new_file, result)))


def _init_lines(name: str, new_file: bool, result: InitResult) -> list[str]:
    before, after = result.revision_before, result.revision
    if new_file:
        first = f"created the database {name} (migration {after})"
    elif before is None:
        first = f"set up the database {name}: created its tables (migration {after})"
    elif before != after:
        first = f"migrated the database {name} from migration {before} to {after}"
    else:
        first = f"the database {name} was already there and up to date (migration {after})"
    if not result.created_default:
        return [first]
    articles = sum(report.imported for report in result.seed_reports)
    seeds = (
        f"with {counted(articles, 'seed article')}" if result.seed_reports else "(empty, no seeds)"
    )
    return [first, f"created project {DEFAULT_PROJECT} {seeds}"]


@main.command("import")
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.option(
    "--transcript",
    is_flag=True,
    help="Each file is a transcript: .txt ('SPEAKER: text' lines under a title line) or "
    ".jsonl ({'speaker': ..., 'text': ...} turns).",
)
@click.option("--title", help="The title of a .jsonl transcript (default: its file name).")
@click.option(
    "--dayfirst",
    is_flag=True,
    help="Read numeric publication dates day first: 10/02/2005 is 10 February 2005.",
)
@click.option(
    "--monthfirst",
    is_flag=True,
    help="Read numeric publication dates month first: 10/02/2005 is October 2, 2005.",
)
@project_option
@db_option
def import_(
    paths: tuple[str, ...],
    transcript: bool,
    title: str | None,
    dayfirst: bool,
    monthfirst: bool,
    project: str,
    db_url: str | None,
) -> None:
    """Import articles from .txt .md .csv .jsonl .html .zip files, transcripts
    (--transcript) or web pages (http/https URLs); each file whole or not at all.

    Without --dayfirst or --monthfirst, a numeric publication date (10/02/2005) is left empty
    with a warning.

    Example: python -m annotator import feed.csv --dayfirst --project default
    """
    if dayfirst and monthfirst:
        raise click.UsageError("--dayfirst and --monthfirst exclude each other: give one")
    day_order: DayOrder | None = "dayfirst" if dayfirst else "monthfirst" if monthfirst else None
    _check_import_options(paths, transcript, title)
    from annotator.services.projects import get_project

    with open_session(db_url, create=True) as session:
        get_project(session, project)  # a mistyped --project: one line naming those there are
        reports = [
            _import_path(session, project, path, day_order, transcript, title)
            for path in _with_progress(paths)
        ]
    for report in reports:
        click.echo(_report_line(report), err=report.error is not None)
    if any(r.error for r in reports):
        sys.exit(1)


def _check_import_options(paths: tuple[str, ...], transcript: bool, title: str | None) -> None:
    """Usage errors (exit 2): a title for no transcript, for several files, or for a URL."""
    if transcript and any(_is_url(path) for path in paths):
        raise click.UsageError("--transcript reads transcript files, not URLs")
    if title is None:
        return
    if not transcript:
        raise click.UsageError("--title is the title of a .jsonl transcript: add --transcript")
    if len(paths) > 1:
        raise click.UsageError(f"--title names one transcript, but {len(paths)} files were given")
    if not title.strip():
        raise click.UsageError("--title is empty")


def _is_url(path: str) -> bool:
    """`https://...` and any other `scheme://` (refused by the import unless http or https)."""
    return "://" in path and path.split("://", 1)[0].isidentifier()


def _with_progress(paths: tuple[str, ...]) -> Iterator[str]:
    if len(paths) < 2 or not sys.stderr.isatty():
        yield from paths
        return
    with click.progressbar(paths, label="importing", file=sys.stderr) as bar:
        yield from bar


def _import_path(
    session: Session,
    project: str,
    path: str,
    day_order: DayOrder | None,
    transcript: bool,
    title: str | None,
) -> FileReport:
    from annotator.services.importing import FileReport, import_file, import_url, read_path

    if _is_url(path):
        return import_url(session, project, path)
    try:
        data = read_path(Path(path))
    except AnnotatorError as error:
        return FileReport(name=path, error=error.message)
    return import_file(
        session, project, path, data, day_order=day_order, transcript=transcript, title=title
    )


def _report_line(report: FileReport) -> str:
    if report.error is not None:
        where = (
            report.error
            if report.error.startswith(report.name)
            else (f"{report.name}: {report.error}")
        )
        return f"rejected {where}"
    line = (
        f"{report.status} {report.name}: {counted(report.imported, 'article')}, "
        f"{counted(report.body_sentences, 'body sentence')}, "
        f"{counted(report.duplicates, 'duplicate')} skipped"
    )
    skipped = (f"skipped {note}" for note in report.duplicate_notes)
    return "\n".join([line, *skipped, *(f"warning {w}" for w in report.warnings)])


@main.command()
@click.option("--kind", type=click.Choice(EXPORT_KINDS), required=True, help="What to export.")
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    help="csv (default), jsonl or parquet; claimreview is always jsonl.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File (default: stdout).")
@click.option(
    "--excel", is_flag=True, help="Add a BOM and neutralise cells starting with = + - @, TAB or CR."
)
@click.option("--force", is_flag=True, help="Replace the -o file if it exists.")
@project_option
@db_option
def export(
    kind: str,
    format_: str | None,
    output: Path | None,
    excel: bool,
    force: bool,
    project: str,
    db_url: str | None,
) -> None:
    """Export labels, gold labels or sentences in the documented columns (see
    docs/data-dictionary.md), as CSV, JSON Lines or Parquet; or the fact-checks as ClaimReview
    JSON-LD.

    Example: python -m annotator export --kind gold --format parquet -o gold.parquet
    """
    from annotator.services.backup import live_sqlite_file, require_writable
    from annotator.services.exporting import ExportRequest, export_chunks

    format_ = format_ or ("jsonl" if kind == "claimreview" else "csv")
    if kind == "claimreview" and format_ != "jsonl":
        raise click.UsageError("--kind claimreview is JSON-LD, one object per line: --format jsonl")
    if excel and format_ != "csv":
        raise click.UsageError("--excel applies to --format csv only")
    if output is None and format_ == "parquet" and sys.stdout.isatty():
        raise click.UsageError("Parquet is binary: give a file with -o FILE")
    settings = load_settings()
    request = ExportRequest(
        project, kind, format_, excel, settings.organisation, settings.review_url
    )
    with open_session(db_url) as session:
        live = live_sqlite_file(db_url or settings.database_url)
        if output is not None:
            require_writable(output, live, force)
        written: list[int] = []
        chunks = _counted(export_chunks(session, request, actor=None), written)
        if output is None:
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
        else:
            _write_atomically(output, chunks, live, force)
    if kind == "claimreview" and not sum(written):
        note = f"note: no fact-check verdicts in project {project}: nothing to export"
        click.echo(note, err=True)


def _counted(chunks: Iterator[bytes], written: list[int]) -> Iterator[bytes]:
    """The chunks, with each one's size appended to `written` as it passes."""
    for chunk in chunks:
        written.append(len(chunk))
        yield chunk


def _write_atomically(
    output: Path, chunks: Iterator[bytes], live: Path | None, force: bool
) -> None:
    """Write to a temporary file beside `output`, then rename: no half-written export, and
    never over the live database or (without --force) an existing file."""
    from annotator.services.backup import require_writable

    handle, temp = tempfile.mkstemp(dir=output.resolve().parent, prefix=f".{output.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            for chunk in chunks:
                file.write(chunk)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it private; exports are shared
        require_writable(output, live, force)
        os.replace(temp, output)
    except BaseException:
        os.unlink(temp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@main.group()
def users() -> None:
    """Manage accounts."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role", type=ChoiceOf("annotator.services.permissions", "ACCOUNT_ROLES"), required=True
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--email", help="The e-mail it signs in with through the organisation's provider.")
@click.option(
    "--no-password", is_flag=True, help="No password: it signs in only with --email's address."
)
@db_option
def users_add(
    name: str,
    role: str,
    password_stdin: bool,
    email: str | None,
    no_password: bool,
    db_url: str | None,
) -> None:
    """Create an account; the password is read from stdin or prompted, never an argument.
    With --email the account may sign in through the organisation (docs/sign-in.md); with
    --email and --no-password only that way.

    Example: python -m annotator users add maria --role annotator --password-stdin < pw.txt
    """
    from annotator.services import accounts

    if no_password and password_stdin:
        raise click.UsageError("--no-password and --password-stdin exclude each other")
    if no_password and not email:
        raise click.UsageError("--no-password needs --email: the account signs in with it")
    password = None if no_password else _read_password(password_stdin)
    with open_session(db_url, create=True) as session:
        user = accounts.create_user(session, name, role, password, email=email)
    click.echo(f"created {user.role} {user.name}")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@users.command("list")
@db_option
def users_list(db_url: str | None) -> None:
    """List accounts: name, role, active or disabled, the end of a login lock, and the
    e-mail it signs in with through the organisation (or "no e-mail").

    Example: python -m annotator users list
    """
    from annotator.services import accounts

    with open_session(db_url) as session:
        listed = accounts.list_users(session, None)
    for user in listed:
        status = "active" if user.active else "disabled"
        until = user.locked_until
        locked = f"locked until {until:%Y-%m-%dT%H:%M:%SZ}" if until else "not locked"
        email = user.email or "no e-mail"
        click.echo(f"{user.name}\t{user.role}\t{status}\t{locked}\t{email}")


@users.command("set-email")
@click.argument("name")
@click.argument("email", required=False)
@click.option("--clear", is_flag=True, help="Remove the account's e-mail instead.")
@db_option
def users_set_email(name: str, email: str | None, clear: bool, db_url: str | None) -> None:
    """Approve an e-mail for an account: whoever the organisation's provider verifies with
    that address signs in as the account, with its role (docs/sign-in.md).

    Example: python -m annotator users set-email maria maria@example.org
    """
    from annotator.services import accounts

    if clear == (email is not None):
        raise click.UsageError("give either EMAIL or --clear")
    with open_session(db_url) as session:
        user = accounts.set_email(session, None, name, None if clear else email)
    click.echo(
        f"{user.name} signs in with {email.strip().lower()}"
        if email
        else f"{user.name} has no e-mail"
    )


@users.command("disable")
@click.argument("name")
@db_option
def users_disable(name: str, db_url: str | None) -> None:
    """Disable an account: it cannot log in, and its open sessions end on their next action.

    Example: python -m annotator users disable maria
    """
    _set_active(name, False, db_url)


@users.command("enable")
@click.argument("name")
@db_option
def users_enable(name: str, db_url: str | None) -> None:
    """Enable a disabled account again (this also clears a login lock).

    Example: python -m annotator users enable maria
    """
    _set_active(name, True, db_url)


def _set_active(name: str, active: bool, db_url: str | None) -> None:
    from annotator.services import accounts

    with open_session(db_url) as session:
        user = accounts.set_active(session, None, name, active)
    click.echo(f"{'enabled' if active else 'disabled'} {user.name}")


@users.command("reset-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
def users_reset_password(name: str, password_stdin: bool, db_url: str | None) -> None:
    """Set a new password for an account, clear its login lock and end its open sessions
    (each on its next action); the password is never an argument.

    Example: python -m annotator users reset-password maria --password-stdin < pw.txt
    """
    from annotator.services import accounts

    password = _read_password(password_stdin)
    with open_session(db_url) as session:
        user = accounts.reset_password(session, None, name, password)
    click.echo(f"new password set for {user.name}")


@main.group()
def projects() -> None:
    """Manage projects."""


@projects.command("create")
@click.argument("name")
@click.option(
    "--scheme",
    "scheme_file",
    type=click.Path(path_type=Path),
    help="Label scheme file, .json or .yaml (default: claims-v1; see annotator/schemes/).",
)
@click.option(
    "--overlap",
    type=int,
    default=1,
    show_default=True,
    help=f"Annotators per sentence, 1 to {MAX_OVERLAP}.",
)
@click.option(
    "--guidelines",
    "guidelines_file",
    type=click.Path(path_type=Path),
    help="UTF-8 text file with the guidelines annotators see.",
)
@db_option
def projects_create(
    name: str,
    scheme_file: Path | None,
    overlap: int,
    guidelines_file: Path | None,
    db_url: str | None,
) -> None:
    """Create an empty project with a label scheme, an overlap k and guidelines.

    Example: python -m annotator projects create debates --scheme claimbuster.yaml --overlap 2
    """
    from annotator.scheme import CLAIMS_V1
    from annotator.services.projects import create_project

    with open_session(db_url, create=True) as session:
        scheme = CLAIMS_V1 if scheme_file is None else _read_scheme(scheme_file)
        guidelines = "" if guidelines_file is None else _read_guidelines(guidelines_file)
        project = create_project(
            session, name, scheme=scheme, overlap=overlap, guidelines=guidelines
        )
    click.echo(
        f"created project {project.name} (scheme {project.scheme}, overlap {project.overlap})"
    )


def _read_scheme(path: Path) -> Scheme:
    from annotator.scheme import MAX_SCHEME_BYTES, load_scheme

    return load_scheme(str(path), _read_small_file(path, MAX_SCHEME_BYTES))


def _read_guidelines(path: Path) -> str:
    try:
        text = _read_small_file(path, 4 * MAX_GUIDELINES).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("is not UTF-8 text", file=str(path)) from None
    if len(text) > MAX_GUIDELINES:
        raise InvalidInput(
            f"is {len(text):,} characters; guidelines may have {MAX_GUIDELINES:,}", file=str(path)
        )
    return text


def _read_small_file(path: Path, limit: int) -> bytes:
    """The bytes of a small input file; InvalidInput naming it if missing or too big."""
    try:
        if not path.is_file():
            raise InvalidInput(
                "no such file" if not path.exists() else "not a file", file=str(path)
            )
        if path.stat().st_size > limit:
            raise InvalidInput(f"is over {limit:,} bytes", file=str(path))
        return path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read: {error.strerror}", file=str(path)) from None


@projects.command("list")
@db_option
def projects_list(db_url: str | None) -> None:
    """List projects with their scheme, overlap, body-sentence count and leads.

    Example: python -m annotator projects list
    """
    from annotator.services import leads
    from annotator.services.projects import list_projects

    with open_session(db_url) as session:
        found = list_projects(session)
        led_by = leads.project_leads(session, None)
    for project in found:
        click.echo(
            f"{project.name}\t{project.scheme}\toverlap {project.overlap}\t"
            f"{project.n_body} body sentences\tleads: {', '.join(led_by[project.name]) or 'none'}"
        )


@projects.command("add-lead")
@click.argument("project")
@click.argument("name")
@db_option
def projects_add_lead(project: str, name: str, db_url: str | None) -> None:
    """Make an existing lead account a lead of a project: every lead action in it is then
    open to that account.

    Example: python -m annotator projects add-lead debates lena
    """
    from annotator.services import leads

    with open_session(db_url) as session:
        change = leads.add_lead(session, None, project, name)
    click.echo(change.summary)


@projects.command("remove-lead")
@click.argument("project")
@click.argument("name")
@db_option
def projects_remove_lead(project: str, name: str, db_url: str | None) -> None:
    """Stop an account leading a project (admins lead every project and cannot be removed).

    Example: python -m annotator projects remove-lead debates lena
    """
    from annotator.services import leads

    with open_session(db_url) as session:
        change = leads.remove_lead(session, None, project, name)
    click.echo(change.summary)


@main.command("assign")
@click.option("--project", required=True, help="Project name.")
@click.option(
    "--annotators",
    default="",
    metavar="A,B,C",
    help="User names to add to the project's annotators first (comma-separated).",
)
@db_option
def assign_(project: str, annotators: str, db_url: str | None) -> None:
    """Give every article of a project to k annotators, balanced; add annotators first.

    Example: python -m annotator assign --project default --annotators maria,omar,lena
    """
    from annotator.services import assignment

    names = [n.strip() for n in annotators.split(",") if n.strip()]
    with open_session(db_url) as session:
        result = assignment.assign(session, None, project, names)
    click.echo(
        f"{counted(result.new_assignments, 'new assignment')}, {result.moved} moved; annotators: "
        f"{', '.join(result.annotators) or 'none'}"
    )
    if result.unfilled_articles:
        click.echo(
            f"warning: {counted(result.unfilled_articles, 'article')} with fewer than k annotators "
            "(add annotators and assign again)",
            err=True,
        )


@main.command("assign-checks")
@click.option("--project", required=True, help="Project name.")
@click.option(
    "--checkers",
    default="",
    metavar="A,B",
    help="User names to add to the project's fact-checkers first (comma-separated).",
)
@click.option(
    "--overlap",
    type=click.IntRange(1, MAX_CHECK_OVERLAP),
    default=1,
    show_default=True,
    help="Checkers per claim.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    help="Assign only the N most check-worthy claims short of checkers (default: all).",
)
@db_option
def assign_checks_(
    project: str, checkers: str, overlap: int, top: int | None, db_url: str | None
) -> None:
    """Give the gold claims the scheme sends to fact-checking (except those set aside) to
    checkers, the most check-worthy first; show verdict counts.

    Example: python -m annotator assign-checks --project default --checkers maria,omar
    """
    from annotator.services.fact_checking import assign_checks, verdict_counts

    names = [n.strip() for n in checkers.split(",") if n.strip()]
    with open_session(db_url) as session:
        result = assign_checks(session, None, project, names, overlap, top)
        counts = verdict_counts(session, None, project)
    click.echo(
        f"{counted(result.assigned, 'claim')} assigned; "
        f"checkers: {', '.join(result.checkers) or 'none'}"
    )
    click.echo(", ".join(f"{verdict} {n}" for verdict, n in counts.items()))
    if result.claims_waiting:
        click.echo(
            f"warning: {counted(result.claims_waiting, 'claim')} with fewer than "
            f"{counted(overlap, 'checker')}",
            err=True,
        )


@main.command("waiting-claims")
@click.option("--project", required=True, help="Project name.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Claims to list."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per claim, per line.")
@db_option
def waiting_claims_(project: str, limit: int, as_json: bool, db_url: str | None) -> None:
    """The gold claims to fact-check that no checker has yet, the most check-worthy first
    (with the check-worthiness model's score, once it beats its baseline).

    Example: python -m annotator waiting-claims --project default --limit 20
    """
    from annotator.services.fact_checking import waiting_claims
    from annotator.services.modelling import check_order_note

    with open_session(db_url) as session:
        claims = waiting_claims(session, None, project, limit)
        note = check_order_note(session, None, project)
    for claim in claims:
        if as_json:
            click.echo(json.dumps(asdict(claim), ensure_ascii=False))
        else:
            worth = "  -" if claim.worth is None else f"{claim.worth:4.0%}"
            click.echo(f"{claim.sentence_id}\t{worth}\t{claim.claim}")
    click.echo(note, err=True)


@main.command("set-aside")
@click.option("--project", required=True, help="Project name.")
@click.option("--restore", is_flag=True, help="Put claims set aside back among the waiting ones.")
@click.argument("sentence_ids", nargs=-1, required=True, type=int, metavar="SENTENCE_ID...")
@db_option
def set_aside_(
    project: str, restore: bool, sentence_ids: tuple[int, ...], db_url: str | None
) -> None:
    """Set gold claims waiting for a checker aside as not worth checking (what the
    check-worthiness model learns from), or --restore them. All or none: a wrong id changes
    nothing.

    Example: python -m annotator set-aside --project default 118 121
    """
    from annotator.services import fact_checking

    change = fact_checking.restore if restore else fact_checking.set_aside
    with open_session(db_url) as session:
        n = change(session, None, project, sentence_ids)
    click.echo(f"{counted(n, 'claim')} {'restored' if restore else 'set aside'}")


@main.command("agreement")
@click.option("--project", help="Project name (agreement of its annotators).")
@click.option(
    "--labels",
    "labels_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A `labels` export (.csv, .jsonl, .parquet) instead of a project: no database needed.",
)
@click.option("--field", default="claim_type", show_default=True, help="The field to compare.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@db_option
def agreement_(
    project: str | None, labels_file: Path | None, field: str, as_json: bool, db_url: str | None
) -> None:
    """Inter-annotator agreement on one field: observed agreement, Krippendorff's alpha with a
    bootstrap 95% interval, Fleiss' kappa and Cohen's kappa for every pair.

    Example: python -m annotator agreement --labels labels.csv --field date_bound --json
    """
    from annotator.services.importing import read_path
    from annotator.services.reliability import file_agreement, project_agreement

    if (project is None) == (labels_file is None):
        raise click.UsageError("give exactly one of --project P or --labels FILE")
    if labels_file is not None:
        with user_errors():
            data = read_path(labels_file, MAX_LABEL_FILE_BYTES)
            result = file_agreement(labels_file.name, data, field)
    else:
        with open_session(db_url) as session:
            result = project_agreement(session, None, str(project), field)
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2))
        return
    click.echo("\n".join(_agreement_lines(result)))


def _agreement_lines(result: Agreement) -> list[str]:
    from annotator.agreement import describe
    from annotator.services.reliability import CONDITIONAL_NOTE

    alpha, ci = result.krippendorff_alpha, result.alpha_ci95
    interval = f" (95% CI {_figure(ci[0])} to {_figure(ci[1])})" if ci else ""
    lines = [
        f"{result.field}: {counted(result.n_annotators, 'annotator')}, "
        f"{counted(result.n_items, 'item')} with two or more values",
        f"observed agreement    {_figure(result.observed_agreement)}",
        f"Krippendorff's alpha  {_figure(alpha)}{interval}: {describe(alpha)}",
        f"Fleiss' kappa         {_figure(result.fleiss_kappa)}: {describe(result.fleiss_kappa)}",
        "Cohen's kappa per pair:",
    ]
    lines += [
        f"  {p.a} / {p.b}: {_figure(p.kappa)} over {counted(p.n, 'item')}, {describe(p.kappa)}"
        for p in result.cohen_kappa
    ]
    if result.field == "date_bound":
        lines.append(CONDITIONAL_NOTE)
    return lines


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


@main.group()
def model() -> None:
    """A model of the labels: how well it would suggest answers (docs/model.md)."""


@model.command("train")
@click.option("--project", required=True, help="Project name.")
@click.option(
    "--field",
    "fields",
    multiple=True,
    type=ChoiceOf("annotator.model", "TRAINABLE_FIELDS"),
    help="Train only this field (repeatable; default: every field of the project's scheme).",
)
@db_option
def model_train(project: str, fields: tuple[str, ...], db_url: str | None) -> None:
    """Train a new version of the project's models from its gold and single labels, score it
    on the newest 20% of gold (held out), and store it: the annotate page uses it when it
    beats always giving the commonest answer. `check_worthy` learns from the claims checked
    and set aside, and orders the fact-check queue.

    Example: python -m annotator model train --project default
    """
    from annotator.services.modelling import train

    with open_session(db_url) as session, user_errors():
        results = train(session, None, project, fields)
    for result in results:
        if result.model is None:
            click.echo(f"{result.field}: not trained: {result.skipped}")
        else:
            click.echo(_model_line(result.model))
        if result.ordered:
            click.echo(
                f"{result.field}: the uncertainty of {counted(result.ordered, 'article')} "
                "short of annotators stored; they go out least sure first"
            )


def _model_line(info: ModelInfo) -> str:
    figures = info.figures
    trained = (
        f"{info.name}: trained on {counted(info.n_train, 'answer')} "
        f"{info.trained_at:%Y-%m-%d %H:%M} UTC"
    )
    if not info.n_heldout:
        return f"{trained}; no held-out gold to score it on, so it is not shown"
    kappa = "-" if figures.get("kappa") is None else f"{figures['kappa']:.3f}"
    verdict = info.use if info.beats_baseline else "not used: no better than the baseline"
    return (
        f"{trained}; on {counted(info.n_heldout, info.heldout_noun)}: accuracy "
        f"{figures['accuracy']:.3f}, majority baseline {figures['majority_baseline']:.3f}, "
        f"macro-F1 {figures['macro_f1']:.3f}, kappa {kappa}, ECE {figures['ece']:.3f} ({verdict})"
    )


@model.command("list")
@click.option("--project", required=True, help="Project name.")
@db_option
def model_list(project: str, db_url: str | None) -> None:
    """The project's stored models, each field's newest first, with their held-out figures.

    Example: python -m annotator model list --project default
    """
    from annotator.services.modelling import models

    with open_session(db_url) as session, user_errors():
        stored = models(session, None, project)
    if not stored:
        click.echo(f"project {project!r} has no models yet: python -m annotator model train")
    for info in stored:
        click.echo(_model_line(info))


@model.command("settings")
@click.option("--project", required=True, help="Project name.")
@click.option(
    "--suggestions",
    type=ChoiceOf("annotator.services.modelling", "SUGGESTION_MODES"),
    help="off, shown (the model's answer and confidence beside the buttons) or preselected "
    "(highlighted; Enter accepts it).",
)
@click.option(
    "--retrain-every",
    type=click.IntRange(0, 1_000_000),
    help="Retrain automatically after this many new labels (0: only by `model train`).",
)
@click.option(
    "--order",
    type=ChoiceOf("annotator.services.modelling", "ARTICLE_ORDERS"),
    help="The order `assign` and claimed work take articles in: import, or uncertain (the "
    "model's least sure first, from the next model trained that beats its baseline).",
)
@db_option
def model_settings(
    project: str,
    suggestions: str | None,
    retrain_every: int | None,
    order: str | None,
    db_url: str | None,
) -> None:
    """Show, or change, how the annotate page and the handing out of work use the project's
    model.

    Example: python -m annotator model settings --project default --suggestions preselected
    """
    from annotator.services.modelling import set_settings, settings

    with open_session(db_url) as session, user_errors():
        if suggestions is None and retrain_every is None and order is None:
            now = settings(session, project)
        else:
            now = set_settings(
                session, None, project, mode=suggestions, retrain_every=retrain_every, order=order
            )
    click.echo(f"{project}: {now.describe()}")


@model.command("evaluate")
@click.option(
    "--labels",
    "labels_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A `labels` export, or any .csv, .jsonl or .parquet with a `sentence` column.",
)
@click.option(
    "--field",
    default="claim_type",
    show_default=True,
    type=ChoiceOf("annotator.model", "MODEL_FIELDS"),
    help="The field to predict (date_bound: over the rows whose claim_type is factual).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def model_evaluate(labels_file: Path, field: str, as_json: bool) -> None:
    """Cross-validate the model on a labels file, with no database: 5 folds, fixed seed;
    accuracy, macro-F1, per-answer precision and recall, calibration error, and the
    majority-answer baseline beside them.

    Example: python -m annotator model evaluate --labels labels.csv --field claim_type --json
    """
    from annotator.label_files import training_rows
    from annotator.model import evaluate
    from annotator.services.importing import read_path

    with user_errors():
        data = read_path(labels_file, MAX_LABEL_FILE_BYTES)
        texts, answers = training_rows(labels_file.name, data, field)
        result = evaluate(field, texts, answers)
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2))
        return
    click.echo(
        f"{field}: {counted(result.n, 'labelled sentence')}, {result.folds}-fold cross-validation"
    )
    click.echo(f"accuracy            {result.accuracy:.3f}")
    click.echo(
        f"majority baseline   {result.majority_baseline:.3f} (always {result.majority_class!r})"
    )
    click.echo(f"macro-F1            {result.macro_f1:.3f}")
    kappa = "-" if result.kappa is None else f"{result.kappa:.3f}"
    click.echo(f"Cohen's kappa       {kappa} (the model against the file's answers)")
    click.echo(f"calibration error   {result.ece:.3f} (expected calibration error; 0 is perfect)")
    click.echo("answer               precision  recall  rows")
    for name, figures in result.per_class.items():
        click.echo(
            f"  {name:<18} {figures.precision:>9.3f} {figures.recall:>7.3f} {figures.support:>5}"
        )


@main.command("import-labels")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--project", required=True, help="Project name.")
@click.option("--replace", is_flag=True, help="Overwrite stored labels that differ.")
@click.option(
    "--match",
    type=click.Choice(LABEL_MATCHES),
    help="How a row finds its sentence: offsets (default; the offsets and text of a labels "
    "export) or text (the text alone, within the article named by article_title).",
)
@click.option(
    "--format",
    "format_",
    type=click.Choice(("labels", *DATASETS)),
    default="labels",
    show_default=True,
    help="labels: a labels export or any file with its columns (.csv .jsonl .parquet); "
    "checkthat: a CLEF CheckThat! 2019 check-worthiness .tsv; claimbuster: a ClaimBuster "
    "groundtruth.csv or crowdsourced.csv. The last two are matched by text.",
)
@click.option(
    "--annotator",
    help="The user whose labels these are (checkthat and claimbuster files name none).",
)
@click.option(
    "--article-title",
    help="The article a checkthat or claimbuster file labels (default: the file name without "
    "its extension for checkthat, each row's File_id for claimbuster).",
)
@db_option
def import_labels_(
    file: Path,
    project: str,
    replace: bool,
    match: str | None,
    format_: str,
    annotator: str | None,
    article_title: str | None,
    db_url: str | None,
) -> None:
    """Import labels from a file, whole or not at all: a `labels` export (.csv, .jsonl,
    .parquet), a file keyed by text, or a CheckThat! or ClaimBuster dataset file. Any problem
    is listed by line, and then nothing is stored. See docs/importing.md.

    Annotators are found by user name; sentences by article title and offsets and text, or
    (--match text, and the dataset formats) by text alone.

    Example: python -m annotator import-labels 20151219_3_dem.tsv --project debates
    --format checkthat --annotator clef2019
    """
    from annotator.services.importing import read_path
    from annotator.services.label_import import import_labels

    dataset = None if format_ == "labels" else format_
    _check_label_options(match, dataset, annotator, article_title)
    with open_session(db_url) as session, _page_bar("importing labels") as progress:
        report = import_labels(
            session,
            None,
            project,
            file.name,
            read_path(file, MAX_LABEL_FILE_BYTES),
            replace=replace,
            match="text" if dataset else match or "offsets",
            dataset=dataset,
            annotator=annotator,
            article_title=article_title,
            progress=progress,
        )
    click.echo(
        f"imported {file.name}: {counted(report.added, 'label')} added, {report.updated} replaced, "
        f"{report.unchanged} unchanged"
    )


def _check_label_options(
    match: str | None, dataset: str | None, annotator: str | None, article_title: str | None
) -> None:
    """Usage errors (exit 2) for options that do not go together."""
    if dataset is None:
        extra = [o for o, v in (("--annotator", annotator), ("--article-title", article_title))
                 if v is not None]  # fmt: skip
        if extra:
            raise click.UsageError(
                f"{' and '.join(extra)} apply to --format checkthat or claimbuster only; a "
                "labels file names the annotator and article in its columns"
            )
        return
    if match == "offsets":
        raise click.UsageError(f"--format {dataset} files have no offsets: they match by text")
    if not (annotator or "").strip():
        raise click.UsageError(
            f"--format {dataset} needs --annotator NAME: the file names no annotator"
        )
    if article_title is not None and not article_title.strip():
        raise click.UsageError("--article-title is empty")


@main.command("progress")
@click.option("--project", required=True, help="Project name.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@db_option
def progress_(project: str, as_json: bool, db_url: str | None) -> None:
    """Show per-annotator progress: assigned, done, skipped, speed; labels per day.

    Example: python -m annotator progress --project default --json
    """
    from annotator.services.progress import project_progress

    with open_session(db_url) as session:
        report = project_progress(session, None, project)
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2))
        return
    click.echo(
        f"{report.project}: {report.body_sentences:,} body sentences, overlap {report.overlap}, "
        f"{report.assigned_sentences:,} sentence assignments"
    )
    for row in report.annotators:
        click.echo(
            f"{row.annotator}\tassigned {row.assigned}\tdone {row.done}\tskipped {row.skipped}"
            f"\t{row.sentences_per_hour or '-'} per hour\tmedian {row.median_seconds or '-'} s"
        )


@main.command("check")
@db_option
def check_(db_url: str | None) -> None:
    """Verify the database: sentence offsets, stored counts, references, label and gold
    history, outcomes against their labels, and SQLite's own integrity check. Prints one line
    per problem; exit status 0 when the database is sound, 1 when not. Changes nothing.

    Example: python -m annotator check --db sqlite:///data/annotator.db
    """
    from annotator.services.integrity import find_problems
    from db.engine import session_factory

    found = 0
    with (
        open_engine(db_url, create=False, migrate=False) as engine,
        session_factory(engine)() as session,
    ):
        for problem in find_problems(session):
            click.echo(str(problem))
            found += 1
    if found:
        click.echo(f"{counted(found, 'problem')} found", err=True)
        sys.exit(1)
    click.echo("database is sound")


@main.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace DEST if it exists.")
@db_option
def backup_(dest: Path, force: bool, db_url: str | None) -> None:
    """Copy a live SQLite database to DEST, consistently, while people keep working: written
    beside DEST, checked with PRAGMA integrity_check, then renamed. On PostgreSQL it prints
    the pg_dump command to use instead.

    Example: python -m annotator backup backups/annotator-2026-11-24.db
    """
    from annotator.services.backup import backup_database

    url = db_url or load_settings().database_url
    with user_errors(), _page_bar() as progress:
        result = backup_database(url, dest, force=force, progress=progress)
    click.echo(
        f"backed up {result.pages:,} pages ({result.bytes:,} bytes) to {result.path}; "
        "integrity check ok"
    )


@contextmanager
def _page_bar(label: str = "copying") -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar over the pages copied (or rows written), on a terminal only."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=1, label=label, file=sys.stderr) as bar:

        def advance(copied: int, total: int) -> None:
            bar.length = total
            bar.update(copied - bar.pos)

        yield advance
