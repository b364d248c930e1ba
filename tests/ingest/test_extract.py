"""Main-text extraction: the article body stays, the page's boilerplate goes."""

from __future__ import annotations

import pytest

from bot.ingest.extract import extract_text, judge_extraction
from quality.articles import BODY_COUNTRIES, COMMENTS, COOKIES, MENU, RELATED, STANCES, article_page


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_extraction_keeps_the_body_and_drops_boilerplate(seed):
    """Menus, the cookie banner, the related-stories box and readers' comments are not part of the text."""
    page = article_page(seed)
    text = extract_text(page.html, url="https://harbor.example/news/1")
    assert all(s in text for s in STANCES)
    for junk in [COOKIES[:40], *RELATED, *COMMENTS, "Related stories", "All rights reserved"]:
        assert junk not in text
    assert not any(line.strip() in MENU for line in text.split("\n"))
    assert 0.8 * page.body_words <= len(text.split()) <= 1.05 * page.body_words
    assert len(text.split("\n")) > 5  # one paragraph a line
    assert len(BODY_COUNTRIES) == 4


@pytest.mark.parametrize("page", [b"", b"\x00\xff\xfe", "<html><body></body></html>", "<<<>>>" * 1000,
                                  "<div>" * 5000 + "deep"])
def test_hostile_or_empty_pages_give_no_text(page):
    """Extraction never raises; a page without an article gives ''."""
    assert extract_text(page) == ""


def test_a_page_of_navigation_is_not_an_article():
    """What little a menu-only page yields is shorter than a summary: the summary is kept."""
    text = extract_text("<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav></body></html>")
    assert judge_extraction(text, "A US warship struck a speedboat in the southern Caribbean.") != "ok"


@pytest.mark.parametrize("text, summary, status", [
    ("", "A summary.", "empty"),
    ("  \n ", "A summary.", "empty"),
    ("Subscribe to read.", "A US warship struck a speedboat in the southern Caribbean.", "paywall"),
    ("A long article. " * 20, "A US warship struck a speedboat.", "ok"),
])
def test_judge_extraction(text, summary, status):
    """A text shorter than the feed's summary (a paywall teaser) keeps the summary."""
    assert judge_extraction(text, summary) == status
