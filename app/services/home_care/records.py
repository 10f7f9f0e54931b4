"""Home-care requests and discharge plans as the views and the printed documents see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.services.home_care.rules import (
    ArdhResult,
    Availability,
    CareKind,
    Destination,
    Frequency,
    HomeCareAction,
    HomeCareStatus,
    PlanStatus,
)


@dataclass(frozen=True)
class HomeCareInput:
    """What the request dialog sends. ``availability``: weekday (0 = Monday) → windows
    (("08:00", "10:00"), …); ``frequency``: count and period."""

    patient_id: int
    care_kind: CareKind | str
    acts: tuple[str, ...]
    start_date: date | None
    frequency: Frequency | None
    care_detail: str = ""
    prescriber_name: str = ""
    prescriber_rpps: str = ""
    address: str = ""
    phone: str = ""
    door_code: str = ""
    floor: str = ""
    access_notes: str = ""
    availability: dict = field(default_factory=dict)
    duration_days: int | None = None
    discharge_date: date | None = None
    hospital: str = ""
    ward: str = ""
    partner_id: int | None = None
    partner_contact_id: int | None = None
    discharge_plan_id: int | None = None


@dataclass(frozen=True)
class HomeCareEventRecord:
    at: datetime
    from_status: str
    to_status: HomeCareStatus
    to_label: str
    actor_name: str
    detail: str


@dataclass(frozen=True)
class HomeCareRecord:
    id: int
    patient_id: int
    patient_name: str
    created_by_id: int
    created_by_name: str
    care_kind: CareKind
    care_label: str
    acts: tuple[str, ...]
    act_labels: tuple[str, ...]
    care_detail: str
    prescriber_name: str
    prescriber_rpps: str
    address: str
    phone: str
    door_code: str
    floor: str
    access_notes: str
    availability: Availability
    start_date: date
    frequency: Frequency | None
    frequency_label: str
    duration_days: int | None
    discharge_date: date | None
    hospital: str
    ward: str
    partner_id: int | None
    partner_name: str
    partner_contact_id: int | None
    partner_contact_name: str
    status: HomeCareStatus
    status_label: str
    accepted_by: str
    refusal_reason: str
    discharge_plan_id: int | None
    previous_id: int | None
    readdressed_id: int | None  # the copy sent to another partner after a refusal
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    overdue: str  # "" or why it waits too long (French)
    allowed_actions: tuple[HomeCareAction, ...]
    events: tuple[HomeCareEventRecord, ...]
    version: int

    def as_input(self) -> HomeCareInput:
        return HomeCareInput(
            patient_id=self.patient_id,
            care_kind=self.care_kind,
            acts=self.acts,
            start_date=self.start_date,
            frequency=self.frequency,
            care_detail=self.care_detail,
            prescriber_name=self.prescriber_name,
            prescriber_rpps=self.prescriber_rpps,
            address=self.address,
            phone=self.phone,
            door_code=self.door_code,
            floor=self.floor,
            access_notes=self.access_notes,
            availability={d: list(w) for d, w in self.availability.items()},
            duration_days=self.duration_days,
            discharge_date=self.discharge_date,
            hospital=self.hospital,
            ward=self.ward,
            partner_id=self.partner_id,
            partner_contact_id=self.partner_contact_id,
            discharge_plan_id=self.discharge_plan_id,
        )


@dataclass(frozen=True)
class FollowUpInput:
    due_on: date
    label: str = ""


@dataclass(frozen=True)
class FollowUpRecord:
    id: int
    plan_id: int
    owner_id: int
    owner_name: str
    due_on: date
    label: str
    done_at: datetime | None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True)
class DischargePlanInput:
    """``follow_ups`` None: the defaults (J+7 and J+90 after the target date)."""

    patient_id: int
    target_date: date | None
    destination: Destination | str = Destination.HOME
    hospital: str = ""
    ward: str = ""
    admitted_on: date | None = None
    destination_detail: str = ""
    aids: tuple[str, ...] = ()
    retired: bool | None = None
    gir: int | None = None
    child_care: str = ""
    equipment: tuple[str, ...] = ()
    comments: str = ""
    follow_ups: tuple[FollowUpInput, ...] | None = None


@dataclass(frozen=True)
class DischargePlanRecord:
    id: int
    patient_id: int
    patient_name: str
    birth_date: date | None
    created_by_id: int
    created_by_name: str
    hospital: str
    ward: str
    admitted_on: date | None
    target_date: date
    destination: Destination
    destination_label: str
    destination_detail: str
    aids: tuple[str, ...]
    aid_labels: tuple[str, ...]
    retired: bool | None
    gir: int | None
    ardh: ArdhResult
    child_care: str
    equipment: tuple[str, ...]
    comments: str
    status: PlanStatus
    status_label: str
    follow_ups: tuple[FollowUpRecord, ...]
    requests: tuple[HomeCareRecord, ...]
    created_at: datetime
    updated_at: datetime
    version: int

    def as_input(self) -> DischargePlanInput:
        return DischargePlanInput(
            patient_id=self.patient_id,
            target_date=self.target_date,
            destination=self.destination,
            hospital=self.hospital,
            ward=self.ward,
            admitted_on=self.admitted_on,
            destination_detail=self.destination_detail,
            aids=self.aids,
            retired=self.retired,
            gir=self.gir,
            child_care=self.child_care,
            equipment=self.equipment,
            comments=self.comments,
            follow_ups=tuple(
                FollowUpInput(f.due_on, f.label) for f in self.follow_ups if not f.done
            ),
        )
