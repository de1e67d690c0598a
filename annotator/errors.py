"""One error root for the application; subclasses say what went wrong and where.

The CLI and the UI are the only places that turn these into messages; the core raises them.
"""

from __future__ import annotations


class AnnotatorError(Exception):
    """Root of every error a user can cause; its message is shown as one line."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        super().__init__(self.located())

    def located(self) -> str:
        """The message prefixed with `file:line: ` where those are known."""
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


class ImportRejected(AnnotatorError):
    """A file (or one record of it) cannot be imported; nothing from it is stored."""


class NotFound(AnnotatorError):
    """A named project, article, sentence or user does not exist."""


class NoSuchProject(NotFound):
    """No project has this name. `known` holds a few names that do exist, closest first, and
    `total` how many there are: for a caller who may see every project (the command line);
    the message alone names none."""

    def __init__(self, name: str, known: tuple[str, ...] = (), total: int = 0) -> None:
        super().__init__(f"no project named {name!r}")
        self.known = known
        self.total = total


class NoSuchDatabase(AnnotatorError):
    """The database does not exist, or Claim Annotator has not set it up (no tables of ours);
    a command that only reads refuses it, and nothing is created."""


class PermissionDenied(AnnotatorError):
    """The acting user may not do this."""


class NotAssigned(PermissionDenied):
    """The article or sentence is not part of this annotator's assigned work."""


class InvalidInput(AnnotatorError):
    """A form value or CLI argument is wrong."""


class StaleLabel(AnnotatorError):
    """The label changed (in another tab, or by an import) since the page that sent this
    save showed it; nothing was saved, so the other change is not silently reverted."""


class AuthenticationFailed(AnnotatorError):
    """Wrong user name or password, or a disabled account."""
