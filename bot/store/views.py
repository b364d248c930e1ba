"""Views over the tables, and the triggers that keep items' full-text index current: made again after every migration.

A migration that rebuilds a table (sqlite-utils' transform) drops the triggers on it and may leave a view reading
columns that moved, so these are not migration steps: `sync_derived` runs after the migrations each time a database
is opened, and changes only what differs from the definitions here (usually nothing, and nothing is written).
"""

from __future__ import annotations

import sqlite_utils

from bot.deliver.messages import STANCE_MARK, UNSETTLED_MARK
from bot.store.schema import SEARCHED

_MARK = " ".join(f"WHEN '{label}' THEN '{mark}'" for label, mark in STANCE_MARK.items())
_LATEST = ("SELECT {what} FROM stances s JOIN items i ON i.id = s.item_id WHERE s.topic_id = p.topic_id AND s.country = p.country"
           " AND s.label = p.state ORDER BY s.published DESC, s.item_id LIMIT 1")

VIEWS: dict[str, str] = {
    # Who stands where: one row per (topic, country) the bot tracks, with the latest quote that agrees.
    "stances_now": f"""SELECT p.topic_id, p.country,
  CASE p.state {_MARK} ELSE '{UNSETTLED_MARK}' END AS mark,
  COALESCE(p.state, 'no settled stance') AS stance,
  p.since AS settled_since,
  (SELECT c.before FROM position_changes c WHERE c.topic_id = p.topic_id AND c.country = p.country
    ORDER BY c.at DESC LIMIT 1) AS was,
  (SELECT COUNT(DISTINCT s.cluster_id) FROM stances s WHERE s.topic_id = p.topic_id AND s.country = p.country) AS stories,
  (SELECT COUNT(DISTINCT s.feed) FROM stances s WHERE s.topic_id = p.topic_id AND s.country = p.country) AS outlets,
  ({_LATEST.format(what="s.evidence")}) AS latest_quote,
  ({_LATEST.format(what="s.feed || ', ' || substr(s.published, 1, 10)")}) AS quoted_in,
  ({_LATEST.format(what="i.link")}) AS quote_link
FROM positions p""",
    # Every item with every topic it was compared with: the score, and the reason it matched or which gate it failed.
    "item_topics": """SELECT i.id AS item_id, i.published, i.feed, i.title, m.topic_id,
  CASE WHEN m.matched = 1 THEN 'matched' WHEN m.matched = 0 THEN 'not matched' END AS verdict,
  m.score,
  COALESCE(m.reason, CASE WHEN i.error IS NOT NULL THEN 'could not be read: ' || i.error
                          WHEN i.processed_at IS NULL THEN 'not read yet' ELSE 'no topic to compare with' END) AS reason,
  (SELECT group_concat(s.country || ' ' || s.label, ', ') FROM stances s
    WHERE s.item_id = i.id AND s.topic_id = m.topic_id) AS stances,
  i.flags, i.link, i.cluster_id AS story, i.processed_at
FROM items i LEFT JOIN matches m ON m.item_id = i.id""",
    # Feeds, the failing ones first: what went wrong, since when, and what each brought in.
    "feed_status": """SELECT f.name,
  CASE WHEN f.last_polled_at IS NULL THEN 'not polled yet' WHEN f.failures > 0 THEN 'failing'
       WHEN f.last_problem IS NOT NULL THEN 'works, with a problem' ELSE 'ok' END AS status,
  f.failing_since, f.failures AS failures_in_a_row, f.last_error, f.last_problem,
  f.last_polled_at, f.last_success_at, f.next_poll_at,
  (SELECT COUNT(*) FROM items i WHERE i.feed = f.name) AS items_stored,
  (SELECT MAX(i.published) FROM items i WHERE i.feed = f.name) AS newest_item,
  (SELECT COUNT(DISTINCT m.item_id) FROM items i JOIN matches m ON m.item_id = i.id
    WHERE i.feed = f.name AND m.matched = 1) AS items_matched,
  f.url
FROM feeds f""",
    # Slack messages that failed for good, or wait for another try after an error, with the command that sends them again.
    "undelivered_messages": """SELECT o.id, o.status, o.kind, o.topic_id, o.channel, o.attempts, o.last_error,
  o.created_at, o.updated_at, o.next_attempt_at, o.text,
  'stancebot outbox --retry ''' || replace(o.id, '''', '''"''"''') || '''' AS retry_with
FROM outbox o
WHERE o.status = 'failed' OR (o.status IN ('pending', 'sending') AND o.last_error IS NOT NULL)""",
}

_ROW = ", ".join(SEARCHED)
_NEW = ", ".join(f"new.{c}" for c in SEARCHED)
_OLD = ", ".join(f"old.{c}" for c in SEARCHED)
# sqlite-utils' trigger names (its rebuild-fts and disable-fts know them), but an update re-indexes an item only when
# its text changes, not each time it is marked processed or moved to another story.
SEARCH_TRIGGERS: dict[str, str] = {
    "items_ai": f"AFTER INSERT ON items BEGIN INSERT INTO items_fts (rowid, {_ROW}) VALUES (new.rowid, {_NEW}); END",
    "items_ad": f"AFTER DELETE ON items BEGIN INSERT INTO items_fts (items_fts, rowid, {_ROW}) "
                f"VALUES ('delete', old.rowid, {_OLD}); END",
    "items_au": f"AFTER UPDATE OF {_ROW} ON items BEGIN INSERT INTO items_fts (items_fts, rowid, {_ROW}) "
                f"VALUES ('delete', old.rowid, {_OLD}); INSERT INTO items_fts (rowid, {_ROW}) VALUES (new.rowid, {_NEW}); END",
}


def stale_derived(db: sqlite_utils.Database) -> list[str]:
    """The views and triggers that are missing or differ from their definitions here."""
    stored = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('view', 'trigger')").fetchall())
    wanted = {name: f"CREATE VIEW {name} AS {sql}" for name, sql in VIEWS.items()}
    if "items_fts" in db.table_names():
        wanted |= {name: f"CREATE TRIGGER {name} {sql}" for name, sql in SEARCH_TRIGGERS.items()}
    return [name for name, sql in wanted.items() if stored.get(name) != sql]


def sync_derived(db: sqlite_utils.Database) -> list[str]:
    """(Re)make the stale views and search triggers; return their names. Call inside a transaction."""
    stale = stale_derived(db)
    for name in stale:
        if name in VIEWS:
            db.execute(f"DROP VIEW IF EXISTS {name}")
            db.execute(f"CREATE VIEW {name} AS {VIEWS[name]}")
        else:
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
            db.execute(f"CREATE TRIGGER {name} {SEARCH_TRIGGERS[name]}")
    if any(name in SEARCH_TRIGGERS for name in stale):
        # Items stored while a trigger was missing (a table rebuilt by a later migration) are indexed too.
        db.execute("INSERT INTO items_fts (items_fts) VALUES ('rebuild')")
    return stale
