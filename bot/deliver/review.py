"""The buttons under alerts and stories, by which analysts correct the bot (pure).

Every review element lives in one actions block whose block_id names the outbox message it is under, so a
press is traced to the stored alert (its topic, country and stories), never to text a client sent.
"""

from __future__ import annotations

from collections.abc import Sequence

BLOCK_PREFIX = "stancebot-review:"
WRONG_STANCE = "stancebot_wrong_stance"
NOT_TOPIC = "stancebot_not_topic"
MUTE = "stancebot_mute"
CHOICE_TEXT = {"supportive": "supportive", "opposed": "opposed", "neutral": "neutral", "none": "no stance"}
MUTE_SPANS = ("1d", "7d", "30d")
OPTION_MAX = 75  # characters of an option's text or a group's label


def _text(text: str) -> dict:
    return {"type": "plain_text", "text": text[:OPTION_MAX], "emoji": True}


def _option(text: str, value: str) -> dict:
    return {"text": _text(text), "value": value}


def review_actions(message_id: str, read: Sequence[tuple[str, str, str]], country_name: str | None) -> dict:
    """The actions block: 'Wrong stance' per country read ((code, name, label)), 'Not this topic', 'Mute'.

    `country_name` is the country an alert is about (its mute options name it); a story's mute is the topic's.
    """
    elements: list[dict] = []
    groups = [{"label": _text(f"{name} (read: {label})"),
               "options": [_option(CHOICE_TEXT[c], f"{code}|{c}") for c in CHOICE_TEXT if c != label]}
              for code, name, label in read]
    if groups:
        select = {"type": "static_select", "action_id": WRONG_STANCE, "placeholder": _text("Wrong stance…")}
        select.update({"options": groups[0]["options"]} if len(groups) == 1 else {"option_groups": groups})
        elements.append(select)
    elements.append({"type": "button", "action_id": NOT_TOPIC, "text": _text("Not this topic"), "value": "not_topic",
                     "confirm": {"title": _text("Not this topic?"), "confirm": _text("Not this topic"), "deny": _text("Cancel"),
                                 "text": {"type": "mrkdwn", "text": "The story leaves this topic's board and digest, and stories "
                                                                    "like it stop matching the topic."}}})
    spans = {"1d": "a day", "7d": "7 days", "30d": "30 days"}
    if country_name is not None and read:
        code = read[0][0]
        options = [_option(f"Mute {country_name} on this topic for {spans[s]}", f"{code}|{s}") for s in MUTE_SPANS]
        options.append(_option("Mute this topic for 7 days", "|7d"))
    else:
        options = [_option(f"Mute this topic for {spans[s]}", f"|{s}") for s in MUTE_SPANS]
    elements.append({"type": "static_select", "action_id": MUTE, "placeholder": _text("Mute…"), "options": options})
    return {"type": "actions", "block_id": (BLOCK_PREFIX + message_id)[:255], "elements": elements}


def message_of_block(block_id: str) -> str | None:
    """The outbox message id a review block names, or None for any other block."""
    return block_id[len(BLOCK_PREFIX):] if block_id.startswith(BLOCK_PREFIX) else None

