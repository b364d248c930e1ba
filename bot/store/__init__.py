"""The SQLite file: schema, migrations and typed reads and writes. The only code that writes SQL."""

from bot.store.database import Store
from bot.store.records import FeedRecord, MatchRecord, StoredItem
from bot.store.schema import MIGRATIONS, iso, parse_iso

__all__ = ["MIGRATIONS", "FeedRecord", "MatchRecord", "Store", "StoredItem", "iso", "parse_iso"]
