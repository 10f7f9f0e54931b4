"""recent patients: a user's openings of files read from the newest, on an index

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

Issue 16: the search screen's « recent patients » read the user's last openings of a file
from the audit trail (``action = 'read'``, ``object_type = 'patient'``). On ``(user_id, at)``
the database walked every entry of the user to find them: a GP with 390,000 audited notes and
53 openings took 0.5 s. ``(user_id, action, object_type, at, seq)`` holds them in order.

Also: ``ix_appointment_status_end`` is made what the model (and 0008's own description)
declare, ``(status, ends_at, starts_at)``; 0008 created it without ``starts_at``
(``tests/unit/test_schema_matches_models.py`` now compares the migrated schema with the models).
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_appointment_status_end", table_name="appointment")
    op.create_index(
        "ix_appointment_status_end",
        "appointment",
        ["status", "ends_at", "starts_at"],
        unique=False,
    )
    op.create_index(
        "ix_audit_entry_user_action_at",
        "audit_entry",
        ["user_id", "action", "object_type", "at", "seq"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_audit_entry_user_action_at", table_name="audit_entry")
    op.drop_index("ix_appointment_status_end", table_name="appointment")
    op.create_index("ix_appointment_status_end", "appointment", ["status", "ends_at"], unique=False)
