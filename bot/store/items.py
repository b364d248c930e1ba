"""Items, their story clusters and their embeddings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import numpy as np

from bot.ingest.items import Item
from bot.store.records import StoredItem
from bot.store.schema import iso, parse_iso
from bot.store.tables import Tables

SYNDICATION_WINDOW = timedelta(days=3)


class ItemTables(Tables):
    """The `items` and `embeddings` tables."""


    def add_items(self, items: Iterable[Item], *, now: datetime) -> list[Item]:
        """Store items not seen before; return only the new ones (in input order)."""
        new: list[Item] = []
        with self.transaction():
            for item in items:
                if self._known(item):
                    continue
                cluster = self._syndicated_cluster(item) or item.id
                # An item's feed has a row (the foreign key); the poll that brought the item fills it in next.
                self.db.execute("INSERT OR IGNORE INTO feeds (name, url) VALUES (?, '')", [item.feed])
                self.db["items"].insert({
                    "id": item.id, "feed": item.feed, "guid": item.guid, "link": item.link,
                    "link_key": item.link_key, "title": item.title, "title_key": item.title_key,
                    "summary": item.summary, "text": item.text, "published": iso(item.published),
                    "fetched_at": iso(now), "flags": ",".join(item.flags), "cluster_id": cluster,
                    "processed_at": None,
                })
                new.append(item)
        return new

    def _known(self, item: Item) -> bool:
        if self.db.execute("SELECT 1 FROM items WHERE id = ?", [item.id]).fetchone():
            return True
        # A feed that re-publishes an item under a new GUID keeps its link.
        return bool(item.link_key and self.db.execute(
            "SELECT 1 FROM items WHERE feed = ? AND link_key = ?", [item.feed, item.link_key]).fetchone())

    def _syndicated_cluster(self, item: Item) -> str | None:
        if item.link_key:
            row = self.db.execute("SELECT cluster_id FROM items WHERE link_key = ? LIMIT 1", [item.link_key]).fetchone()
            if row:
                return row[0]
        if len(item.title_key) >= 20:
            lo, hi = iso(item.published - SYNDICATION_WINDOW), iso(item.published + SYNDICATION_WINDOW)
            row = self.db.execute(
                "SELECT cluster_id FROM items WHERE title_key = ? AND published BETWEEN ? AND ? LIMIT 1",
                [item.title_key, lo, hi]).fetchone()
            if row:
                return row[0]
        return None

    def set_cluster(self, item_id: str, cluster_id: str) -> None:
        with self.transaction():
            self.db.execute("UPDATE items SET cluster_id = ? WHERE id = ?", [cluster_id, item_id])

    def pending_items(self, limit: int = 10_000) -> list[Item]:
        """Stored items not yet processed, oldest first."""
        rows = self.db.execute(
            "SELECT * FROM items WHERE processed_at IS NULL ORDER BY published, id LIMIT ?", [limit])
        return [self._item(dict(zip([c[0] for c in rows.description], r, strict=True))) for r in rows.fetchall()]

    def mark_failed(self, item_id: str, *, error: str, now: datetime) -> None:
        """Record that an item could not be processed, and why, so it is not tried on every run."""
        with self.transaction():
            self.db.execute("UPDATE items SET processed_at = ?, error = ? WHERE id = ?", [iso(now), error, item_id])

    def has_pending_items(self) -> bool:
        return self.db.execute("SELECT 1 FROM items WHERE processed_at IS NULL LIMIT 1").fetchone() is not None

    def item(self, item_id: str) -> Item:
        return self._item(self.db["items"].get(item_id))

    def items(self, item_ids: Iterable[str]) -> dict[str, Item]:
        """The stored items among `item_ids`, by id."""
        ids = list(dict.fromkeys(item_ids))
        out: dict[str, Item] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in self.db["items"].rows_where(f"id IN ({','.join('?' * len(chunk))})", chunk):
                out[row["id"]] = self._item(row)
        return out

    def item_ids(self, *, since: datetime) -> list[str]:
        """Ids of items published at or after `since`, in publication order."""
        rows = self.db.execute("SELECT id FROM items WHERE published >= ? ORDER BY published, id", [iso(since)])
        return [r[0] for r in rows.fetchall()]

    def cluster_of(self, item_id: str) -> str:
        """The story cluster an item belongs to."""
        row = self.db.execute("SELECT cluster_id FROM items WHERE id = ?", [item_id]).fetchone()
        if row is None:
            raise KeyError(item_id)
        return row[0]

    def cluster_origin(self, cluster_id: str) -> str | None:
        """The outlet that first ran a story."""
        row = self.db.execute("SELECT feed FROM items WHERE cluster_id = ? ORDER BY published, id LIMIT 1", [cluster_id]).fetchone()
        return row[0] if row else None

    def cluster_outlets(self, cluster_id: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT feed FROM items WHERE cluster_id = ? GROUP BY feed ORDER BY MIN(published)", [cluster_id]).fetchall()]

    @staticmethod
    def _item(row: dict) -> Item:
        return Item(
            id=row["id"], feed=row["feed"], guid=row["guid"] or "", link=row["link"] or "",
            title=row["title"] or "", summary=row["summary"] or "", text=row["text"] or "",
            published=parse_iso(row["published"]), link_key=row["link_key"] or "",
            title_key=row["title_key"] or "", flags=tuple(f for f in (row["flags"] or "").split(",") if f),
        )

    def recent_items(self, *, since: datetime) -> list[StoredItem]:
        """Items published at or after `since`, with their clusters (for near-duplicate linking)."""
        rows = self.db.execute("SELECT id, feed, cluster_id, published, processed_at, lang FROM items WHERE published >= ?",
                               [iso(since)]).fetchall()
        return [StoredItem(i, feed, cluster, parse_iso(published), processed is not None, lang)
                for i, feed, cluster, published, processed, lang in rows]

    def embeddings(self, item_ids: Iterable[str], model: str) -> dict[str, np.ndarray]:
        """Stored vectors of `model` for those items that have one."""
        ids = list(item_ids)
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for item_id, dim, blob in self.db.execute(
                    f"SELECT item_id, dim, vector FROM embeddings WHERE model = ? AND item_id IN ({marks})", [model, *chunk]):
                out[item_id] = np.frombuffer(blob, dtype=np.float32, count=dim)
        return out

    def save_embeddings(self, vectors: dict[str, np.ndarray], model: str) -> None:
        with self.transaction():
            self.db["embeddings"].upsert_all(({
                "item_id": k, "model": model, "dim": int(v.shape[0]),
                "vector": np.asarray(v, dtype=np.float32).tobytes(),
            } for k, v in vectors.items()), pk="item_id")
