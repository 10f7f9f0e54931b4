"""What leaves the agenda: the professional's iCalendar file (recurring sessions as RRULE with
EXDATE) and the patient's appointment slip (PDF)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import CLINIC_TZ
from app.i18n import _
from app.models import Patient, User
from app.models.enums import Compartment
from app.models.scheduling import (
    Appointment,
    ConsultationSession,
)
from app.services.document_language import in_clinic_language
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound, ValidationError
from app.services.kernel.patient_rows import patient_name
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import GeneratedDocument
from app.services.scheduling import exports as docs
from app.services.scheduling.appointments import AppointmentReader
from app.services.scheduling.base import (
    MAX_DAYS,
    SchedulingCore,
    _day_bounds,
    _Lookup,
)
from app.services.scheduling.records import (
    APPOINTMENT_STATUS_LABELS,
    CANCELLED,
    PENDING,
    AppointmentStatus,
    fr_datetime,
)
from app.services.scheduling.recurrence import SessionRule, regular_dates, session_days
from app.services.scheduling.slots import SlotCalendar


class AgendaDocuments:
    """The iCalendar export and the appointment slip."""

    def __init__(
        self, core: SchedulingCore, calendar: SlotCalendar, reader: AppointmentReader
    ) -> None:
        self._core = core
        self._calendar = calendar
        self._reader = reader
        self._db = core.db  # the clinic's document language (``in_clinic_language``)

    def icalendar(self, actor: Actor, professional_id: int, start: date, end: date) -> bytes:
        """The professional's session half-days and appointments as an iCalendar file
        (UTF-8 bytes). Patient names only when the professional exports her own agenda;
        never a reason; cancelled appointments as ``STATUS:CANCELLED``. Audited."""
        action = AuditAction.AGENDA_EXPORT
        self._core.require(actor, Resource.APPOINTMENT, Action.READ, action, object_type="agenda")
        if end < start:
            raise ValidationError({"end": _("La fin de la période précède son début.")})
        if (end - start).days >= MAX_DAYS:
            raise ValidationError({"end": _("La période est limitée à un an.")})
        own = actor.user_id is not None and actor.user_id == professional_id

        def work(session: Session) -> bytes:
            user = session.get(User, professional_id)
            if user is None:
                raise NotFound(_("Ce professionnel n'existe pas."))
            half_days = [
                _calendar_session(s, rule, start, end)
                for s, rule in self._calendar.active_sessions(session, professional_id)
            ]
            half_days = [h for h in half_days if h is not None]
            low, high = _day_bounds(start, end)
            rows = list(
                session.scalars(
                    select(Appointment)
                    .where(
                        Appointment.professional_id == professional_id,
                        Appointment.starts_at >= low,
                        Appointment.starts_at < high,
                    )
                    .order_by(Appointment.starts_at, Appointment.id)
                )
            )
            look = _Lookup.of(session)
            look.load(rows)
            events = [
                docs.CalendarAppointment(
                    uid=f"relais-appointment-{a.id}",
                    starts_at=a.starts_at,
                    ends_at=a.ends_at,
                    location=docs.location(a.place, a.room),
                    patient_name=patient_name(look.patient(a.patient_id)) if own else "",
                    cancelled=AppointmentStatus(a.status) in CANCELLED,
                    sequence=a.version,
                )
                for a in rows
            ]
            data = docs.agenda_ics(
                _("Agenda de {display_name}").format(display_name=user.display_name),
                half_days,
                events,
                stamp=self._core.clock(),
            )
            self._core.audit.add(
                session,
                actor,
                action,
                compartment=Compartment.ADMINISTRATIVE,
                object_type="agenda",
                object_id=professional_id,
                detail=f"{start.isoformat()} – {end.isoformat()} : {len(rows)} rendez-vous"
                + ("" if own else _(" (sans noms)")),
            )
            return data

        return self._core.run(actor, work)

    @in_clinic_language
    def slip_pdf(self, actor: Actor, appointment_id: int) -> GeneratedDocument:
        """The patient's appointment slip: date and time in words, place and room, who, the
        papers to bring for the referral's reason, how to cancel. Never the referral's
        message or shared items. Archived in the administrative compartment and audited."""
        action = AuditAction.PRINT
        self._core.require(
            actor, Resource.APPOINTMENT, Action.WRITE, action, object_id=appointment_id
        )

        def work(session: Session) -> GeneratedDocument:
            a = self._core.load(session, appointment_id)
            status = AppointmentStatus(a.status)
            if status not in PENDING:
                raise ValidationError(
                    {
                        "status": _(
                            "Ce rendez-vous est « {value} » : il n'y a pas de convocation à "
                            "imprimer."
                        ).format(value=APPOINTMENT_STATUS_LABELS[status])
                    }
                )
            patient = session.get(Patient, a.patient_id)
            letterhead = self._core.documents.letterhead(session)
            professional = session.get(User, a.professional_id)
            sheet = docs.SlipSheet(
                clinic_name=letterhead.clinic_name,
                clinic_address=letterhead.clinic_address,
                clinic_phone=letterhead.clinic_phone,
                patient_name=patient_name(patient),
                when=fr_datetime(a.starts_at),
                duration_minutes=int((a.ends_at - a.starts_at).total_seconds() // 60),
                place=a.place or letterhead.clinic_address,
                room=a.room,
                who=docs.who(professional.display_name if professional else ""),
                papers=self._reader.papers_of(session, actor, a),
                from_referral=a.referral_id is not None,
            )
            return self._core.documents.printer.print_archived(
                session,
                actor,
                kind=docs.KIND_SLIP,
                title=docs.SLIP_TITLE,
                patient_id=a.patient_id,
                compartment=Compartment.ADMINISTRATIVE,
                build=lambda meta: docs.slip_pdf(meta, sheet),
                detail=f"rendez-vous {a.id}",
                confidentiality=docs.SLIP_FOOTER,
            )

        return self._core.run(actor, work)


def _calendar_session(
    s: ConsultationSession, rule: SessionRule, start: date, end: date
) -> docs.CalendarSession | None:
    """One recurring event per session: its first regular date of ``[start, end]`` and the
    rule (``RRULE``) up to ``end`` or the session's last date, the skipped regular dates as
    ``EXDATE`` and the dates added by hand as ``RDATE``. None when not held in the period."""
    held, skipped = session_days(rule, start, end)
    if not held:
        return None
    last = min(end, rule.last_date) if rule.last_date else end
    regular = regular_dates(rule.first_date, rule.every_weeks, start, last)
    first = regular[0] if regular else held[0].day

    def at(day: date, hours: time) -> datetime:
        return datetime.combine(day, hours, tzinfo=CLINIC_TZ)

    return docs.CalendarSession(
        uid=f"relais-session-{s.id}",
        label=s.label or _("Permanence"),
        starts_at=at(first, s.opens),
        ends_at=at(first, s.closes),
        location=docs.location(s.place, s.room),
        every_weeks=rule.every_weeks if regular else 0,
        until=at(last, s.closes) if regular else None,
        exdates=tuple(at(x.day, s.opens) for x in skipped if x.day not in rule.added),
        rdates=tuple(at(d.day, s.opens) for d in held if d.added_by_hand and d.day != first),
    )
