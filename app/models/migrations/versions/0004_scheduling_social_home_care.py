"""scheduling social home care

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

Consultation sessions and their exceptions, appointments (one occupied slot per professional
and start time, enforced by a unique key), the waiting list; the social assessment history and
the action plan (sealed in the social compartment); home-care requests with their transitions,
discharge plans and their follow-up dates.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consultation_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("professional_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("room", sa.String(length=60), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("every_weeks", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_consultation_session_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["professional_id"],
            ["user_account.id"],
            name=op.f("fk_consultation_session_professional_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_session")),
    )
    with op.batch_alter_table("consultation_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_session_professional_id"), ["professional_id"], unique=False
        )

    op.create_table(
        "session_exception",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_session_exception_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["consultation_session.id"],
            name=op.f("fk_session_exception_session_id_consultation_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_exception")),
        sa.UniqueConstraint("session_id", "day", name="uq_session_exception_session_day"),
    )
    op.create_table(
        "discharge_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("hospital", sa.String(length=200), nullable=False),
        sa.Column("ward", sa.String(length=120), nullable=False),
        sa.Column("admitted_on", sa.Date(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("destination", sa.String(length=12), nullable=False),
        sa.Column("destination_detail", sa.String(length=200), nullable=False),
        sa.Column("aids", sa.Text(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=True),
        sa.Column("gir", sa.Integer(), nullable=True),
        sa.Column("ardh_eligible", sa.Boolean(), nullable=True),
        sa.Column("child_care", sa.Text(), nullable=False),
        sa.Column("equipment", sa.Text(), nullable=False),
        sa.Column("comments", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_discharge_plan_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_discharge_plan_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discharge_plan")),
    )
    with op.batch_alter_table("discharge_plan", schema=None) as batch_op:
        batch_op.create_index(
            "ix_discharge_plan_patient", ["patient_id", "target_date"], unique=False
        )

    op.create_table(
        "social_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.LargeBinary(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("remind_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user_account.id"], name=op.f("fk_social_action_owner_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partner.id"], name=op.f("fk_social_action_partner_id_partner")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_social_action_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_social_action")),
    )
    with op.batch_alter_table("social_action", schema=None) as batch_op:
        batch_op.create_index(
            "ix_social_action_owner_status", ["owner_id", "status", "due_on"], unique=False
        )
        batch_op.create_index(
            "ix_social_action_patient", ["patient_id", "created_at"], unique=False
        )

    op.create_table(
        "appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("professional_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("slot_key", sa.DateTime(timezone=True), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("room", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_reason", sa.String(length=200), nullable=False),
        sa.Column("booked_by_id", sa.Integer(), nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_by_id", sa.Integer(), nullable=True),
        sa.Column("freed_notice_read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booked_by_id"],
            ["user_account.id"],
            name=op.f("fk_appointment_booked_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_appointment_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["professional_id"],
            ["user_account.id"],
            name=op.f("fk_appointment_professional_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_appointment_referral_id_referral"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["consultation_session.id"],
            name=op.f("fk_appointment_session_id_consultation_session"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["status_by_id"],
            ["user_account.id"],
            name=op.f("fk_appointment_status_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
        sa.UniqueConstraint("professional_id", "slot_key", name="uq_appointment_slot"),
    )
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_appointment_patient_start", ["patient_id", "starts_at"], unique=False
        )
        batch_op.create_index(
            "ix_appointment_professional_start", ["professional_id", "starts_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_appointment_referral_id"), ["referral_id"], unique=False
        )
        batch_op.create_index("ix_appointment_start", ["starts_at"], unique=False)

    op.create_table(
        "discharge_follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["user_account.id"],
            name=op.f("fk_discharge_follow_up_owner_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["discharge_plan.id"],
            name=op.f("fk_discharge_follow_up_plan_id_discharge_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discharge_follow_up")),
    )
    with op.batch_alter_table("discharge_follow_up", schema=None) as batch_op:
        batch_op.create_index(
            "ix_discharge_follow_up_owner_due", ["owner_id", "due_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_discharge_follow_up_plan_id"), ["plan_id"], unique=False
        )

    op.create_table(
        "home_care_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("discharge_plan_id", sa.Integer(), nullable=True),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("care_kind", sa.String(length=20), nullable=False),
        sa.Column("acts", sa.Text(), nullable=False),
        sa.Column("care_detail", sa.Text(), nullable=False),
        sa.Column("prescriber_name", sa.String(length=200), nullable=False),
        sa.Column("prescriber_rpps", sa.String(length=11), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("door_code", sa.String(length=30), nullable=False),
        sa.Column("floor", sa.String(length=30), nullable=False),
        sa.Column("access_notes", sa.String(length=500), nullable=False),
        sa.Column("availability", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("frequency", sa.String(length=120), nullable=False),
        sa.Column("duration_days", sa.Integer(), nullable=True),
        sa.Column("discharge_date", sa.Date(), nullable=True),
        sa.Column("hospital", sa.String(length=200), nullable=False),
        sa.Column("ward", sa.String(length=120), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("partner_contact_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("accepted_by", sa.String(length=200), nullable=False),
        sa.Column("refusal_reason", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refused_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_home_care_request_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["discharge_plan_id"],
            ["discharge_plan.id"],
            name=op.f("fk_home_care_request_discharge_plan_id_discharge_plan"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partner_contact_id"],
            ["partner_contact.id"],
            name=op.f("fk_home_care_request_partner_contact_id_partner_contact"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partner.id"], name=op.f("fk_home_care_request_partner_id_partner")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_home_care_request_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["previous_id"],
            ["home_care_request.id"],
            name=op.f("fk_home_care_request_previous_id_home_care_request"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_home_care_request")),
    )
    with op.batch_alter_table("home_care_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_home_care_request_creator_status", ["created_by_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_home_care_request_discharge_plan_id"),
            ["discharge_plan_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_home_care_request_patient", ["patient_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_home_care_request_status"), ["status"], unique=False)

    op.create_table(
        "home_care_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_home_care_event_actor_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["home_care_request.id"],
            name=op.f("fk_home_care_event_request_id_home_care_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_home_care_event")),
    )
    with op.batch_alter_table("home_care_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_home_care_event_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "social_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_social_assessment_appointment_id_appointment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_social_assessment_author_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_social_assessment_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_social_assessment")),
    )
    with op.batch_alter_table("social_assessment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_social_assessment_patient", ["patient_id", "created_at"], unique=False
        )

    op.create_table(
        "waiting_list_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("professional_id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("urgency", sa.String(length=12), nullable=False),
        sa.Column("preferences", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_waiting_list_entry_appointment_id_appointment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_waiting_list_entry_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_waiting_list_entry_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["professional_id"],
            ["user_account.id"],
            name=op.f("fk_waiting_list_entry_professional_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_waiting_list_entry_referral_id_referral"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waiting_list_entry")),
    )
    with op.batch_alter_table("waiting_list_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_waiting_list_professional_status",
            ["professional_id", "status", "created_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("waiting_list_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_waiting_list_professional_status")

    op.drop_table("waiting_list_entry")
    with op.batch_alter_table("social_assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_social_assessment_patient")

    op.drop_table("social_assessment")
    with op.batch_alter_table("home_care_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_home_care_event_request_id"))

    op.drop_table("home_care_event")
    with op.batch_alter_table("home_care_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_home_care_request_status"))
        batch_op.drop_index("ix_home_care_request_patient")
        batch_op.drop_index(batch_op.f("ix_home_care_request_discharge_plan_id"))
        batch_op.drop_index("ix_home_care_request_creator_status")

    op.drop_table("home_care_request")
    with op.batch_alter_table("discharge_follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discharge_follow_up_plan_id"))
        batch_op.drop_index("ix_discharge_follow_up_owner_due")

    op.drop_table("discharge_follow_up")
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index("ix_appointment_start")
        batch_op.drop_index(batch_op.f("ix_appointment_referral_id"))
        batch_op.drop_index("ix_appointment_professional_start")
        batch_op.drop_index("ix_appointment_patient_start")

    op.drop_table("appointment")
    with op.batch_alter_table("social_action", schema=None) as batch_op:
        batch_op.drop_index("ix_social_action_patient")
        batch_op.drop_index("ix_social_action_owner_status")

    op.drop_table("social_action")
    with op.batch_alter_table("discharge_plan", schema=None) as batch_op:
        batch_op.drop_index("ix_discharge_plan_patient")

    op.drop_table("discharge_plan")
    op.drop_table("session_exception")
    with op.batch_alter_table("consultation_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_session_professional_id"))

    op.drop_table("consultation_session")
