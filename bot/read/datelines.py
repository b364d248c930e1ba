"""Datelines: where an item was written from ("CAIRO —", "MANAUS, Brazil —", a text opening "Addis Ababa —"), a place
and never a speaker, whose country an unnamed office leading its sentence speaks for (pure)."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.read.gazetteer import Gazetteer, Mention
from bot.read.speakers import INTERNATIONAL_TITLE

_DATELINE = re.compile(r"(?:^|(?<=[.!?\n])\s*)([A-Z][A-Z .'’/-]{2,}(?:,\s*[A-Z][\w .'’-]{1,40})?)\s*(?:\([^)]{1,40}\)\s*)?[—–]{1,2}\s")
_OPENING_DATELINE = re.compile(r"^\s*([A-Z][a-z]+(?: [A-Z][a-z]+){0,2})\s*(?:[—–]{1,2}\s|,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|"
                               r"Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\s*:\s)"  # "Addis Ababa —", "Moscow, Jul 27: ..."
                               r"|^\s*([A-Z]{3,}(?: [A-Z]{3,})?):\s")  # "ISLAMABAD: ..."
# Offices that every country's press names alike, without the country: Pakistan's papers call their foreign ministry
# "the Foreign Office" as London's do. Under a dateline they are the dateline country's.
HOME_OFFICES = {"foreign office", "the foreign office"}


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Where datelines ("CAIRO —", "MANAUS, Brazil —", a text opening "Addis Ababa —") are: places an item was
    written from, never speakers."""
    opening = _OPENING_DATELINE.match(text)
    group = 1 if opening and opening.group(1) else 2
    return ([opening.span(group)] if opening else []) + [m.span(1) for m in _DATELINE.finditer(text)
                                                          if not opening or m.start(1) >= opening.end()]


def dateline_country(dateline: str, gaz: Gazetteer) -> str | None:
    """The country of a dateline's city ("DAKAR", "MANAUS, Brazil"), or None ("UNITED NATIONS")."""
    found = [m for m in gaz.find(dateline.title()) if m.kind in ("country", "capital")]
    return found[-1].ref if found else None


def at_home(mentions: list[Mention], home: str | None) -> list[Mention]:
    """`mentions` with the offices every country names alike ("the Foreign Office") given to the dateline's country."""
    if home is None:
        return mentions
    return [replace(m, ref=home) if m.kind == "institution" and m.text.lower() in HOME_OFFICES else m for m in mentions]


def international(text: str, subject) -> bool:
    """Whether an office holds an international body's title ("NATO Secretary General", "the UN envoy")."""
    return bool(INTERNATIONAL_TITLE.search(text[subject.left_edge.idx:subject.idx + len(subject.text)]))
