"""An article's main text from its HTML page, with trafilatura (pure): no menus, related-story boxes, cookie banners or comments."""

from __future__ import annotations

import logging
import re

import trafilatura

from bot.ingest.items import clean_text

MAX_ARTICLE_CHARS = 40_000  # a long read's worth; the reader only ever parses a few passages of it

# trafilatura logs every page it finds nothing in; the article's status records that already.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def extract_text(page: bytes | str, *, url: str | None = None) -> str:
    """The main text of a page, one paragraph a line ("" when none is found); never raises on bad input."""
    try:
        text = trafilatura.extract(page, url=url, include_comments=False, include_tables=False, include_images=False,
                                   include_links=False, include_formatting=False, favor_precision=True, deduplicate=False)
    except (ValueError, TypeError, LookupError, AttributeError, RecursionError) as exc:  # hostile markup
        logging.getLogger(__name__).debug("extraction failed for %s: %s", url, exc)
        return ""
    if not text:
        return ""
    lines = [clean_text(line, MAX_ARTICLE_CHARS) for line in text.split("\n")]
    out = "\n".join(line for line in lines if line)
    return out if len(out) <= MAX_ARTICLE_CHARS else out[:MAX_ARTICLE_CHARS].rsplit("\n", 1)[0]


def judge_extraction(text: str, summary: str) -> str:
    """"ok" for a text worth reading, "empty" for none, "paywall" for one shorter than the feed's own summary
    (a teaser behind a paywall or a consent wall: the summary says more)."""
    if not re.search(r"\w", text):
        return "empty"
    if len(text) < len(summary):
        return "paywall"
    return "ok"
