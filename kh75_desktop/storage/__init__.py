"""Local storage: one SQLite file per profile, SQLModel tables, Alembic migrations."""
