"""search: each name-prefix row carries the patient's words; each prefix its count

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

Issue 16 (the search's growth): a search of several words walked every patient of its driving
word (« dupre an »: the 1,314 Dupré of 100,000 patients) and checked each other word with a
look-up in the index, about 0.65 µs a walked row; and it chose the driver by counting each
word's matches up to 1,000 (« pierre » and « saint » both reach it: the longer drove, 2,894
rows instead of 1,267).

- ``patient_name_prefix.words``: the patient's words, each after a space (`` dupre marie``).
  The other words are checked on the walked row itself (``words LIKE '% ma%'``): the walk
  reads consecutive rows of the key and nothing else. The table is rebuilt in key order
  (filled from ``patient_token`` as in 0008), which also packs the pages a walk reads.
- ``patient_name_prefix_count``: the number of patients with each prefix, read by one key
  look-up per word to choose the driver. The identity service keeps it with the prefixes.

The same statements run on SQLite and on PostgreSQL (``group_concat`` / ``string_agg``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Name words are cut to 100 characters (identity_checks.patient_tokens); a patient's words
# sorted, each after a space, as identity_checks.name_words writes them.
_FILL = """
WITH RECURSIVE lengths(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM lengths WHERE n < 100),
words AS (
    SELECT patient_id, {words} AS words
    FROM (SELECT patient_id, token FROM patient_token ORDER BY patient_id, token) AS ordered
    GROUP BY patient_id
)
INSERT INTO patient_name_prefix (prefix, sort_key, patient_id, words)
SELECT DISTINCT substr(t.token, 1, lengths.n), p.sort_key, t.patient_id, w.words
FROM patient_token t
JOIN patient p ON p.id = t.patient_id
JOIN words w ON w.patient_id = t.patient_id
JOIN lengths ON lengths.n <= length(t.token)
ORDER BY 1, 2, 3
"""
_WORDS = {
    "sqlite": "' ' || group_concat(token, ' ')",
    "postgresql": "' ' || string_agg(token, ' ' ORDER BY token)",
}
_COUNT = """
INSERT INTO patient_name_prefix_count (prefix, patients)
SELECT prefix, count(*) FROM patient_name_prefix GROUP BY prefix
"""


def _create_prefix_table(*extra: sa.Column) -> None:
    op.create_table(
        "patient_name_prefix",
        sa.Column("prefix", sa.String(length=100), nullable=False),
        sa.Column("sort_key", sa.String(length=400), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        *extra,
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_patient_name_prefix_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "prefix", "sort_key", "patient_id", name=op.f("pk_patient_name_prefix")
        ),
        sqlite_with_rowid=False,
    )


def _drop_prefix_table() -> None:
    op.drop_index("ix_patient_name_prefix_patient", table_name="patient_name_prefix")
    op.drop_table("patient_name_prefix")


def _index_prefix_table() -> None:
    op.create_index(
        "ix_patient_name_prefix_patient", "patient_name_prefix", ["patient_id"], unique=False
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _drop_prefix_table()
    _create_prefix_table(sa.Column("words", sa.Text(), nullable=False))
    op.execute(sa.text(_FILL.format(words=_WORDS.get(dialect, _WORDS["postgresql"]))))
    _index_prefix_table()
    op.create_table(
        "patient_name_prefix_count",
        sa.Column("prefix", sa.String(length=100), nullable=False),
        sa.Column("patients", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", name=op.f("pk_patient_name_prefix_count")),
        sqlite_with_rowid=False,
    )
    op.execute(sa.text(_COUNT))


def downgrade() -> None:
    op.drop_table("patient_name_prefix_count")
    op.execute(sa.text("ALTER TABLE patient_name_prefix DROP COLUMN words"))
