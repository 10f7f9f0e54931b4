"""statistics: guide use and indexes

Revision ID: 0007
Revises: 0006_clinic_language
Create Date: 2026-12-03

The activity dashboard and report (issue 15) compute every figure in SQL from readable
columns only:
- ``referral.from_guide``: whether the referral was written from the orientation guide's
  proposal (a coarse yes/no: the rule itself stays sealed in the referral's content). Rows
  written before this revision stay NULL (« non renseigné »): the answer is only in their
  sealed content, and a migration decrypts nothing;
- indexes on the dates the dashboard filters and groups by (referrals by date of sending,
  consents by decision, home-care requests by creation).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006_clinic_language"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_referral_sent", "referral", ["sent_at"]),
    ("ix_consent_status_decided", "consent", ["status", "decided_on"]),
    ("ix_home_care_request_created", "home_care_request", ["created_at"]),
)


def upgrade() -> None:
    op.add_column("referral", sa.Column("from_guide", sa.Boolean(), nullable=True))
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("referral") as batch_op:
        batch_op.drop_column("from_guide")
