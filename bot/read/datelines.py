"""Datelines: where an item was written from ("CAIRO —", "MANAUS, Brazil —", a text opening "Addis Ababa —"), a place
and never a speaker, whose country an unnamed office leading its sentence speaks for (pure)."""

from __future__ import annotations

import re

from bot.read.gazetteer import Gazetteer
from bot.read.speakers import INTERNATIONAL_TITLE

_DATELINE = re.compile(r"(?:^|(?<=[.!?\n])\s*)([A-Z][A-Z .'’/-]{2,}(?:,\s*[A-Z][\w .'’-]{1,40})?)\s*(?:\([^)]{1,40}\)\s*)?[—–]{1,2}\s")
_OPENING_DATELINE = re.compile(r"^\s*([A-Z][a-z]+(?: [A-Z][a-z]+){0,2})\s*(?:[—–]{1,2}\s|,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|"
                               r"Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\s*:\s)")  # "Addis Ababa —", "Moscow, Jul 27: ..."


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Where datelines ("CAIRO —", "MANAUS, Brazil —", a text opening "Addis Ababa —") are: places an item was
    written from, never speakers."""
    opening = _OPENING_DATELINE.match(text)
    return ([opening.span(1)] if opening else []) + [m.span(1) for m in _DATELINE.finditer(text)
                                                      if not opening or m.start(1) >= opening.end()]


def dateline_country(dateline: str, gaz: Gazetteer) -> str | None:
    """The country of a dateline's city ("DAKAR", "MANAUS, Brazil"), or None ("UNITED NATIONS")."""
    found = [m for m in gaz.find(dateline.title()) if m.kind in ("country", "capital")]
    return found[-1].ref if found else None


def international(text: str, subject) -> bool:
    """Whether an office holds an international body's title ("NATO Secretary General", "the UN envoy")."""
    return bool(INTERNATIONAL_TITLE.search(text[subject.left_edge.idx:subject.idx + len(subject.text)]))
