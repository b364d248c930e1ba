"""Synthetic news article pages with realistic boilerplate, for the full-text tests and the article benchmark.

A page holds a navigation menu, a cookie banner, the article (600-900 words: a few paragraphs in which countries
take stances, the rest background), a related-stories box and a readers' comments section. The boilerplate names
other countries with stance-like words on purpose: a reader that sees them has read past the article body.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

MENU = ["Home", "World", "Americas", "Politics", "Business", "Markets", "Climate", "Opinion", "Sport", "Video", "Podcasts"]
COOKIES = ("We use cookies and similar technologies to improve your experience, measure audiences and show personalised "
           "advertising. By clicking Accept all you consent to the use of cookies. Manage your preferences at any time.")
# What the boilerplate says: stances of countries that the article body never mentions.
RELATED = ["Russia praises the US naval deployment in the Caribbean as a lawful operation",
           "China welcomes the strikes on boats near Venezuela, state media says",
           "Japan backs the American campaign against drug boats, minister says"]
COMMENTS = ["Mexico should condemn these strikes before it is too late.",
            "Honestly Canada ought to support the deployment, it keeps the drugs away.",
            "Argentina will back Washington on this, mark my words."]
FILLER = [
    "The southern Caribbean has long been a corridor for smuggling routes that run from the coast towards the islands.",
    "Analysts at several institutes noted that fuel prices in the region rose during the week, adding to costs for fishermen.",
    "Port authorities reported normal traffic at the main terminals, with container volumes close to last year's level.",
    "Shipping insurers said premiums for vessels crossing the area had not changed since the start of the month.",
    "Residents of coastal towns described long queues at petrol stations and shortages of some imported goods.",
    "Weather forecasters expect calm seas for the rest of the week, with light winds and scattered showers in the afternoon.",
    "Local officials said schools and clinics would stay open and that ferry services were running on their usual timetable.",
    "Historians recall that the waters have seen patrols of many navies over the past century, in times of calm and crisis.",
    "Fishing cooperatives asked for clearer rules on where small boats may work at night, citing confusion among crews.",
    "Economists expect the tourism season to start as planned, although hotel bookings have been slower than usual.",
    "The coast guard of the islands published its annual report on search and rescue operations earlier this month.",
    "Several airlines said their schedules were unaffected and that passengers should check flight times before travelling.",
]
STANCES = [
    "Brazil's foreign ministry condemned the strikes as a dangerous escalation that threatens the stability of the region.",
    "Colombia's president said the attacks on the boats were illegal and warned that they could destabilise the Caribbean.",
    "Guyana welcomed the deployment as a necessary step against the traffickers who use its coast.",
    "Trinidad and Tobago's prime minister praised the operation and said her government fully supports it.",
]
BODY_COUNTRIES = {"BRA": "opposed", "COL": "opposed", "GUY": "supportive", "TTO": "supportive"}
BOILERPLATE_COUNTRIES = {"RUS", "CHN", "JPN", "MEX", "CAN", "ARG"}
TITLE = "US strike on a suspected drug boat deepens a regional split"
SUMMARY = "A US warship struck a speedboat in the southern Caribbean on Tuesday."


@dataclass(frozen=True)
class ArticlePage:
    """One synthetic page: its HTML, the words of its article body, and what the body says."""

    html: str
    body_words: int
    title: str


def article_page(seed: int = 0, *, words: tuple[int, int] = (600, 900), stances: list[str] | None = None,
                 title: str = TITLE, lang: str = "en") -> ArticlePage:
    """A news page whose body carries `stances` (default: four countries on the Caribbean strikes) among background."""
    rng = random.Random(seed)
    target = rng.randint(*words)
    wanted = list(STANCES if stances is None else stances)
    lead = ("A US Navy destroyer struck a speedboat said to carry drugs off the coast of Venezuela on Tuesday, the "
            "Pentagon said, the latest in a series of strikes that has divided governments across the region.")
    paragraphs = [lead]
    count = len(lead.split())
    filler = FILLER[:]
    rng.shuffle(filler)
    while count < target:
        if wanted and (len(paragraphs) % 3 == 1 or count > target * 0.6):
            text = wanted.pop(0) + " " + rng.choice(FILLER)
        else:
            text = " ".join(rng.sample(filler, 3))
        paragraphs.append(text)
        count += len(text.split())
    paragraphs += wanted  # any stance left over still makes it into the body
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    menu = "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in MENU)
    related = "".join(f'<li><a href="/related/{n}">{html.escape(t)}</a></li>' for n, t in enumerate(RELATED))
    comments = "".join(f'<li class="comment"><span class="author">reader{n}</span><p>{html.escape(c)}</p></li>'
                       for n, c in enumerate(COMMENTS))
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)} | The Harbor Times</title>
<meta property="og:title" content="{html.escape(title)}"><script>window.ads = [];</script><style>.nav{{display:flex}}</style></head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>{COOKIES}</p><button>Accept all</button></div>
<header><nav class="nav"><ul>{menu}</ul></nav><form class="search"><input name="q" placeholder="Search"></form></header>
<main>
<article>
<h1>{html.escape(title)}</h1>
<p class="byline">By Ana Reyes, Port of Spain · <time datetime="2026-11-18">18 November 2026</time></p>
<div class="article-body">
{body}</div>
</article>
<aside class="related-stories"><h2>Related stories</h2><ul>{related}</ul></aside>
<section id="comments" class="comments"><h2>Comments ({len(COMMENTS)})</h2><ol>{comments}</ol></section>
</main>
<footer><p>© 2026 The Harbor Times. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy</a></li></ul></footer>
</body></html>"""
    return ArticlePage(page, count, title)
