"""What stance extraction needs to know about a topic: its target, the target's words, and its parties (pure)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StanceTopic:
    """What stance extraction needs to know about a topic."""

    target: str
    terms: frozenset[str]
    actors: frozenset[str]  # the owners: whose action or claim the target is
    rivals: frozenset[str] = frozenset()  # whom it is aimed at or disputed with
    hosts: frozenset[str] = frozenset()  # rivals that are only where it happens ("the mission in Haiti"): backing them is no side
    texts: tuple[str, ...] = ()  # target, name, description, examples: what a passage about it reads like
