"""The parties to a watched action, read from the topic's words: who owns it, and whom it is aimed at (pure).

"China's drills around Taiwan": China owns the drills, Taiwan is where they are aimed. Matching uses the owners
(a story that names none of them must be closer to the topic), the stance reader both (an owner defending its
action supports it; a rival asserting itself opposes it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.read.gazetteer import Gazetteer

COUNTRY_KINDS = ("country", "capital", "demonym", "person", "institution")
AIMED_AT = re.compile(r"\b(against|with|around|toward|towards|on)\s+(the\s+)?$", re.I)
ACTION_PLACE = re.compile(r"\b(in|off|near|across|around|into|inside|within|along|over|at|between|to|toward|towards|from|"
                          r"through|on|against|for)\s+(the\s+)?([a-z-]+\s+){0,2}$")
# Where an action lands (its place or object), as opposed to where something travels from or to.
AIMED_PLACE = re.compile(r"\b(in|off|near|around|into|inside|within|along|over|at|on|against)\s+(the\s+)?([a-z-]+\s+){0,2}$")


def parties(target: str, descriptions: Iterable[str], gaz: Gazetteer, *, owners: Iterable[str] | None = None,
            rivals: Iterable[str] | None = None) -> tuple[frozenset[str], frozenset[str]]:
    """(owners, rivals) of a target: given ones win; else owners are the countries the target names as doing or
    claiming ("China's drills", "the US deployment"), rivals those it names as the place or object of the action
    ("around Taiwan", "strikes on Iran") or the descriptions name as what it is against or disputed with
    ("against Philippine vessels", "the dispute with Egypt and Sudan")."""
    found = [m for m in gaz.find(target) if m.kind in COUNTRY_KINDS + ("locality",)]
    derived = {m.ref for m in found if m.kind != "locality" and not ACTION_PLACE.search(target[:m.start])}
    owned = set(owners) if owners is not None else derived
    if rivals is None:
        aimed = {m.ref for m in found if m.kind == "locality" or AIMED_PLACE.search(target[:m.start])}
        for text in descriptions:
            aimed |= listed_after(text, gaz, AIMED_AT)
        rivals = aimed - owned
    return frozenset(owned), frozenset(rivals)


def listed_after(text: str, gaz: Gazetteer, cue: re.Pattern) -> set[str]:
    """Countries named right after `cue` ("against", "with"), with those listed after them ("with Egypt and Sudan")."""
    out: set[str] = set()
    previous = None
    for m in (m for m in gaz.find(text) if m.kind in COUNTRY_KINDS):
        joined = previous is not None and previous.ref in out and text[previous.end:m.start].strip(" ,") in ("and", "or", "")
        if cue.search(text[:m.start]) or joined:
            out.add(m.ref)
        previous = m
    return out


HOST_PLACE = re.compile(r"(?<!claim )(?<!claims )(?<!right )(?<!rights )(?<!title )\b(in|inside|within|at|for|to)\s+(the\s+)?([a-z-]+\s+){0,2}$")


ATTACKS = re.compile(r"\b(strikes?|air ?strikes?|attacks?|raids?|bombings?|bombardment|shelling|incursions?|invasion|"
                     r"offensive|assault|downing|shoot(?:ing)?[- ]down)\b", re.I)


def hosts_of(target: str, gaz: Gazetteer) -> frozenset[str]:
    """Countries the target names only as where its action happens or whom it serves ("the mission in Haiti",
    "a ceasefire for Ukraine"): supporting them is not taking a side against it. What a claim is to ("the claim to the
    Essequibo region") is disputed, not a host."""
    if ATTACKS.search(target):
        return frozenset()  # "the air strike on Hamas leaders in Doha": where it happens is what it hits
    return frozenset(m.ref for m in gaz.find(target) if m.kind in COUNTRY_KINDS + ("locality",) and HOST_PLACE.search(target[:m.start]))
