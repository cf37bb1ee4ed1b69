"""The one exception family of ledger.

Core functions raise these for misuse and I/O; the CLI turns them into a single
``error: …`` line and an exit code. Nothing else in the package prints errors.
"""


class LedgerError(Exception):
    """A failure the user can act on: exit code 1."""

    exit_code = 1


class InputError(LedgerError):
    """Bad input from the user (a value, a name, a date): exit code 2.

    The message names the field, the value and, where it can, what would be
    accepted, so the one line is enough to fix the command.
    """

    exit_code = 2

    def __init__(self, field: str, value: object, problem: str, hint: str | None = None):
        self.field = field
        self.value = value
        self.problem = problem
        self.hint = hint
        message = f"{field}: {value!r} {problem}"
        if hint:
            message += f"; {hint}"
        super().__init__(message)


class NotFoundError(InputError):
    """A referenced record (source, document, claim) does not exist."""
