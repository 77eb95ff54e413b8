"""Alembic migrations of the record's schema (run by ``sitrep db upgrade``)."""
