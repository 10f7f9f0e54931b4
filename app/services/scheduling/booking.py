"""Booking a slot (from a referral, the waiting list or any patient) and the appointment's
transitions: confirmed, cancelled (slot freed), no-show, seen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.clock import clinic_today
from app.i18n import _
from app.models import Patient, Referral, User
from app.models.enums import Compartment, Role
from app.models.scheduling import (
    Appointment,
    WaitingListEntry,
)
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound, PermissionDenied, RelaisError, ValidationError
from app.services.kernel.patient_rows import mark_activity, patient_name
from app.services.kernel.policy import Action, Resource
from app.services.kernel.text import clean_line
from app.services.kernel.timefmt import fmt_datetime, local
from app.services.scheduling.appointment_records import AppointmentRows
from app.services.scheduling.base import (
    ALREADY_STARTED,
    ARCHIVED,
    MAX_REASON,
    NOT_STARTED,
    OWN_AGENDA_ONLY,
    PAST_SLOT,
    SEEN_REFUSED,
    PatientBusy,
    SchedulingCore,
    _Refusal,
    _utc,
)
from app.services.scheduling.records import (
    APPOINTMENT_TRANSITIONS,
    PENDING,
    AppointmentRecord,
    AppointmentStatus,
    AppointmentTransitionRefused,
    SlotTaken,
    WaitingStatus,
    fr_datetime,
)
from app.services.scheduling.slots import SlotCalendar

_ACTION = AuditAction.APPOINTMENT_BOOK


@dataclass(frozen=True)
class _Booking:
    """Who books what (the booking's unit of work passes it from step to step)."""

    actor: Actor
    patient_id: int
    professional_id: int
    starts_at: datetime  # UTC
    referral_id: int | None


class Booking:
    """Books appointments and moves them along ``APPOINTMENT_TRANSITIONS``."""

    def __init__(self, core: SchedulingCore, calendar: SlotCalendar, rows: AppointmentRows) -> None:
        self._core = core
        self._calendar = calendar
        self._rows = rows

    def book(
        self,
        actor: Actor,
        *,
        patient_id: int,
        professional_id: int,
        starts_at: datetime,
        referral_id: int | None = None,
        waiting_entry_id: int | None = None,
    ) -> AppointmentRecord:
        """Book a real slot of an active session. :class:`SlotTaken` when taken (also when
        two workstations race); refused for a past slot, a slot outside any session, a patient
        already expected elsewhere at that time. From a referral (addressed to that
        professional, sent or received): the referral becomes « rendez-vous fixé » in the same
        unit of work — a referral not acknowledged yet is acknowledged first, both audited.
        The patient's waiting-list entry for this professional (the one given, or any)
        becomes « rendez-vous fixé »."""
        action = AuditAction.APPOINTMENT_BOOK
        self._core.require(actor, Resource.APPOINTMENT, Action.WRITE, action, patient_id=patient_id)
        if actor.role == Role.SOCIAL_WORKER and actor.user_id != professional_id:
            raise self._core.refuse(actor, action, OWN_AGENDA_ONLY, patient_id=patient_id)
        request = _Booking(actor, patient_id, professional_id, _utc(starts_at), referral_id)

        def work(session: Session) -> AppointmentRecord:
            return self._book(session, request, waiting_entry_id)

        try:
            return self._core.run(actor, work)
        except IntegrityError as exc:
            text = str(exc.orig)
            if "uq_appointment_slot" not in text and "appointment.slot_key" not in text:
                raise
            error = SlotTaken()
            self._core.audit.refused(
                actor,
                action,
                patient_id=patient_id,
                compartment=Compartment.ADMINISTRATIVE,
                object_type="appointment",
                detail=error.message[:120],
            )
            raise error from None

    def _book(
        self, session: Session, b: _Booking, waiting_entry_id: int | None
    ) -> AppointmentRecord:
        """The booking's unit of work: checks, the appointment, then the referral and the
        waiting list moved, and the audit entry."""
        now = self._core.clock()
        patient = self._check_patient(session, b)
        self._check_professional(session, b.professional_id)
        if b.starts_at <= now:
            raise _Refusal(RelaisError(PAST_SLOT), _ACTION, b.patient_id)
        slot = self._calendar.find_slot(session, b.professional_id, b.starts_at)
        self._check_free(session, b, slot.ends_at, patient)
        entry = self._waiting_entry(session, b, waiting_entry_id)
        ref_id = (
            b.referral_id if b.referral_id is not None else (entry.referral_id if entry else None)
        )
        if ref_id is not None:
            self._check_referral(session, b, ref_id)
        a = Appointment(
            patient_id=b.patient_id,
            professional_id=b.professional_id,
            session_id=slot.session.id,
            referral_id=ref_id,
            starts_at=b.starts_at,
            ends_at=slot.ends_at,
            slot_key=b.starts_at,
            place=slot.session.place,
            room=slot.session.room,
            status=str(AppointmentStatus.BOOKED),
            booked_by_id=b.actor.user_id,
            booked_at=now,
            status_at=now,
            status_by_id=b.actor.user_id,
        )
        session.add(a)
        # The unique slot index speaks here when another workstation won the slot. Nothing
        # else is locked yet (the audit chain head, the referral): no deadlock between two
        # racing bookings on PostgreSQL, the loser just waits and gets IntegrityError.
        session.flush()
        if ref_id is not None:
            self._move_referral(session, b, ref_id)
        entry = self._leave_waiting_list(session, b, entry, a, now)
        mark_activity(session, patient.id, now)
        self._audit_booking(session, b, a, ref_id, entry is not None)
        session.flush()
        return self._rows.one(session, b.actor, a)

    @staticmethod
    def _check_patient(session: Session, b: _Booking) -> Patient:
        patient = session.get(Patient, b.patient_id)
        if patient is None:
            raise NotFound(_("Ce dossier patient n'existe pas."))
        if patient.archived_at is not None:
            raise _Refusal(PermissionDenied(ARCHIVED), _ACTION, b.patient_id)
        return patient

    @staticmethod
    def _check_professional(session: Session, professional_id: int) -> None:
        user = session.get(User, professional_id)
        if user is None or not user.active or user.role != str(Role.SOCIAL_WORKER):
            raise ValidationError(
                {"professional_id": _("Ce professionnel ne tient pas de permanence.")}
            )

    @staticmethod
    def _check_free(session: Session, b: _Booking, ends_at: datetime, patient: Patient) -> None:
        """The slot is free and the patient is not expected elsewhere at that time."""
        if session.scalar(
            select(Appointment.id).where(
                Appointment.professional_id == b.professional_id,
                Appointment.slot_key == b.starts_at,
            )
        ):
            raise _Refusal(SlotTaken(), _ACTION, b.patient_id)
        busy = session.scalar(
            select(Appointment).where(
                Appointment.patient_id == b.patient_id,
                Appointment.status.in_([str(x) for x in PENDING]),
                Appointment.starts_at < ends_at,
                Appointment.ends_at > b.starts_at,
            )
        )
        if busy is None:
            return
        other = session.get(User, busy.professional_id)
        raise _Refusal(
            PatientBusy(
                _("{patient} a déjà un rendez-vous le {starts_at}").format(
                    patient=patient_name(patient), starts_at=fr_datetime(busy.starts_at)
                )
                + (f" avec {other.display_name}" if other else "")
                + _(" : un patient ne peut pas être attendu à deux endroits à la fois.")
            ),
            _ACTION,
            b.patient_id,
        )

    @staticmethod
    def _waiting_entry(
        session: Session, b: _Booking, waiting_entry_id: int | None
    ) -> WaitingListEntry | None:
        """The waiting-list entry booked from, checked (None when booked otherwise)."""
        if waiting_entry_id is None:
            return None
        entry = session.get(WaitingListEntry, waiting_entry_id)
        if (
            entry is None
            or entry.patient_id != b.patient_id
            or entry.professional_id != b.professional_id
        ):
            raise ValidationError(
                {
                    "waiting_entry_id": _(
                        "Cette inscription en liste d'attente ne "
                        "correspond pas à ce patient et à ce professionnel."
                    )
                }
            )
        if entry.status != str(WaitingStatus.WAITING):
            raise ValidationError(
                {"waiting_entry_id": _("Ce patient n'est plus en liste d'attente.")}
            )
        return entry

    @staticmethod
    def _check_referral(session: Session, b: _Booking, ref_id: int) -> None:
        """The referral exists and has no appointment to come (read only: it is moved after
        the insert, see ``_book``)."""
        if session.get(Referral, ref_id) is None:
            raise NotFound(_("Cette orientation n'existe pas."))
        pending = session.scalar(
            select(Appointment).where(
                Appointment.referral_id == ref_id,
                Appointment.status.in_([str(x) for x in PENDING]),
            )
        )
        if pending is not None:
            raise _Refusal(
                RelaisError(
                    _(
                        "Cette orientation a déjà un rendez-vous le {starts_at} : "
                        "annulez-le "
                        "avant d'en fixer un autre."
                    ).format(starts_at=fr_datetime(pending.starts_at))
                ),
                _ACTION,
                b.patient_id,
            )

    def _move_referral(self, session: Session, b: _Booking, ref_id: int) -> None:
        """Sent or received → (received →) « rendez-vous fixé », in this unit of work."""
        try:
            self._core.referrals.on_appointment_booked(
                session,
                b.actor,
                ref_id,
                patient_id=b.patient_id,
                professional_id=b.professional_id,
                when=b.starts_at,
            )
        except (ValidationError, NotFound):
            raise
        except RelaisError as error:
            raise _Refusal(error, _ACTION, b.patient_id) from None

    @staticmethod
    def _leave_waiting_list(
        session: Session,
        b: _Booking,
        entry: WaitingListEntry | None,
        a: Appointment,
        now: datetime,
    ) -> WaitingListEntry | None:
        """Booked without going through the list: the patient leaves it all the same."""
        if entry is None:
            entry = session.scalar(
                select(WaitingListEntry).where(
                    WaitingListEntry.patient_id == b.patient_id,
                    WaitingListEntry.professional_id == b.professional_id,
                    WaitingListEntry.status == str(WaitingStatus.WAITING),
                )
            )
        if entry is not None:
            entry.status = str(WaitingStatus.BOOKED)
            entry.appointment_id = a.id
            entry.updated_at = now
        return entry

    def _audit_booking(
        self, session: Session, b: _Booking, a: Appointment, ref_id: int | None, waiting: bool
    ) -> None:
        parts = (
            fmt_datetime(b.starts_at),
            f"professionnel {b.professional_id}",
            f"orientation {ref_id}" if ref_id is not None else "",
            "liste d'attente" if waiting else "",
        )
        self._core.audit.add(
            session,
            b.actor,
            _ACTION,
            patient_id=b.patient_id,
            compartment=Compartment.ADMINISTRATIVE,
            object_type="appointment",
            object_id=a.id,
            detail=" ".join(x for x in parts if x),
        )

    def _transition(
        self,
        actor: Actor,
        appointment_id: int,
        target: AppointmentStatus,
        action: str,
        expected_version: int | None,
        step: Callable[[Session, Appointment], None],
        *,
        own_only: bool = False,
    ) -> AppointmentRecord:
        self._core.require(
            actor, Resource.APPOINTMENT, Action.WRITE, action, object_id=appointment_id
        )

        def work(session: Session) -> AppointmentRecord:
            a = self._core.load(session, appointment_id)
            if own_only and actor.user_id != a.professional_id:
                raise _Refusal(PermissionDenied(SEEN_REFUSED), action, a.patient_id, object_id=a.id)
            self._core.check_version(
                a, expected_version, str(target), lambda: self._rows.one(session, actor, a)
            )
            current = AppointmentStatus(a.status)
            if target not in APPOINTMENT_TRANSITIONS[current]:
                raise _Refusal(
                    AppointmentTransitionRefused(current, target),
                    action,
                    a.patient_id,
                    object_id=a.id,
                )
            try:
                step(session, a)
            except RelaisError as error:
                if isinstance(error, ValidationError):
                    raise
                raise _Refusal(error, action, a.patient_id, object_id=a.id) from None
            session.flush()
            return self._rows.one(session, actor, a)

        return self._core.wrap_stale(actor, work, _("Ce rendez-vous"))

    def confirm(
        self, actor: Actor, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentRecord:
        """The patient confirmed (before the appointment)."""

        def step(session: Session, a: Appointment) -> None:
            if a.starts_at <= self._core.clock():
                raise RelaisError(ALREADY_STARTED)
            self._rows.set_status(actor, a, AppointmentStatus.CONFIRMED)
            a.confirmed_at = self._core.clock()
            self._core.write(session, actor, a, AuditAction.APPOINTMENT_CONFIRM)

        return self._transition(
            actor,
            appointment_id,
            AppointmentStatus.CONFIRMED,
            AuditAction.APPOINTMENT_CONFIRM,
            expected_version,
            step,
        )

    def cancel(
        self,
        actor: Actor,
        appointment_id: int,
        *,
        by_patient: bool,
        reason: str,
        expected_version: int | None = None,
    ) -> AppointmentRecord:
        """Cancel (reason required): the slot is freed; a referral goes back to « reçue »; the
        professional is told when patients wait for a slot (inbox)."""
        reason = clean_line(reason or "")
        if not reason:
            raise ValidationError({"reason": _("Indiquez le motif de l'annulation.")})
        if len(reason) > MAX_REASON:
            raise ValidationError({"reason": _("Le motif est trop long (200 caractères au plus).")})
        target = (
            AppointmentStatus.CANCELLED_PATIENT
            if by_patient
            else AppointmentStatus.CANCELLED_CLINIC
        )

        def step(session: Session, a: Appointment) -> None:
            if a.starts_at <= self._core.clock():
                raise RelaisError(ALREADY_STARTED)
            self._rows.end(session, actor, a, target, reason)

        return self._transition(
            actor, appointment_id, target, AuditAction.APPOINTMENT_CANCEL, expected_version, step
        )

    def record_no_show(
        self,
        actor: Actor,
        appointment_id: int,
        *,
        reason: str = "",
        expected_version: int | None = None,
    ) -> AppointmentRecord:
        """The patient did not come (counted); a referral goes back to « reçue »."""
        reason = clean_line(reason or "")[:MAX_REASON]

        def step(session: Session, a: Appointment) -> None:
            if a.starts_at > self._core.clock():
                raise RelaisError(NOT_STARTED)
            self._rows.end(session, actor, a, AppointmentStatus.NO_SHOW, reason)

        return self._transition(
            actor,
            appointment_id,
            AppointmentStatus.NO_SHOW,
            AuditAction.APPOINTMENT_NO_SHOW,
            expected_version,
            step,
        )

    def record_seen(
        self, actor: Actor, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentRecord:
        """The appointment's professional saw the patient (from the appointment's day on);
        the referral → « patient reçu »."""

        def step(session: Session, a: Appointment) -> None:
            if local(a.starts_at).date() > clinic_today(self._core.clock):
                raise RelaisError(NOT_STARTED)
            self._rows.set_status(actor, a, AppointmentStatus.SEEN)
            if a.referral_id is not None:
                self._core.referrals.on_appointment_ended(session, actor, a.referral_id, seen=True)
            patient = session.get(Patient, a.patient_id)
            if patient is not None:
                mark_activity(session, patient.id, self._core.clock())
            self._core.write(session, actor, a, AuditAction.APPOINTMENT_SEEN)

        return self._transition(
            actor,
            appointment_id,
            AppointmentStatus.SEEN,
            AuditAction.APPOINTMENT_SEEN,
            expected_version,
            step,
            own_only=True,
        )
