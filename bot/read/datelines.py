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


# "the country's Foreign Office", "the kingdom's foreign ministry": the office of the country named before it.
_ITS_OWN = re.compile(r"\bthe (?:country|nation|kingdom|republic|state)['’]s\s+$", re.I)


def at_home(mentions: list[Mention], home: str | None, text: str = "") -> list[Mention]:
    """`mentions` with the offices every country names alike ("the Foreign Office") given to the country whose office
    the text makes it ("Pakistan stands by ..., said the spokesman for the country's Foreign Office"), else to the
    dateline's country."""
    out: list[Mention] = []
    for m in mentions:
        if _home_office(m):
            before = [o for o in out if not _home_office(o)]
            if before and _ITS_OWN.search(text[max(0, m.start - 30):m.start]):  # (the sentence's first country, else
                opens = max(text.rfind(". ", 0, m.start), text.rfind("? ", 0, m.start), text.rfind("! ", 0, m.start))
                m = replace(m, ref=next((o for o in before if o.start > opens), before[-1]).ref)  # the one before it)
            elif home is not None:
                m = replace(m, ref=home)
        out.append(m)
    return out


def _home_office(m: Mention) -> bool:
    return m.kind == "institution" and m.text.lower() in HOME_OFFICES


def international(text: str, subject) -> bool:
    """Whether an office holds an international body's title ("NATO Secretary General", "the UN envoy")."""
    return bool(INTERNATIONAL_TITLE.search(text[subject.left_edge.idx:subject.idx + len(subject.text)]))
