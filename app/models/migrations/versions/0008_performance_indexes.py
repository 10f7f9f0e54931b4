"""performance: name prefixes in sort order, the waiting list's candidates

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

Issue 16 (close to the floor):
- ``patient_name_prefix``: every prefix of every name word of a patient, beside the patient's
  ``sort_key``, keyed ``(prefix, sort_key, patient_id)``. The search as you type reads that key
  in order for the typed word (``prefix = ?``) and stops at the page size, for one word and for
  several, instead of collecting and sorting every match (DESIGN.md §9). Filled here from
  ``patient_token``; the identity service rewrites a patient's rows with the tokens.
- ``ix_appointment_status_end`` (status, ends_at, starts_at): appointments still held over a
  moment (the waiting list's candidates for a freed slot) read from the future, not from the
  first appointment ever; a status's rows (clinic cancellations to call) filtered on the index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Name words are cut to 100 characters (identity_checks.patient_tokens).
_FILL = """
WITH RECURSIVE lengths(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM lengths WHERE n < 100)
INSERT INTO patient_name_prefix (prefix, sort_key, patient_id)
SELECT DISTINCT substr(t.token, 1, lengths.n), p.sort_key, t.patient_id
FROM patient_token t
JOIN patient p ON p.id = t.patient_id
JOIN lengths ON lengths.n <= length(t.token)
"""


def upgrade() -> None:
    op.create_table(
        "patient_name_prefix",
        sa.Column("prefix", sa.String(length=100), nullable=False),
        sa.Column("sort_key", sa.String(length=400), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
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
    op.execute(sa.text(_FILL))
    op.create_index(
        "ix_patient_name_prefix_patient", "patient_name_prefix", ["patient_id"], unique=False
    )
    op.create_index("ix_appointment_status_end", "appointment", ["status", "ends_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_appointment_status_end", table_name="appointment")
    op.drop_index("ix_patient_name_prefix_patient", table_name="patient_name_prefix")
    op.drop_table("patient_name_prefix")
