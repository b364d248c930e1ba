"""`stancebot analyze`: JSONL items in, topic matches (and stances) out, in input order."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from bot.ingest.items import Item, make_item
from bot.jsonl import decoded_lines
from bot.read.embed import Embedder
from bot.read.gazetteer import Gazetteer
from bot.read.match import Profile
from bot.read.reader import StanceReader
from bot.read.reading import match_and_read

CHUNK = 64
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # analyze has no clock: items are read, not tracked


@dataclass(frozen=True)
class Parsed:
    """One input line: an Item to analyse, or an error for that line."""

    line_no: int
    key: object
    item: Item | None = None
    error: str | None = None


def parse_line(data: object, line_no: int) -> Parsed:
    """One decoded input line as an Item to analyse, or the error for that line."""
    if not isinstance(data, dict):
        return Parsed(line_no, line_no, error=f"line {line_no}: expected a JSON object")
    key = data.get("id", line_no)
    fields = {k: data.get(k) for k in ("title", "summary", "text")}
    bad = [k for k, v in fields.items() if v is not None and not isinstance(v, str)]
    if bad:
        return Parsed(line_no, key, error=f"line {line_no}: {', '.join(bad)} must be a string")
    item = make_item(feed="", identity=str(key), title=fields["title"], summary=fields["summary"], text=fields["text"],
                     published=EPOCH)
    if item is None:
        return Parsed(line_no, key, error=f"line {line_no}: no title, summary or text")
    return Parsed(line_no, key, item)


def analyze_lines(lines: Iterable[bytes | str], *, embedder: Embedder, profiles: Sequence[Profile], gaz: Gazetteer,
                  force_match: bool = False, reader: StanceReader | None = None, explain: bool = False) -> Iterator[tuple[dict, str | None]]:
    """Yield (output object, error message or None) per non-blank input line, in order."""
    pending: list[Parsed] = []
    for line_no, data, error in decoded_lines(lines):
        pending.append(Parsed(line_no, line_no, error=error) if error else parse_line(data, line_no))
        if len(pending) >= CHUNK:
            yield from _flush(pending, embedder, profiles, gaz, force_match, reader, explain)
            pending = []
    yield from _flush(pending, embedder, profiles, gaz, force_match, reader, explain)


def _flush(batch: list[Parsed], embedder: Embedder, profiles: Sequence[Profile], gaz: Gazetteer,
           force_match: bool, reader: StanceReader | None, explain: bool = False) -> Iterator[tuple[dict, str | None]]:
    good = [p for p in batch if p.item]
    items = [p.item for p in good if p.item]
    readings = iter(match_and_read(items, embedder.encode([i.body for i in items]) if items else [], profiles, gaz, reader,
                                   force_match=force_match, neighbours=None))  # input lines have no time line to inherit along
    for p in batch:
        if p.error:
            yield {"id": p.key, "error": p.error}, p.error
            continue
        reading = next(readings)
        topics = [{"id": m.topic_id, "score": round(m.score, 4), "matched": reading.read_for(m),
                   "stances": [s.as_dict() for s in reading.stances.get(m.topic_id, [])] if reader else [],
                   **({"why": m.reason} if explain else {})}
                  for m in reading.matches]
        yield {"id": p.key, "topics": topics}, None


def run_analyze(stdin: IO[bytes] | IO[str], stdout: IO[str], stderr: IO[str], **kwargs: Any) -> int:
    """Stream analyze over files; returns the number of error lines."""
    errors = 0
    for out, error in analyze_lines(stdin, **kwargs):
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        if error:
            errors += 1
            stderr.write(f"stancebot analyze: {error}\n")
    stdout.flush()
    return errors

