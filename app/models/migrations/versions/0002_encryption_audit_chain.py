"""Encryption keys, second factor, exceptional access, inbox, archived documents,
audit hash chain and the clinic's security settings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Existing audit entries get their position in id order (``seq = id`` unless ids have gaps)
and keep their MAC column (empty before the chain existed: "unsealed" for the verifier); the
chain head starts after them, at the last MAC if any. Existing patients get ``last_activity_at = updated_at``.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

from app.models.migrations import audit_triggers

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)
GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", SEQ, nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "compartment_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compartment", sa.String(length=20), nullable=False),
        sa.Column("recovery_wrap", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compartment_key")),
        sa.UniqueConstraint("compartment", name=op.f("uq_compartment_key_compartment")),
    )
    op.create_table(
        "recovery_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_key")),
    )
    op.create_table(
        "key_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("compartment_key_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["compartment_key_id"],
            ["compartment_key.id"],
            name=op.f("fk_key_grant_compartment_key_id_compartment_key"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_key_grant_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_grant")),
        sa.UniqueConstraint(
            "user_id", "compartment_key_id", "kind", name=op.f("uq_key_grant_user_id")
        ),
    )
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=255), nullable=False),
        sa.Column("used_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_recovery_code_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
    )
    op.create_table(
        "second_factor",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sealed_secret", sa.LargeBinary(), nullable=False),
        sa.Column("enrolled_at", WHEN, nullable=False),
        sa.Column("last_counter", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_second_factor_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_second_factor")),
    )
    op.create_table(
        "user_key",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sealed_private_key", sa.LargeBinary(), nullable=False),
        sa.Column("kdf_salt", sa.LargeBinary(), nullable=False),
        sa.Column("kdf_params", sa.String(length=60), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_user_key_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_key")),
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("compartment", sa.String(length=20), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_document_author_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_document_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("number", name=op.f("uq_document_number")),
    )
    op.create_index("ix_document_patient_created", "document", ["patient_id", "created_at"])
    op.create_table(
        "exceptional_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("compartment", sa.String(length=20), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_exceptional_access_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_exceptional_access_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exceptional_access")),
    )
    op.create_index(
        "ix_exceptional_access_user_patient", "exceptional_access", ["user_id", "patient_id"]
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("read_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_notification_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_notification_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index(op.f("ix_notification_user_id"), "notification", ["user_id"])

    # Audit chain: existing entries take their id as position, unsealed.
    audit_triggers.drop()
    with op.batch_alter_table("audit_entry") as batch:
        batch.add_column(sa.Column("seq", SEQ, nullable=True))
    # Positions follow the ids without their gaps (PostgreSQL sequences skip the ids of
    # rolled-back inserts): the chain must not look as if entries had been deleted.
    op.execute(
        "UPDATE audit_entry SET seq = ranked.position FROM "
        "(SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS position FROM audit_entry) AS ranked "
        "WHERE audit_entry.id = ranked.id"
    )
    with op.batch_alter_table("audit_entry") as batch:
        batch.alter_column("seq", existing_type=SEQ, nullable=False)
        batch.create_unique_constraint(op.f("uq_audit_entry_seq"), ["seq"])
    audit_triggers.create()
    op.execute(
        sa.text(
            "INSERT INTO audit_head (id, seq, mac) SELECT 1, "
            "COALESCE((SELECT MAX(seq) FROM audit_entry), 0), "
            "COALESCE((SELECT mac FROM audit_entry WHERE mac IS NOT NULL "
            "ORDER BY seq DESC LIMIT 1), :genesis)"
        ).bindparams(genesis=GENESIS)
    )

    with op.batch_alter_table("clinic") as batch:
        batch.add_column(
            sa.Column("installation_id", sa.String(36), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("require_totp", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(
            sa.Column("session_hours", sa.Integer(), nullable=False, server_default="12")
        )
        batch.add_column(
            sa.Column(
                "break_glass_enabled", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(
            sa.Column("break_glass_minutes", sa.Integer(), nullable=False, server_default="60")
        )
        batch.add_column(
            sa.Column("retention_years", sa.Integer(), nullable=False, server_default="5")
        )
        batch.add_column(sa.Column("backup_dir", sa.String(500), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("backup_keep", sa.Integer(), nullable=False, server_default="14")
        )
    op.execute(
        sa.text(
            "UPDATE clinic SET installation_id = :id, "
            "require_totp = CASE WHEN demo THEN :no ELSE :yes END"
        ).bindparams(id=str(uuid.uuid4()), no=False, yes=True)
    )

    with op.batch_alter_table("patient") as batch:
        batch.add_column(sa.Column("last_activity_at", WHEN, nullable=True))
    op.execute("UPDATE patient SET last_activity_at = updated_at")
    with op.batch_alter_table("patient") as batch:
        batch.alter_column("last_activity_at", existing_type=WHEN, nullable=False)
        batch.create_index(op.f("ix_patient_last_activity_at"), ["last_activity_at"])


def downgrade() -> None:
    with op.batch_alter_table("patient") as batch:
        batch.drop_index(op.f("ix_patient_last_activity_at"))
        batch.drop_column("last_activity_at")
    with op.batch_alter_table("clinic") as batch:
        for column in (
            "backup_keep",
            "backup_dir",
            "retention_years",
            "break_glass_minutes",
            "break_glass_enabled",
            "session_hours",
            "require_totp",
            "installation_id",
        ):
            batch.drop_column(column)
    audit_triggers.drop()
    with op.batch_alter_table("audit_entry") as batch:
        batch.drop_constraint(op.f("uq_audit_entry_seq"), type_="unique")
        batch.drop_column("seq")
    audit_triggers.create()
    op.drop_index(op.f("ix_notification_user_id"), table_name="notification")
    op.drop_table("notification")
    op.drop_index("ix_exceptional_access_user_patient", table_name="exceptional_access")
    op.drop_table("exceptional_access")
    op.drop_index("ix_document_patient_created", table_name="document")
    op.drop_table("document")
    for table in (
        "user_key",
        "second_factor",
        "recovery_code",
        "key_grant",
        "recovery_key",
        "compartment_key",
        "audit_head",
    ):
        op.drop_table(table)
