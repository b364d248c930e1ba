"""The digest's chart: each topic's countries × the last 14 days, coloured by settled stance, as a PNG (no display).

Drawn for Slack, which previews an image about 360 px wide: few words, large enough; topic and country names whole
(wrapped, never cut), each topic a heading over its countries; colours that red-green colour-blind readers tell
apart (Okabe–Ito blue and vermillion, the board's 🔵 and 🟠), grey for neutral and hatched white for no settled
stance; a title naming the watchlist and the dates; rendered at twice its layout resolution, so it stays sharp.
"""

from __future__ import annotations

import io
from datetime import date
from zoneinfo import ZoneInfo

from bot.digest.render import UNSETTLED, DigestData, TimelineRow
from bot.labels import Label

# One colour per settled stance (None: no settled stance), in the order the legend lists them.
PALETTE: dict[str | None, str] = {Label.SUPPORTIVE: "#0072B2", Label.OPPOSED: "#D55E00", Label.NEUTRAL: "#A3A3A3", None: "#FFFFFF"}
UNSETTLED_HATCH = "//"  # white alone could pass for a missing cell; the hatch says "nothing settled yet"
LINE = "#C4C4C4"  # the outline and hatch of an unsettled cell
INK, MUTED = "#1A1A1A", "#5C5C5C"
BASE_DPI = 100
SCALE = 2  # pixels per layout pixel: 2× for high-density screens and Slack's scaled-down preview
WIDTH_IN = 6.0  # 600 layout pixels (1,200 drawn): Slack's ~360 px preview keeps 9 pt text about 8 px high
MARGIN_IN, LABEL_IN, GAP_IN = 0.16, 1.6, 0.08
ROW_IN, LINE_IN = 0.3, 0.19  # a country row; a line of wrapped text
TITLE_PT, HEADING_PT, LABEL_PT, SMALL_PT = 13.5, 11, 10.5, 9


def _width_in(text: str, size: float, weight: str = "normal") -> float:
    """How wide `text` is drawn, in inches."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    width, _, _ = RendererAgg(10, 10, 72).get_text_width_height_descent(text, FontProperties(size=size, weight=weight), ismath=False)
    return width / 72


def wrap(text: str, width_in: float, size: float, weight: str = "normal") -> list[str]:
    """`text` in lines no wider than `width_in`, broken between words (a word wider than the line stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and _width_in(f"{lines[-1]} {word}", size, weight) <= width_in:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _local_days(data: DigestData) -> list[date]:
    zone = ZoneInfo(data.zone)
    return [day.astimezone(zone).date() for day in data.days]


def date_span(first: date, last: date) -> str:
    """'1–14 Nov 2026', '25 Oct – 7 Nov 2026' or '25 Dec 2026 – 7 Jan 2027'."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


def chart_title(data: DigestData) -> str:
    days = _local_days(data)
    return f"{data.watchlist}: settled stances, {date_span(days[0], days[-1])}"


def chart_alt_text(data: DigestData, limit: int = 1900) -> str:
    """What the chart shows, in words (Slack's alt text, read aloud by screen readers): each topic's countries by the
    stance they hold on the last day."""
    parts = [f"Chart. {chart_title(data)}."]
    topics: dict[str, list[TimelineRow]] = {}
    for row in data.timeline:
        topics.setdefault(row.topic, []).append(row)
    for topic, rows in topics.items():
        groups = [f"{state or UNSETTLED}: {', '.join(r.country for r in rows if r.states[-1] == state)}"
                  for state in PALETTE if any(r.states[-1] == state for r in rows)]
        parts.append(f"{topic} — {'; '.join(groups)}.")
    text = " ".join(parts)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def draw_chart(data: DigestData):
    """The chart as a matplotlib Figure (laid out in inches), or None when no country has a settled stance yet."""
    if not data.timeline or not data.days:
        return None
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    width = WIDTH_IN - 2 * MARGIN_IN
    grid_x = MARGIN_IN + LABEL_IN + GAP_IN
    cell = (WIDTH_IN - MARGIN_IN - grid_x) / len(data.days)
    texts: list[tuple[float, float, str, dict]] = []
    cells: list[tuple[float, float, float, str | None, int]] = []  # x, y, height, state, stories
    rules: list[float] = []
    y = MARGIN_IN
    texts.append((MARGIN_IN, y, chart_title(data), {"fontsize": TITLE_PT, "fontweight": "bold", "color": INK, "gid": "title"}))
    y += 0.3
    texts.append((MARGIN_IN, y, "Colour: the settled stance at the end of each day · number: stories that day",
                  {"fontsize": SMALL_PT, "color": MUTED}))
    y += 0.3
    days = _local_days(data)
    for n, day in enumerate(days):  # day numbers over the columns, the month over the first day and each 1st
        x = grid_x + (n + 0.5) * cell
        if n == 0 or day.day == 1:
            texts.append((x, y, f"{day:%b}", {"fontsize": SMALL_PT, "color": MUTED, "ha": "center", "gid": "day"}))
        last = n == len(days) - 1
        texts.append((x, y + 0.17, str(day.day), {"fontsize": SMALL_PT, "color": INK if last else MUTED, "ha": "center",
                                                  "fontweight": "bold" if last else "normal", "gid": "day"}))
    y += 0.4
    topic = None
    for row in data.timeline:
        if row.topic != topic:
            topic = row.topic
            if rules or y > MARGIN_IN + 1.2:
                rules.append(y + 0.04)
            y += 0.1
            heading = wrap(topic, width, HEADING_PT, "bold")
            texts.append((MARGIN_IN, y, "\n".join(heading), {"fontsize": HEADING_PT, "fontweight": "bold", "color": INK,
                                                             "linespacing": 1.25, "gid": "topic"}))
            y += (LINE_IN + 0.03) * len(heading) + 0.06
        lines = wrap(row.country, LABEL_IN, LABEL_PT)
        height = max(ROW_IN, LINE_IN * len(lines) + 0.1)
        texts.append((MARGIN_IN, y + height / 2, "\n".join(lines), {"fontsize": LABEL_PT, "color": INK, "va": "center",
                                                                   "linespacing": 1.1, "gid": "country"}))
        for n, (state, stories) in enumerate(zip(row.states, row.stories, strict=True)):
            cells.append((grid_x + n * cell, y, height, state, stories))
        y += height
    if data.chart_omitted:
        y += 0.08
        texts.append((MARGIN_IN, y, f"…and {data.chart_omitted} more (on the board above)", {"fontsize": SMALL_PT, "color": MUTED}))
        y += 0.2
    y += 0.22
    legend_y = y
    height_in = y + 0.12 + MARGIN_IN

    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=BASE_DPI)
    fig.set_facecolor("white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_IN)
    ax.set_ylim(height_in, 0)
    ax.axis("off")
    for x, top, h, state, stories in cells:
        unsettled = state is None
        ax.add_patch(Rectangle((x + 0.015, top + 0.025), cell - 0.03, h - 0.05, facecolor=PALETTE.get(state, PALETTE[None]),
                               edgecolor=LINE if unsettled else "none", linewidth=0.6, hatch=UNSETTLED_HATCH if unsettled else None,
                               gid="cell"))
        if stories:
            ax.text(x + cell / 2, top + h / 2, str(stories), fontsize=SMALL_PT, ha="center", va="center", fontweight="bold", gid="stories",
                    color="white" if state in (Label.SUPPORTIVE, Label.OPPOSED) else INK,
                    bbox=None if not unsettled else {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    for at in rules:
        ax.plot((MARGIN_IN, WIDTH_IN - MARGIN_IN), (at, at), color="#E0E0E0", linewidth=0.8)
    for x, top, text, style in texts:
        ax.text(x, top, text, **({"ha": "left", "va": "top"} | style))
    x = MARGIN_IN
    for state in PALETTE:  # the legend, in the board's words
        unsettled = state is None
        ax.add_patch(Rectangle((x, legend_y - 0.08), 0.17, 0.17, facecolor=PALETTE[state], edgecolor=LINE if unsettled else "none",
                               linewidth=0.6, hatch=UNSETTLED_HATCH if unsettled else None, gid="legend"))
        words = state or UNSETTLED
        ax.text(x + 0.23, legend_y, words, fontsize=LABEL_PT, va="center", color=INK, gid="legend")
        x += 0.23 + _width_in(words, LABEL_PT) + 0.25
    return fig


def stance_chart(data: DigestData) -> bytes | None:
    """PNG bytes of the chart at twice its layout resolution, or None when no country has a settled stance yet."""
    fig = draw_chart(data)
    if fig is None:
        return None
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=BASE_DPI * SCALE)
    return buffer.getvalue()
