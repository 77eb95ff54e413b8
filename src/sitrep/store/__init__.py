"""Storage of the record: SQLite by default, PostgreSQL for a shared server (stage ``store``)."""

from sitrep.store.repository import Store, Stored, canonical_url, database_url, open_store

__all__ = ["Store", "Stored", "canonical_url", "database_url", "open_store"]
