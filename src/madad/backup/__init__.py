"""Encrypted, verified backups; restore (also from SQLite into PostgreSQL and back); drills."""
