"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Accounts, clinic, patients with their search tokens, compartment notes, and the
append-only audit trail (UPDATE and DELETE refused by triggers on both backends).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.migrations import audit_triggers

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "audit_entry",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("compartment", sa.String(length=20), nullable=True),
        sa.Column("object_type", sa.String(length=30), nullable=True),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("workstation", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_entry_patient_at", ["patient_id", "at"], unique=False)
        batch_op.create_index("ix_audit_entry_user_at", ["user_id", "at"], unique=False)

    op.create_table(
        "clinic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("finess", sa.String(length=9), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("inactivity_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("profession", sa.String(length=30), nullable=False),
        sa.Column("rpps", sa.String(length=11), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_account_role"), ["role"], unique=False)

    op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("birth_name", sa.String(length=100), nullable=False),
        sa.Column("used_name", sa.String(length=100), nullable=False),
        sa.Column("first_names", sa.String(length=200), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("birth_place_code", sa.String(length=5), nullable=False),
        sa.Column("identity_status", sa.String(length=20), nullable=False),
        sa.Column("identity_document", sa.String(length=30), nullable=True),
        sa.Column("nir", sa.String(length=15), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("postal_code", sa.String(length=10), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("attending_gp_id", sa.Integer(), nullable=True),
        sa.Column("attending_gp_other", sa.String(length=200), nullable=False),
        sa.Column("social_referent_id", sa.Integer(), nullable=True),
        sa.Column("sort_key", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attending_gp_id"],
            ["user_account.id"],
            name=op.f("fk_patient_attending_gp_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["social_referent_id"],
            ["user_account.id"],
            name=op.f("fk_patient_social_referent_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient")),
    )
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patient_birth_date"), ["birth_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_patient_nir"), ["nir"], unique=False)
        batch_op.create_index(batch_op.f("ix_patient_sort_key"), ["sort_key"], unique=False)

    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("compartment", sa.String(length=20), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_note_author_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_note_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user_account.id"], name=op.f("fk_note_updated_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note")),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(
            "ix_note_patient_compartment", ["patient_id", "compartment", "created_at"], unique=False
        )

    op.create_table(
        "patient_token",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_patient_token_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patient_id", "token", name=op.f("pk_patient_token")),
    )
    with op.batch_alter_table("patient_token", schema=None) as batch_op:
        batch_op.create_index(
            "ix_patient_token_token_patient", ["token", "patient_id"], unique=False
        )

    audit_triggers.create()


def downgrade() -> None:
    audit_triggers.drop()

    with op.batch_alter_table("patient_token", schema=None) as batch_op:
        batch_op.drop_index("ix_patient_token_token_patient")

    op.drop_table("patient_token")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index("ix_note_patient_compartment")

    op.drop_table("note")
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_sort_key"))
        batch_op.drop_index(batch_op.f("ix_patient_nir"))
        batch_op.drop_index(batch_op.f("ix_patient_birth_date"))

    op.drop_table("patient")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_role"))

    op.drop_table("user_account")
    op.drop_table("clinic")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_user_at")
        batch_op.drop_index("ix_audit_entry_patient_at")
        batch_op.drop_index("ix_audit_entry_at")

    op.drop_table("audit_entry")
