"""Reading home-care rows into records: the request record (details opened with the actor's
« care » key), the patient's name and address, when a request became overdue, the names of the
users who acted. Shared by the requests, the discharge plans and the documents."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import HomeCareEvent, HomeCareRequest, Partner, PartnerContact, Patient
from app.services.home_care.records import HomeCareEventRecord, HomeCareRecord
from app.services.home_care.rules import (
    CARE_KIND_LABELS,
    HOME_CARE_STATUS_LABELS,
    SENT_OVERDUE_DAYS,
    START_SOON_DAYS,
    TO_SEND_OVERDUE_DAYS,
    Availability,
    CareKind,
    Frequency,
    HomeCareStatus,
    act_label,
    allowed_actions,
    validate_availability,
)
from app.services.kernel.actor import Actor
from app.services.kernel.names import UserNames
from app.services.kernel.patient_rows import patient_name
from app.services.kernel.timefmt import aware, fmt_date, local, start_of_day
from app.services.security.codec import ContentCodec
from app.services.security.sealed_fields import HOME_CARE_EVENT, HOME_CARE_REQUEST, SealedFields


def patient_address(p: Patient) -> str:
    town = f"{p.postal_code} {p.city}".strip()
    return ", ".join(x for x in (p.address, town) if x)


def overdue_since(row: HomeCareRequest, now: datetime) -> tuple[datetime, str] | None:
    """When the request became overdue and why (French, no medical detail); None if it is not."""
    status = HomeCareStatus(row.status)
    today = local(now).date()
    candidates: list[tuple[datetime, str]] = []
    if status is HomeCareStatus.TO_SEND:
        since = aware(row.created_at) + timedelta(days=TO_SEND_OVERDUE_DAYS)
        candidates.append(
            (
                since,
                _("à envoyer depuis le {created_at}").format(created_at=fmt_date(row.created_at)),
            )
        )
    elif status is HomeCareStatus.SENT and row.sent_at is not None:
        sent = aware(row.sent_at)
        candidates.append(
            (
                sent + timedelta(days=SENT_OVERDUE_DAYS),
                _("envoyée le {sent}, sans réponse du partenaire").format(sent=fmt_date(sent)),
            )
        )
        soon = max(sent, start_of_day(row.start_date - timedelta(days=START_SOON_DAYS)))
        candidates.append(
            (
                soon,
                _("début des soins le {start_date}, sans réponse du partenaire").format(
                    start_date=fmt_date(row.start_date)
                ),
            )
        )
    elif status is HomeCareStatus.ACCEPTED and row.start_date < today:
        candidates.append(
            (
                start_of_day(row.start_date + timedelta(days=1)),
                _("soins prévus à partir du {start_date}, pas encore commencés").format(
                    start_date=fmt_date(row.start_date)
                ),
            )
        )
    due = [c for c in candidates if c[0] <= now]
    return min(due, key=lambda c: c[0]) if due else None


class Names(UserNames):
    """The display names of the users who acted, read once per unit of work."""


def load_availability(text: str) -> Availability:
    try:
        raw = json.loads(text or "{}")
    except ValueError:
        return {}
    clean, _errors = validate_availability(raw if isinstance(raw, dict) else {})
    return clean


def record_of(
    session: Session,
    codec: ContentCodec,
    actor: Actor,
    row: HomeCareRequest,
    now: datetime,
    names: Names | None = None,
) -> HomeCareRecord:
    """The record of a request, its details opened with the actor's « care » key (shared
    with the discharge service and the documents)."""
    names = names or Names(session)
    d = HOME_CARE_REQUEST.read(codec, actor, row)
    patient = session.get(Patient, row.patient_id)
    partner = session.get(Partner, row.partner_id) if row.partner_id is not None else None
    contact = (
        session.get(PartnerContact, row.partner_contact_id)
        if row.partner_contact_id is not None
        else None
    )
    kind = CareKind(row.care_kind)
    acts = tuple(json.loads(d["acts"] or "[]"))
    status = HomeCareStatus(row.status)
    readdressed = session.scalar(
        select(HomeCareRequest.id).where(HomeCareRequest.previous_id == row.id).limit(1)
    )
    overdue = overdue_since(row, now)
    return HomeCareRecord(
        id=row.id,
        patient_id=row.patient_id,
        patient_name=patient_name(patient),
        created_by_id=row.created_by_id,
        created_by_name=names.user(row.created_by_id),
        care_kind=kind,
        care_label=CARE_KIND_LABELS[kind],
        acts=acts,
        act_labels=tuple(act_label(kind, a) for a in acts),
        **_details(d),
        start_date=row.start_date,
        partner_id=row.partner_id,
        partner_name=partner.name if partner else "",
        partner_contact_id=row.partner_contact_id,
        partner_contact_name=contact.name if contact else "",
        status=status,
        status_label=HOME_CARE_STATUS_LABELS[status],
        accepted_by=d["accepted_by"],
        refusal_reason=d["refusal_reason"],
        discharge_plan_id=row.discharge_plan_id,
        previous_id=row.previous_id,
        readdressed_id=readdressed,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
        sent_at=aware(row.sent_at),
        overdue=overdue[1] if overdue else "",
        allowed_actions=tuple(allowed_actions(status, readdressed=readdressed is not None)),
        events=_events(session, codec, actor, row, names),
        version=row.version,
    )


def _details(d: dict) -> dict:
    """The sealed details of a request, as the record's fields."""
    frequency = Frequency.parse(d["frequency"])
    copied = ("care_detail", "prescriber_name", "prescriber_rpps", "address", "phone")
    copied += ("door_code", "floor", "access_notes", "duration_days", "discharge_date")
    return {
        **{name: d[name] for name in (*copied, "hospital", "ward")},
        "availability": load_availability(d["availability"]),
        "frequency": frequency,
        "frequency_label": frequency.label if frequency else d["frequency"],
    }


def _events(
    session: Session, codec: ContentCodec, actor: Actor, row: HomeCareRequest, names: Names
) -> tuple[HomeCareEventRecord, ...]:
    """The request's history, oldest first (the detail opened with the « care » key)."""
    events = session.scalars(
        select(HomeCareEvent)
        .where(HomeCareEvent.request_id == row.id)
        .order_by(HomeCareEvent.at, HomeCareEvent.id)
    ).all()
    return tuple(
        HomeCareEventRecord(
            at=aware(e.at),
            from_status=e.from_status,
            to_status=HomeCareStatus(e.to_status),
            to_label=HOME_CARE_STATUS_LABELS[HomeCareStatus(e.to_status)],
            actor_name=names.user(e.actor_id) if e.actor_id is not None else "",
            detail=HOME_CARE_EVENT.read(codec, actor, e)["detail"],
        )
        for e in events
    )


def split_sealed(values: dict, sealed: SealedFields) -> tuple[dict, dict]:
    """Validated values: (plain columns, the details to seal under ``sealed``)."""
    fields = set(sealed.fields)
    plain = {k: v for k, v in values.items() if k not in fields}
    return plain, {k: values.get(k) for k in sealed.fields}
