"""Home-care requests (nurse, physiotherapist, midwife at home) and discharge plans.

The policy's « home-care requests and discharge plans » resource (GP, paramedical, social
worker read and write; secretary and coordinator read) governs every column here. What tells
about the patient's health or situation (acts, access, availability, hospital stay, aids,
dependency, comments…) is sealed as one JSON document under the « care » data key
(``sealed_details``); plain columns carry what lists, reminders and statistics need (status,
dates, care kind, partner). The plain detail columns are legacy (rows written before 0005),
emptied by ``relais-admin keys encrypt-existing``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class DischargePlan(Base):
    """``destination``: home, ehpad, smr, had. ``status``: open, done, cancelled."""

    __tablename__ = "discharge_plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    hospital: Mapped[str] = mapped_column(String(200), default="")
    ward: Mapped[str] = mapped_column(String(120), default="")
    admitted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    target_date: Mapped[date] = mapped_column(Date)
    destination: Mapped[str] = mapped_column(String(12), default="home")
    destination_detail: Mapped[str] = mapped_column(String(200), default="")
    # Aids requested or in place (JSON list of codes), ARDH eligibility inputs and result.
    aids: Mapped[str] = mapped_column(Text, default="[]")
    retired: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    gir: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ardh_eligible: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    child_care: Mapped[str] = mapped_column(Text, default="")
    equipment: Mapped[str] = mapped_column(Text, default="")
    comments: Mapped[str] = mapped_column(Text, default="")
    sealed_details: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_discharge_plan_patient", "patient_id", "target_date", "id"),)


class DischargeFollowUp(Base):
    """A follow-up date of a plan (e.g. D+7, D+90): a reminder to its owner until done."""

    __tablename__ = "discharge_follow_up"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("discharge_plan.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    due_on: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(200), default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminder_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_discharge_follow_up_owner_due", "owner_id", "due_on"),)


class HomeCareRequest(Base):
    """``care_kind``: nurse, physiotherapist, midwife. ``status``: to_send, sent, accepted,
    in_progress, finished, refused, cancelled. A refused request is sent to another partner
    as a new request (``previous_id``)."""

    __tablename__ = "home_care_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    discharge_plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("discharge_plan.id", ondelete="SET NULL"), nullable=True, index=True
    )
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("home_care_request.id", ondelete="SET NULL"), nullable=True
    )
    care_kind: Mapped[str] = mapped_column(String(20))
    acts: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of act codes
    care_detail: Mapped[str] = mapped_column(Text, default="")
    prescriber_name: Mapped[str] = mapped_column(String(200), default="")
    prescriber_rpps: Mapped[str] = mapped_column(String(11), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    door_code: Mapped[str] = mapped_column(String(30), default="")
    floor: Mapped[str] = mapped_column(String(30), default="")
    access_notes: Mapped[str] = mapped_column(String(500), default="")
    # JSON: {"0": [["08:00", "10:00"]], ...} weekday → windows.
    availability: Mapped[str] = mapped_column(Text, default="{}")
    start_date: Mapped[date] = mapped_column(Date)
    frequency: Mapped[str] = mapped_column(String(120), default="")
    duration_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    discharge_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    hospital: Mapped[str] = mapped_column(String(200), default="")
    ward: Mapped[str] = mapped_column(String(120), default="")
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), nullable=True)
    partner_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_contact.id"), nullable=True
    )
    status: Mapped[str] = mapped_column(String(16), default="to_send", index=True)
    accepted_by: Mapped[str] = mapped_column(String(200), default="")
    refusal_reason: Mapped[str] = mapped_column(String(300), default="")
    sealed_details: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminder_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_home_care_request_patient", "patient_id", "created_at", "id"),
        Index("ix_home_care_request_creator_status", "created_by_id", "status"),
        Index("ix_home_care_request_created", "created_at"),
    )


class HomeCareEvent(Base):
    """One transition of a request: from which state to which, when, by whom."""

    __tablename__ = "home_care_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("home_care_request.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(16), default="")
    to_status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    # Legacy (before 0005): the detail in clear; now sealed under the « care » key.
    detail: Mapped[str] = mapped_column(String(300), default="")
    sealed_detail: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
