"""The digest's chart reads at a glance: whole names under topic headings, colour-blind-safe colours, a title, 2× pixels."""

from __future__ import annotations

import itertools
import struct
import unicodedata
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from conftest import write_rules
from matplotlib.backends.backend_agg import FigureCanvasAgg
from test_rules import GOOD

from bot.digest.chart import BASE_DPI, PALETTE, UNSETTLED_HATCH, WIDTH_IN, chart_alt_text, date_span, draw_chart, stance_chart
from bot.digest.collect import CHART_ROWS, collect_digest
from bot.digest.render import MARK, UNSETTLED, DigestData, TimelineRow
from bot.labels import Label
from bot.rules import load_rules
from bot.track.shifts import Shift

END = datetime(2026, 11, 14, 12, tzinfo=UTC)
DAYS = [END - timedelta(days=13 - n) for n in range(14)]
LONG_TOPIC = "Arrests, prosecutions and disappearances of Venezuelan opposition politicians, campaign staff and activists"
SUP, OPP, NEU = Label.SUPPORTIVE, Label.OPPOSED, Label.NEUTRAL


def row(topic: str, country: str, states: list, stories: list[int] | None = None) -> TimelineRow:
    return TimelineRow(topic, country, tuple(states), tuple(stories or [0] * 14))


def sample(**kw) -> DigestData:
    data = DigestData("latam", "latam digest", END - timedelta(days=1), END, "America/Caracas", days=DAYS, **kw)
    if not data.timeline:
        data.timeline = [
            row("US naval activity in the Caribbean", "Colombia", [None] * 4 + [NEU] * 3 + [OPP] * 7, [0, 1, 0, 2] + [0] * 10),
            row("US naval activity in the Caribbean", "Trinidad and Tobago", [None] * 3 + [SUP] * 11),
            row(LONG_TOPIC, "Saint Vincent and the Grenadines", [None] * 10 + [OPP] * 4, [0] * 13 + [3]),
            row(LONG_TOPIC, "Cuba", [SUP] * 14)]
    return data


def texts(fig, gid: str) -> list:
    return [t for t in fig.axes[0].texts if t.get_gid() == gid]


def flat(text) -> str:
    return " ".join(text.get_text().split())


def test_topic_and_country_names_are_whole_and_grouped():
    """Each topic is one heading (wrapped, not cut) over its own countries, whose names are whole too."""
    fig = draw_chart(sample())
    headings = texts(fig, "topic")
    assert [flat(t) for t in headings] == ["US naval activity in the Caribbean", LONG_TOPIC]
    assert "\n" in headings[1].get_text()  # too long for one line: wrapped
    countries = texts(fig, "country")
    assert [flat(t) for t in countries] == ["Colombia", "Trinidad and Tobago", "Saint Vincent and the Grenadines", "Cuba"]
    tops = [t.get_position()[1] for t in headings + countries]  # inches from the top
    assert tops[0] < tops[2] < tops[3] < tops[1] < tops[4] < tops[5]
    assert not any("…" in t.get_text() for t in fig.axes[0].texts)


def test_labels_fit_the_image_and_stay_clear_of_the_cells():
    """Every text lies inside the image, and no country label reaches the first column of cells."""
    fig = draw_chart(sample())
    renderer = FigureCanvasAgg(fig).get_renderer()
    frame = fig.bbox
    for text in fig.axes[0].texts:
        box = text.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1, text.get_text()
    cells = [p for p in fig.axes[0].patches if p.get_gid() == "cell"]
    grid_left = min(p.get_window_extent(renderer).x0 for p in cells)
    assert max(t.get_window_extent(renderer).x1 for t in texts(fig, "country")) < grid_left


def test_title_names_the_watchlist_and_the_dates():
    """The title says which watchlist and which fortnight, in the digest's time zone."""
    (title,) = texts(draw_chart(sample()), "title")
    assert title.get_text() == "latam: settled stances, 1–14 Nov 2026"


@pytest.mark.parametrize("first, last, expected", [
    (date(2026, 11, 1), date(2026, 11, 14), "1–14 Nov 2026"),
    (date(2026, 10, 25), date(2026, 11, 7), "25 Oct – 7 Nov 2026"),
    (date(2026, 12, 25), date(2027, 1, 7), "25 Dec 2026 – 7 Jan 2027"),
])
def test_date_span(first, last, expected):
    """A fortnight is written as briefly as its months and years allow."""
    assert date_span(first, last) == expected


def test_png_has_twice_the_layout_resolution():
    """The PNG is drawn at 2× (1,200 px wide for a 600 px layout), sharp at Slack's preview size and on dense screens."""
    fig = draw_chart(sample())
    png = stance_chart(sample())
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width == 2 * WIDTH_IN * BASE_DPI == 1200
    assert height == round(2 * fig.get_figheight() * BASE_DPI)


# Machado, Oliveira & Fernandes (2009) simulation of full dichromacy, applied to linear RGB.
DICHROMACY = {
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "typical vision": np.eye(3).tolist(),
}


def lab_as_seen(hex_colour: str, vision: str) -> np.ndarray:
    """CIELAB of an sRGB colour as a reader with `vision` sees it."""
    c = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.clip(np.array(DICHROMACY[vision]) @ np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4), 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    f = np.cbrt(np.maximum(xyz / np.array([0.95047, 1.0, 1.08883]), 0.008856))
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", DICHROMACY)
def test_colours_stay_apart_for_colour_blind_readers(vision):
    """Under each simulated colour blindness the four fills differ clearly (ΔE ≥ 30), supportive and opposed widely (≥ 60);
    red and green, as the chart had them, fall to ΔE 4 for deuteranopes."""
    seen = {state: lab_as_seen(colour, vision) for state, colour in PALETTE.items()}
    for a, b in itertools.combinations(seen, 2):
        assert np.linalg.norm(seen[a] - seen[b]) >= 30, (vision, a, b)
    assert np.linalg.norm(seen[SUP] - seen[OPP]) >= 60
    old_green, old_red = lab_as_seen("#2a9d5c", "deuteranopia"), lab_as_seen("#d1495b", "deuteranopia")
    assert np.linalg.norm(old_green - old_red) < 10  # the check above would have caught the old pair


def test_cells_take_the_stance_colours_and_unsettled_ones_a_hatch():
    """A row's cells are coloured by its stance each day; only cells with no settled stance are hatched."""
    from matplotlib.colors import to_hex

    fig = draw_chart(sample())
    cells = [p for p in fig.axes[0].patches if p.get_gid() == "cell"]
    assert len(cells) == 4 * 14
    colombia = cells[:14]
    assert [to_hex(p.get_facecolor()) for p in colombia] == [PALETTE[s].lower() for s in sample().timeline[0].states]
    assert [p.get_hatch() for p in colombia] == [UNSETTLED_HATCH] * 4 + [None] * 10
    assert [t.get_text() for t in texts(fig, "stories")] == ["1", "2", "3"]  # a number only where there were stories
    assert [t.get_text() for t in texts(fig, "day")] == ["Nov", *map(str, range(1, 15))]


def test_legend_uses_the_boards_words_and_colours():
    """The chart's legend names the same stances as the board's symbols, one swatch each, in the palette's colours."""
    fig = draw_chart(sample())
    assert set(PALETTE) == set(MARK)
    assert [t.get_text() for t in texts(fig, "legend")] == [s or UNSETTLED for s in PALETTE]
    swatches = [p for p in fig.axes[0].patches if p.get_gid() == "legend"]
    assert [p.get_hatch() for p in swatches] == [None, None, None, UNSETTLED_HATCH]


def test_board_symbols_name_the_chart_colours():
    """The board's 🔵 and 🟠 are the chart's blue and orange (and neither is red or green)."""
    for state, word, channels in ((SUP, "BLUE", lambda r, g, b: b > g > r), (OPP, "ORANGE", lambda r, g, b: r > g > b)):
        assert word in unicodedata.name(MARK[state][0])
        assert channels(*(int(PALETTE[state][i:i + 2], 16) for i in (1, 3, 5))), state


def test_rows_over_the_limit_are_said():
    """Rows beyond the chart's limit are counted under it, not silently dropped."""
    fig = draw_chart(sample(chart_omitted=5))
    assert "…and 5 more (on the board above)" in [t.get_text() for t in fig.axes[0].texts]


def test_no_chart_without_a_settled_stance():
    """Nothing to draw: no chart."""
    empty = DigestData("latam", "latam digest", END - timedelta(days=1), END, "UTC", days=DAYS)
    assert draw_chart(empty) is None and stance_chart(empty) is None


def test_alt_text_says_who_stands_where():
    """Slack's alt text (for screen readers) lists each topic's countries by the stance they hold on the last day."""
    text = chart_alt_text(sample())
    assert text.startswith("Chart. latam: settled stances, 1–14 Nov 2026.")
    assert "US naval activity in the Caribbean — supportive: Trinidad and Tobago; opposed: Colombia." in text
    assert f"{LONG_TOPIC} — supportive: Cuba; opposed: Saint Vincent and the Grenadines." in text


def test_collected_rows_are_grouped_by_topic_in_the_boards_order(tmp_path, fresh_store, gaz):
    """The digest's data gives whole names, each topic's rows together in the board's order, and counts rows over the limit."""
    second = GOOD.replace("id: caribbean", "id: arrests").replace("US naval activity in the Caribbean", LONG_TOPIC)
    rules = load_rules(write_rules(tmp_path, 'digest: {time: "08:00", timezone: UTC}\n' + GOOD + second.removeprefix("topics:\n")))
    at = END - timedelta(days=3)
    countries = sorted(gaz.countries)[:CHART_ROWS + 2]
    changes = [Shift("caribbean", "COL", None, OPP, at, 0.8, ("W",)), Shift("caribbean", "VEN", None, SUP, at, 0.8, ("W",)),
               Shift("caribbean", "BRA", None, OPP, at, 0.8, ("W",))]
    changes += [Shift("arrests", c, None, NEU, at, 0.8, ("W",)) for c in countries]
    fresh_store.record_processed([], [], [], now=END, changes=changes)
    (watchlist,) = rules.watchlists
    data = collect_digest(fresh_store, watchlist, rules, gaz, start=END - timedelta(days=1), end=END)
    assert [(r.topic, r.country) for r in data.timeline[:3]] == [("US naval activity in the Caribbean", "Brazil"),
                                                                 ("US naval activity in the Caribbean", "Colombia"),
                                                                 ("US naval activity in the Caribbean", "Venezuela")]
    assert {r.topic for r in data.timeline[3:]} == {LONG_TOPIC} and len(data.timeline) == CHART_ROWS
    assert data.chart_omitted == len(countries) - (CHART_ROWS - 3)
    assert data.timeline[0].states[-4:] == (OPP, OPP, OPP, OPP) and data.timeline[0].states[0] is None
