"""sealed details and record keys

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

Closes what a copied database still showed in clear (issue 10):
- one data key per referral (``record_key``), handed only to its parties
  (``record_key_grant``) and to the recovery key;
- sealed columns for the details that tell about a person's health or social situation:
  home-care requests and their history, discharge plans, referral history details, the
  waiting list's wishes, appointment cancellation reasons, exceptional-access justifications,
  document titles;
- the readable coarse reason category of a referral (statistics), filled from the clear
  reason of existing rows.

The clear columns stay, as legacy: rows written from now on leave them empty, and
``relais-admin keys encrypt-existing`` (with the recovery key, after a backup) seals the
values of older rows and empties them. No key is needed here: nothing is decrypted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The readable category of each reason (frozen copy of referral_rules.REASON_CATEGORY).
CATEGORIES = {
    "health_coverage": "rights_and_care",
    "complementary_insurance": "rights_and_care",
    "care_cost": "rights_and_care",
    "resources": "rights_and_care",
    "other": "rights_and_care",
    "job_retention": "employment",
    "return_home": "living",
    "autonomy": "living",
    "family_child_care": "living",
    "housing": "living",
    "domestic_violence": "living",
    "child_in_danger": "living",
}

SEALED_COLUMNS = (
    ("referral_event", "sealed_detail"),
    ("home_care_request", "sealed_details"),
    ("home_care_event", "sealed_detail"),
    ("discharge_plan", "sealed_details"),
    ("waiting_list_entry", "sealed_preferences"),
    ("document", "sealed_title"),
    ("appointment", "sealed_status_reason"),
    ("exceptional_access", "sealed_justification"),
    ("social_action", "sealed_details"),
)


def upgrade() -> None:
    op.create_table(
        "record_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("recovery_wrap", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_key")),
        sa.UniqueConstraint("scope", "record_id", name=op.f("uq_record_key_scope")),
    )
    op.create_table(
        "record_key_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_key_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_key_id"],
            ["record_key.id"],
            name=op.f("fk_record_key_grant_record_key_id_record_key"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_record_key_grant_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_key_grant")),
        sa.UniqueConstraint(
            "record_key_id", "user_id", name=op.f("uq_record_key_grant_record_key_id")
        ),
    )
    op.create_index(
        "ix_record_key_grant_user", "record_key_grant", ["user_id", "record_key_id"], unique=False
    )
    op.add_column(
        "referral",
        sa.Column("reason_category", sa.String(length=20), nullable=False, server_default=""),
    )
    for table, column in SEALED_COLUMNS:
        op.add_column(table, sa.Column(column, sa.LargeBinary(), nullable=True))
    referral = sa.table("referral", sa.column("reason", sa.String), sa.column("reason_category"))
    op.execute(
        referral.update().values(
            reason_category=sa.case(CATEGORIES, value=referral.c.reason, else_="rights_and_care")
        )
    )


def downgrade() -> None:
    for table, column in reversed(SEALED_COLUMNS):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column(column)
    with op.batch_alter_table("referral") as batch_op:
        batch_op.drop_column("reason_category")
    op.drop_index("ix_record_key_grant_user", table_name="record_key_grant")
    op.drop_table("record_key_grant")
    op.drop_table("record_key")
