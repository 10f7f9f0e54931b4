"""The schema the migrations build is the one the models declare (tables, columns, indexes,
constraints): Alembic's comparison of a freshly migrated database with the metadata finds no
difference. A migration forgotten or written differently from its model fails here (0008 had
created ``ix_appointment_status_end`` without the ``starts_at`` its model declares)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import app.models  # noqa: F401  (every table registered on the metadata)
from app.models.base import Base
from app.models.db import Database


def test_the_migrated_schema_is_the_models_schema(db_url):
    db = Database.open(db_url)
    try:
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            differences = compare_metadata(context, Base.metadata)
    finally:
        db.dispose()
    assert differences == []
