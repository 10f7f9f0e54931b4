"""inbox and « orientations à planifier »: their queries read indexes, not tables

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

Issue 16: the inbox (count and list, 20 ms at 100 %) and the secretariat's « orientations à
planifier » (30 ms, cold) walked table rows: the pending referrals of the social worker (about
2,000 among 200,000) were read row by row from the table to find their kind, unread state,
urgency and order, each one's appointments likewise to know whether one is to come, and the
notices by user then sorted. The three indexes below hold what those queries read, so that they
are answered on the index alone (``tests/unit/test_query_plans.py``):

- ``ix_referral_receiver_queue`` replaces ``ix_referral_receiver_status`` (its first two
  columns): a receiver's referrals by status with urgency, dates, unread marker and sender;
- ``ix_appointment_referral_status`` replaces ``ix_appointment_referral_id``: a referral's
  appointments by status;
- ``ix_notification_user_read`` replaces ``ix_notification_user_id``: a user's notices, unread
  first (``read_at IS NULL``), by date.

Plain composite indexes: the same migration runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

RECEIVER_QUEUE = [
    "receiver_id",
    "status",
    "urgency",
    "sent_at",
    "received_at",
    "updated_at",
    "receiver_seen_at",
    "sender_id",
]


def upgrade() -> None:
    op.create_index("ix_referral_receiver_queue", "referral", RECEIVER_QUEUE, unique=False)
    op.drop_index("ix_referral_receiver_status", table_name="referral")
    op.create_index(
        "ix_appointment_referral_status", "appointment", ["referral_id", "status"], unique=False
    )
    op.drop_index("ix_appointment_referral_id", table_name="appointment")
    op.create_index(
        "ix_notification_user_read",
        "notification",
        ["user_id", "read_at", "created_at"],
        unique=False,
    )
    op.drop_index("ix_notification_user_id", table_name="notification")


def downgrade() -> None:
    op.create_index("ix_notification_user_id", "notification", ["user_id"], unique=False)
    op.drop_index("ix_notification_user_read", table_name="notification")
    op.create_index("ix_appointment_referral_id", "appointment", ["referral_id"], unique=False)
    op.drop_index("ix_appointment_referral_status", table_name="appointment")
    op.create_index(
        "ix_referral_receiver_status", "referral", ["receiver_id", "status"], unique=False
    )
    op.drop_index("ix_referral_receiver_queue", table_name="referral")
