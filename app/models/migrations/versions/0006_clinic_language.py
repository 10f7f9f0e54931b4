"""clinic language: the language of printed documents

Revision ID: 0006_clinic_language
Revises: 0005

``clinic.language`` (``fr`` or ``en``, French by default) is the language of the PDFs Relais
prints for the clinic; each user's interface language is a workstation preference.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_clinic_language"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "clinic", sa.Column("language", sa.String(length=5), nullable=False, server_default="fr")
    )


def downgrade() -> None:
    with op.batch_alter_table("clinic") as batch_op:
        batch_op.drop_column("language")
