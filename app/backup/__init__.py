"""Consistent backups of an SQLite database, and restoring them (PostgreSQL: pg_dump)."""
