"""`/stancebot` parsing and answers: table-driven commands, Block Kit limits held with many countries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import NOW

from bot.digest.render import BoardRow
from bot.rules import Topic
from bot.slackapp.commands import MAX_BLOCKS, Command, CommandError, board_blocks, parse_command

TOPICS = [Topic("us-caribbean-naval", "US naval activity", "d", ("e",), "t", "w"), Topic("essequibo", "Essequibo", "d", ("e",), "t", "w")]
COUNTRIES = {"BRA": "Brazil", "TTO": "Trinidad and Tobago", "RUS": "Russia", "USA": "United States"}


@pytest.mark.parametrize(("text", "expected"), [
    ("", Command("help")),
    ("board", Command("board")),
    ("board essequibo share", Command("board", topic_id="essequibo", share=True)),
    ("why Brazil", Command("why", country="BRA")),
    ("why trinidad and tobago US-CARIBBEAN-NAVAL", Command("why", country="TTO", topic_id="us-caribbean-naval")),
    ("mute Russia us-caribbean-naval 7d", Command("mute", country="RUS", topic_id="us-caribbean-naval", duration=timedelta(days=7))),
    ("mute essequibo 12h", Command("mute", topic_id="essequibo", duration=timedelta(hours=12))),
    ("mute", Command("mute", duration=timedelta(days=7))),
    ("unmute rus", Command("unmute", country="RUS")),
])
def test_commands_are_read_as_written(text, expected):
    """Codes or names, topic ids in any case, durations, `share`."""
    assert parse_command(text, topics=TOPICS, countries=COUNTRIES) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("borad", 'did you mean "board"'),
    ("why", "which country?"),
    ("why Narnia", "no country or topic called `Narnia`"),
    ("mute Brazil 9x", "not a duration"),
    ("mute Brazil 900w", "not a duration"),
    ("unmute", "unmute what?"),
])
def test_a_command_it_cannot_read_says_what_to_write(text, message):
    """Every mistake is one message naming what was wrong."""
    with pytest.raises(CommandError, match=message):
        parse_command(text, topics=TOPICS, countries=COUNTRIES)


def test_the_board_stays_within_block_kit_limits():
    """Two hundred countries on forty topics: at most 50 blocks, every section within 3,000 characters."""
    rows = [BoardRow(f"C{n:02d}", f"Country with a long name number {n}", "BR", "opposed", None, "supportive", 3, 2) for n in range(200)]
    topics = [Topic(f"t{n}", f"Topic {n}", "d", ("e",), "t", "w") for n in range(40)]
    blocks = board_blocks([(t, rows) for t in topics], now=NOW)
    assert len(blocks) <= MAX_BLOCKS <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert "more topics than one message holds" in blocks[-1]["elements"][0]["text"]
