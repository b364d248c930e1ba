"""The stances a country can take toward a topic's target: the one label type every stage uses."""

from __future__ import annotations

from enum import StrEnum


class Label(StrEnum):
    """A stance label; a str, so it is stored, compared and serialised as its value."""

    SUPPORTIVE = "supportive"
    OPPOSED = "opposed"
    NEUTRAL = "neutral"


LABELS: tuple[Label, ...] = tuple(Label)  # supportive, opposed, neutral: the order ties are broken in
