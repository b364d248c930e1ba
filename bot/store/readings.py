"""What reading and tracking produced: matches, stances, settled positions and their changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from bot.deliver.outbox import OutboxRow
from bot.digest.render import Story
from bot.labels import Label
from bot.read.match import Match
from bot.store.records import MatchRecord
from bot.store.schema import iso, parse_iso
from bot.store.tables import Tables, conditions
from bot.track.corrections import Verdicts, judge_all
from bot.track.evidence import Evidence, StanceRecord, make_evidence
from bot.track.shifts import Position, PositionChange, Shift


class ReadingTables(Tables):
    """The `matches`, `stances`, `positions` and `position_changes` tables."""

    _enqueue: Callable[[OutboxRow, datetime], None]  # OutboxTables', in the same transaction
    verdicts: Callable[..., dict[str, Verdicts]]  # CorrectionTables'

    def record_processed(self, item_ids: Iterable[str], matches: Iterable[tuple[str, Match]], messages: Iterable[OutboxRow], *,
                         now: datetime, stances: Iterable[StanceRecord] = (), positions: Iterable[Position] = (),
                         changes: Iterable[Shift] = (), languages: Mapping[str, str] | None = None) -> None:
        """Atomically store match results, stances and positions, queue their messages and mark items processed
        (with the language each was detected in, when known)."""
        languages = languages or {}
        with self.transaction():
            self.db["matches"].upsert_all(({
                "item_id": item_id, "topic_id": m.topic_id, "score": round(m.score, 4), "matched": int(m.matched),
                "reason": m.reason, "via": m.via, "created_at": iso(now),
            } for item_id, m in matches), pk=("item_id", "topic_id"))
            self.db["stances"].upsert_all(({
                "item_id": s.item_id, "topic_id": s.topic_id, "country": s.country, "label": str(s.label), "score": s.score,
                "evidence": s.quote, "feed": s.feed, "cluster_id": s.cluster_id, "published": iso(s.published),
                "created_at": iso(now), "from_article": int(s.from_article),
            } for s in stances), pk=("item_id", "topic_id", "country"))
            self.db["positions"].upsert_all(({
                "topic_id": p.topic_id, "country": p.country, "state": p.state, "since": iso(p.since),
                "changed_at": iso(p.changed_at), "alert_id": p.alert_id, "updated_at": iso(now),
            } for p in positions), pk=("topic_id", "country"))
            self.db["position_changes"].upsert_all(({
                "topic_id": c.topic_id, "country": c.country, "before": c.before, "after": c.after, "at": iso(c.at), "alert_id": c.id,
            } for c in changes), pk=("topic_id", "country", "at"))
            for message in messages:
                self._enqueue(message, now)
            for item_id in item_ids:
                self.db.execute("UPDATE items SET processed_at = ?, lang = ? WHERE id = ?", [iso(now), languages.get(item_id), item_id])

    def matches(self, *, topic_id: str | None = None, matched_only: bool = True) -> list[MatchRecord]:
        where, args = conditions(("topic_id = ?", topic_id), ("matched = ?", 1 if matched_only else None))
        rows = self.db["matches"].rows_where(where, args, order_by="created_at, item_id")
        return [MatchRecord(r["item_id"], r["topic_id"], r["score"], bool(r["matched"]), r["reason"], parse_iso(r["created_at"]))
                for r in rows]

    def matched_on_their_own(self, *, since: datetime) -> list[tuple[str, str]]:
        """(item id, topic id) of items published since `since` that matched a topic on their own (not inherited)."""
        rows = self.db.execute(
            "SELECT m.item_id, m.topic_id FROM matches m JOIN items i ON i.id = m.item_id"
            " WHERE m.matched = 1 AND m.via IS NULL AND i.published >= ? ORDER BY i.published, m.item_id", [iso(since)]).fetchall()
        return [(item_id, topic_id) for item_id, topic_id in rows]

    def stances(self, *, topic_id: str | None = None, since: datetime | None = None,
                until: datetime | None = None, judged: bool = True) -> list[StanceRecord]:
        """Stored stances, oldest first, optionally for one topic and a [since, until) window; analysts' corrections
        applied unless not `judged` (the bot's own reading)."""
        where, args = conditions(("topic_id = ?", topic_id), ("published >= ?", iso(since)), ("published < ?", iso(until)))
        rows = self.db["stances"].rows_where(where, args, order_by="published, item_id, country")
        read = [StanceRecord(r["item_id"], r["topic_id"], r["country"], Label(r["label"]), r["score"], r["evidence"] or "",
                             r["feed"], r["cluster_id"], parse_iso(r["published"]), bool(r["from_article"])) for r in rows]
        return judge_all(read, self.verdicts([topic_id] if topic_id else None)) if judged else read

    def position(self, topic_id: str, country: str) -> Position:
        """The stored settled stance (without its evidence)."""
        row = self.db.execute("SELECT state, since, changed_at, alert_id FROM positions WHERE topic_id = ? AND country = ?",
                              [topic_id, country]).fetchone()
        if row is None:
            return Position(topic_id, country)
        return Position(topic_id, country, row[0], parse_iso(row[1]), parse_iso(row[2]), row[3])

    def positions(self, topic_id: str | None = None) -> list[Position]:
        rows = self.db["positions"].rows_where("topic_id = ?" if topic_id else None, [topic_id] if topic_id else [],
                                               order_by="topic_id, country")
        return [Position(r["topic_id"], r["country"], r["state"], parse_iso(r["since"]), parse_iso(r["changed_at"]), r["alert_id"])
                for r in rows]

    def evidence(self, topic_id: str, country: str, *, since: datetime, exclude_items: Iterable[str] = (),
                 without_request: str | None = None) -> list[Evidence]:
        """Stance evidence for one (topic, country) as analysts judged it: one per story cluster, credited to the outlet
        that first ran it (`without_request`: as if that correction had not been made)."""
        excluded = set(exclude_items)
        verdicts = self.verdicts([topic_id], without_request=without_request).get(topic_id, Verdicts())
        rows = self.db.execute(
            "SELECT s.item_id, s.cluster_id, s.label, s.score, s.evidence, s.published, i.link, i.title, s.from_article,"
            " (SELECT feed FROM items f WHERE f.cluster_id = s.cluster_id ORDER BY f.published, f.id LIMIT 1) AS origin"
            " FROM stances s JOIN items i ON i.id = s.item_id"
            " WHERE s.topic_id = ? AND s.country = ? AND s.published >= ? ORDER BY s.published, s.item_id",
            [topic_id, country, iso(since)]).fetchall()
        out, seen = [], set()
        for item_id, cluster, label, score, quote, published, link, title, from_article, origin in rows:
            if item_id in excluded or cluster in seen:
                continue
            seen.add(cluster)
            judged = verdicts.judge(StanceRecord(item_id, topic_id, country, Label(label), score, quote or "", origin, cluster,
                                                 parse_iso(published)))
            if judged is None:
                continue
            label, score = judged.label, judged.score
            out.append(make_evidence(item_id=item_id, cluster_id=cluster, country=country, label=label, score=score,
                                     outlet=origin, published=parse_iso(published), quote=quote, link=link, title=title,
                                     from_article=bool(from_article)))
        return out

    def position_changes(self, *, topic_id: str | None = None, until: datetime | None = None,
                         since: datetime | None = None) -> list[PositionChange]:
        """Recorded moves of settled stances in [since, until), oldest first."""
        where, args = conditions(("topic_id = ?", topic_id), ("at < ?", iso(until)), ("at >= ?", iso(since)))
        rows = self.db["position_changes"].rows_where(where, args, order_by="at")
        return [PositionChange(r["topic_id"], r["country"], r["before"], r["after"], parse_iso(r["at"]), r["alert_id"])
                for r in rows]

    def topic_stories(self, topic_id: str, *, start: datetime, end: datetime) -> list[Story]:
        """The stories matched to a topic among items published in [start, end), each with its first copy's headline."""
        rows = self.db.execute(
            "SELECT i.cluster_id, MAX(m.score), COUNT(*) FROM matches m JOIN items i ON i.id = m.item_id"
            " WHERE m.topic_id = ? AND m.matched = 1 AND i.published >= ? AND i.published < ? GROUP BY i.cluster_id",
            [topic_id, iso(start), iso(end)]).fetchall()
        off_topic = self.verdicts([topic_id]).get(topic_id, Verdicts()).off_topic
        out = []
        for cluster, score, count in rows:
            if cluster in off_topic:
                continue
            title, link = self.db.execute("SELECT title, link FROM items WHERE cluster_id = ? ORDER BY published LIMIT 1",
                                          [cluster]).fetchone()
            outlets = tuple(r[0] for r in self.db.execute(
                "SELECT feed FROM items WHERE cluster_id = ? GROUP BY feed ORDER BY MIN(published)", [cluster]).fetchall())
            read = self.db.execute("SELECT 1 FROM stances s JOIN items i ON i.id = s.item_id WHERE i.cluster_id = ? AND s.topic_id = ?"
                                   " AND s.from_article = 1 LIMIT 1", [cluster, topic_id]).fetchone()
            out.append(Story(title or "(untitled)", link or "", outlets, score, count, from_article=read is not None))
        return out

    def topic_counts(self, topic_id: str) -> tuple[int, int]:
        """(matched items, distinct stories) for a topic, over all time; stories analysts took off the topic left out."""
        rows = self.db.execute("SELECT i.cluster_id, COUNT(*) FROM matches m JOIN items i ON i.id = m.item_id"
                               " WHERE m.topic_id = ? AND m.matched = 1 GROUP BY i.cluster_id", [topic_id]).fetchall()
        off_topic = self.verdicts([topic_id]).get(topic_id, Verdicts()).off_topic
        kept = [count for cluster, count in rows if cluster not in off_topic]
        return sum(kept), len(kept)
