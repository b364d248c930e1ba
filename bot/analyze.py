"""`stancebot analyze`: JSONL items in, topic matches (and stances) out, in input order."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import IO, Iterable, Iterator, Sequence

from bot.read.embed import Embedder
from bot.read.gazetteer import Gazetteer
from bot.ingest.items import Item, clean_text
from bot.read.match import Profile, match_item
from bot.read.reader import Stancer

CHUNK = 64


@dataclass(frozen=True)
class Parsed:
    """One input line: an Item to analyse, or an error for that line."""

    line_no: int
    key: object
    item: Item | None = None
    error: str | None = None


def parse_line(line: str, line_no: int) -> Parsed:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return Parsed(line_no, line_no, error=f"line {line_no}: invalid JSON: {exc.msg}")
    if not isinstance(data, dict):
        return Parsed(line_no, line_no, error=f"line {line_no}: expected a JSON object")
    key = data.get("id", line_no)
    fields = {k: data.get(k) for k in ("title", "summary", "text")}
    bad = [k for k, v in fields.items() if v is not None and not isinstance(v, str)]
    if bad:
        return Parsed(line_no, key, error=f"line {line_no}: {', '.join(bad)} must be a string")
    title, summary, text = (clean_text(fields[k], limit) for k, limit in (("title", 500), ("summary", 4000), ("text", 20000)))
    if not (title or summary or text):
        return Parsed(line_no, key, error=f"line {line_no}: no title, summary or text")
    item = Item(id=str(key), feed="", guid="", link="", title=title, summary=summary, text=text,
                published=datetime(1970, 1, 1, tzinfo=timezone.utc))
    return Parsed(line_no, key, item)


def analyze_lines(lines: Iterable[str], *, embedder: Embedder, profiles: Sequence[Profile], gaz: Gazetteer,
                  force_match: bool = False, stancer: Stancer | None = None) -> Iterator[tuple[dict, str | None]]:
    """Yield (output object, error message or None) per non-blank input line, in order."""
    pending: list[Parsed] = []
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        pending.append(parse_line(line, line_no))
        if len(pending) >= CHUNK:
            yield from _flush(pending, embedder, profiles, gaz, force_match, stancer)
            pending = []
    yield from _flush(pending, embedder, profiles, gaz, force_match, stancer)


def _flush(batch: list[Parsed], embedder: Embedder, profiles: Sequence[Profile], gaz: Gazetteer,
           force_match: bool, stancer: Stancer | None) -> Iterator[tuple[dict, str | None]]:
    good = [p for p in batch if p.item]
    vectors = embedder.encode([p.item.body for p in good]) if good else []
    by_topic = {p.topic.id: p.topic for p in profiles}
    matches = {p.line_no: [(m, force_match or m.matched) for m in match_item(p.item.body, vectors[n], profiles, gaz)]
               for n, p in enumerate(good)}
    if stancer is not None:
        stancer.prime([(p.item.body, stancer.topic_for(by_topic[m.topic_id]))
                       for p in good for m, matched in matches[p.line_no] if matched])
    for p in batch:
        if p.error:
            yield {"id": p.key, "error": p.error}, p.error
            continue
        topics = []
        for m, matched in matches[p.line_no]:
            found = [s.as_dict() for s in stancer.find(p.item.body, stancer.topic_for(by_topic[m.topic_id]))] \
                if (matched and stancer) else []
            topics.append({"id": m.topic_id, "score": round(m.score, 4), "matched": matched, "stances": found})
        yield {"id": p.key, "topics": topics}, None


def run_analyze(stdin: IO[str], stdout: IO[str], stderr: IO[str], **kwargs: object) -> int:
    """Stream analyze over files; returns the number of error lines."""
    errors = 0
    for out, error in analyze_lines(stdin, **kwargs):
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        if error:
            errors += 1
            stderr.write(f"stancebot analyze: {error}\n")
    stdout.flush()
    return errors


__all__ = ["analyze_lines", "run_analyze", "parse_line"]
