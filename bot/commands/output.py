"""What the ``guanai`` commands print: messages in the settings' language, role lists, database trouble."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy.exc import OperationalError

from bot.domain.text_safety import terminal_safe
from bot.i18n import gettext, render
from bot.messages.labels import ROLE_LABELS
from bot.messages.prompt import N_, Prompt
from bot.store.db import DatabaseUrlError, describe_connection_error

if TYPE_CHECKING:
    from bot.services.consent_report import ChildRow


def say(locale: str, message_id: str, out: TextIO | None = None, **params: Any) -> None:
    """Print one message rendered in ``locale`` (to ``out``, default the current ``sys.stdout``).

    ``sys.stdout`` is looked up per call, not bound at import: a pager or a
    test may have replaced it.
    """
    print(render(Prompt(message_id, params), locale).text, file=out or sys.stdout)


WORKBOOK_SUFFIX = ".xlsx"


def one_child(locale: str, query: str, children: list[ChildRow]) -> ChildRow | None:
    """The one child of ``children`` (those ``query`` matched); None after saying on stderr why there is not one.

    Several matches are listed with their #id and student number, so the admin can run the command again.
    """
    if len(children) == 1:
        return children[0]
    if not children:
        say(locale, N_('No child matches "{query}".'), sys.stderr, query=query)
        return None
    say(locale, N_('Several children match "{query}"; give the student number or #id:'), sys.stderr, query=query)
    for c in children:
        say(locale, N_("  #{id} {name} ({class_name}), student number {student_no}"), sys.stderr,
            id=c.id, name=c.name, class_name=c.class_name or "—", student_no=c.student_no)
    return None


def workbook_path(locale: str, given: str | None, default_name: str) -> Path | None:
    """Where to write a workbook: the file the person named, or why not (printed to stderr, None returned).

    Exports and sheets are Excel workbooks (several sheets, typed cells): a
    name ending in ``.xlsx`` is used as it is; a name without a suffix gets
    ``.xlsx``; an existing folder gets ``default_name`` inside it; nothing or
    an empty name means ``default_name`` here. Any other suffix (``x.csv``,
    ``x.xls``) is refused before anything is made, so no file ever holds a
    workbook under a name that promises another format.
    """
    if not given:
        return Path(default_name)
    path = Path(given)
    if path.is_dir():
        return path / default_name
    if path.suffix.lower() == WORKBOOK_SUFFIX:
        return path
    if not path.suffix:
        return path.with_name(path.name + WORKBOOK_SUFFIX)
    say(locale, N_("{file}: the bot writes Excel workbooks only (.xlsx), not {suffix} files. Name it like "
                   "{example}; nothing was written."), sys.stderr, file=given, suffix=path.suffix,
        example=str(path.with_suffix(WORKBOOK_SUFFIX)))
    return None


def role_list(locale: str, roles: tuple[str, ...]) -> str:
    """Role values as one translated list (``班主任、帮扶教师``), or "no role"."""
    if not roles:
        return gettext(locale, N_("no role"))
    sep = "、" if locale == "zh_Hans" else ", "
    return sep.join(gettext(locale, ROLE_LABELS[r]) if r in ROLE_LABELS else r for r in roles)


def database_problem(locale: str, url: str, exc: DatabaseUrlError | OperationalError) -> str:
    """Why the database in ``url`` cannot be used, in ``locale``: the real cause, never the password or SQL."""
    if isinstance(exc, DatabaseUrlError):
        message_id, params = exc.message_id, exc.params
    else:
        try:
            message_id, params = describe_connection_error(url, exc)
        except DatabaseUrlError as bad:
            message_id, params = bad.message_id, bad.params
    return gettext(locale, message_id).format(**params)


class TerminalSafeStream:
    """A text stream that writes everything through :func:`~bot.domain.text_safety.terminal_safe`.

    Roster cells, names and chat text reach the admin's terminal through the
    commands' output; escape sequences in them must not act on the terminal.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` without escape sequences or control characters; returns ``len(text)``."""
        self._stream.write(terminal_safe(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def terminal_safe_output() -> Iterator[None]:
    """Route ``sys.stdout`` and ``sys.stderr`` through :class:`TerminalSafeStream` for the block."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafeStream(out), TerminalSafeStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err

