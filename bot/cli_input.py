"""Input of the command-line contracts (`alertbot extract`, `alertbot cluster`): a file or
stdin, UTF-8, JSON Lines of objects, ISO 8601 dates. Each command checks its own fields; the
errors here already say where and why, for one line on stderr and exit status 2."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO


class InputError(Exception):
    """Input a command cannot use; the message is shown to the user as is."""


def read_text(path: str | Path | None, stdin: BinaryIO | None = None) -> str:
    """The file's text (stdin's for no path or "-"), a byte-order mark dropped."""
    try:
        if path is None or str(path) == "-":
            raw = stdin.read() if stdin is not None else b""
        else:
            raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = "input" if path is None or str(path) == "-" else str(path)
        raise InputError(f"{where}: not UTF-8 (byte {exc.start} cannot be decoded)") from None


def json_objects(content: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """("line N", object) for each non-blank line, which must hold one JSON object."""
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise InputError(f"{where}: expected a JSON object")
        yield where, obj


def parse_time(value: Any, where: str) -> datetime | None:
    """ISO 8601 date or date-time ("Z" allowed); a time without zone is taken as UTC."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: 'published' must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{where}: 'published' is not an ISO 8601 date: {value[:40]!r}") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
