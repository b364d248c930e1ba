"""The SQLite file: schema, migrations and typed reads and writes. The only code that writes SQL."""

from bot.store.database import Store
from bot.store.records import FeedRecord, MatchRecord, StoredItem
from bot.store.schema import MIGRATIONS, iso, parse_iso
from bot.store.tables import StoreError

__all__ = ["MIGRATIONS", "FeedRecord", "MatchRecord", "Store", "StoreError", "StoredItem", "iso", "parse_iso"]
