"""JSON lines from users' files, decoded one line at a time: a bad line is an error for that line, never a crash."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator


def decoded_lines(lines: Iterable[bytes | str]) -> Iterator[tuple[int, object | None, str | None]]:
    """(line number, the JSON value, or the error for that line) for every non-blank line."""
    for line_no, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield line_no, None, f"line {line_no}: not UTF-8 text (byte {exc.start})"
                continue
        if not raw.strip():
            continue
        try:
            yield line_no, json.loads(raw), None
        except json.JSONDecodeError as exc:
            yield line_no, None, f"line {line_no}: invalid JSON: {exc.msg}"
        except RecursionError:
            yield line_no, None, f"line {line_no}: JSON nested too deeply"
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            yield line_no, None, f"line {line_no}: invalid JSON: {exc}"
