"""The digest's stance timeline chart: countries × the last 14 days, as a PNG (matplotlib, no display)."""

from __future__ import annotations

import io

from bot.digest.render import DigestData
from bot.labels import Label

COLORS = {Label.SUPPORTIVE: "#2a9d5c", Label.OPPOSED: "#d1495b", Label.NEUTRAL: "#9aa5b1", None: "#f1f3f5"}


def stance_chart(data: DigestData) -> bytes | None:
    """PNG bytes of the timeline, or None when no country has a settled stance yet."""
    if not data.timeline:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    rows = data.timeline
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.38 * len(rows)), dpi=110)
    for y, (_, states, counts) in enumerate(rows):
        for x, (state, count) in enumerate(zip(states, counts)):
            ax.add_patch(Rectangle((x, y), 0.94, 0.86, color=COLORS.get(state, COLORS[None])))
            if count:
                ax.text(x + 0.47, y + 0.43, str(count), ha="center", va="center", fontsize=8,
                        color="white" if state in (Label.SUPPORTIVE, Label.OPPOSED) else "#333333")
    ax.set_xlim(0, len(data.days))
    ax.set_ylim(len(rows), 0)
    ax.set_yticks([y + 0.43 for y in range(len(rows))], [label for label, _, _ in rows], fontsize=9)
    ax.set_xticks([x + 0.47 for x in range(len(data.days))], [f"{d:%d %b}" for d in data.days], fontsize=8, rotation=45, ha="right")
    ax.tick_params(length=0)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(f"Settled stances, last {len(data.days)} days (numbers: stories that day)", fontsize=10, loc="left")
    ax.legend(handles=[Patch(color=COLORS[k], label=k or "unknown") for k in (Label.SUPPORTIVE, Label.NEUTRAL, Label.OPPOSED, None)],
              loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.3 / max(len(rows), 1)), ncol=4, fontsize=8, frameon=False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()
