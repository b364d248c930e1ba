"""Full articles (fetched once, or why not), robots.txt per origin, and the languages items were written in."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from bot.ingest.robots import RobotsEntry
from bot.read.article import Article
from bot.store.schema import iso, parse_iso
from bot.store.tables import Tables


class ArticleTables(Tables):
    """The `articles` and `robots` tables, and the `lang` column of `items`."""

    def save_article(self, article: Article) -> None:
        """Record an item's article (or why it was not read): the only fetch it gets, across restarts."""
        with self.transaction():
            self.db["articles"].upsert({
                "item_id": article.item_id, "feed": article.feed, "url": article.url, "final_url": article.final_url,
                "status": article.status, "error": article.error, "chars": article.chars, "lang": article.lang,
                "text": article.text or None, "fetched_at": iso(article.fetched_at),
            }, pk="item_id")

    def articles(self, item_ids: Iterable[str]) -> dict[str, Article]:
        """The stored articles of those items that have one."""
        ids = list(item_ids)
        out: dict[str, Article] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self.db.execute(f"SELECT * FROM articles WHERE item_id IN ({','.join('?' * len(chunk))})", chunk)
            names = [c[0] for c in rows.description]
            for values in rows.fetchall():
                r = dict(zip(names, values, strict=True))
                out[r["item_id"]] = Article(r["item_id"], r["feed"], r["status"], r["text"] or "", r["url"] or "",
                                            r["final_url"] or "", r["error"], r["chars"] or 0, r["lang"], parse_iso(r["fetched_at"]))
        return out

    def article_counts(self) -> dict[str, dict[str, int]]:
        """Per feed, how many of its items' articles ended in each status ("ok", "paywall", "robots" ...)."""
        out: dict[str, dict[str, int]] = {}
        for feed, status, count in self.db.execute("SELECT feed, status, COUNT(*) FROM articles GROUP BY feed, status"):
            out.setdefault(feed, {})[status] = count
        return out

    def unread_languages(self, read: Collection[str], *, since: datetime | None = None,
                         until: datetime | None = None) -> dict[str, dict[str, int]]:
        """Per language not in `read`, how many items of each feed (published in [since, until)) were not read."""
        marks = ",".join("?" * len(read))
        rows = self.db.execute(
            f"SELECT lang, feed, COUNT(*) FROM items WHERE lang IS NOT NULL AND lang NOT IN ({marks})"
            " AND published >= ? AND published < ? GROUP BY lang, feed ORDER BY lang, COUNT(*) DESC, feed",
            [*sorted(read), iso(since) or "", iso(until) or "9999"]).fetchall()
        out: dict[str, dict[str, int]] = {}
        for lang, feed, count in rows:
            out.setdefault(lang, {})[feed] = count
        return out

    def robots(self, origins: Iterable[str]) -> list[RobotsEntry]:
        """Stored robots.txt answers of those origins that have one."""
        out = []
        for origin in dict.fromkeys(origins):
            row = self.db.execute("SELECT status, body, fetched_at FROM robots WHERE origin = ?", [origin]).fetchone()
            if row:
                out.append(RobotsEntry(origin, row[0], row[1] or "", parse_iso(row[2])))
        return out

    def save_robots(self, entries: Iterable[RobotsEntry]) -> None:
        with self.transaction():
            self.db["robots"].upsert_all(({"origin": e.origin, "status": e.status, "body": e.body, "fetched_at": iso(e.fetched_at)}
                                          for e in entries), pk="origin")
