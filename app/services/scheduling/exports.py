"""What an agenda prints and exports: the patient's appointment slip (PDF through
``app.services.kernel.pdf``) and the professional's iCalendar file (``icalendar``, RFC 5545 — never
written by hand).

Pure builders over plain sheets: they print exactly what the sheet holds. The scheduling
service fills the sheets (no referral message, no shared item, no reason on any of them) and
archives and audits the slip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.clock import CLINIC_TZ
from app.i18n import _
from app.lazy import mm, on_first_use
from app.services.kernel.timefmt import fmt_date

if TYPE_CHECKING:
    import icalendar
    from reportlab.platypus import Flowable

    from app.services.kernel import pdf
else:
    pdf = on_first_use("app.services.kernel.pdf")  # reportlab, loaded with the first document
    icalendar = on_first_use("icalendar")

KIND_SLIP = "appointment_slip"
SLIP_TITLE = "Convocation à un rendez-vous"
SLIP_FOOTER = (
    "Document personnel remis au patient. Il ne contient aucune information sur le motif du "
    "rendez-vous."
)
PRODID = "-//Relais//Agenda des permanences//FR"


def location(place: str, room: str) -> str:
    """« Maison de santé, 12 rue … — salle 2 »."""
    room_text = room if not room or room.lower().startswith("salle") else f"salle {room}"
    return " — ".join(x for x in (place, room_text) if x)


def who(name: str) -> str:
    """The professional as printed for the patient."""
    return (
        _("{name}, assistante sociale (CARSAT)").format(name=name)
        if name
        else _("L'assistante sociale (CARSAT)")
    )


# ---- the slip ----------------------------------------------------------------------------
@dataclass(frozen=True)
class SlipSheet:
    clinic_name: str
    clinic_address: str
    clinic_phone: str
    patient_name: str
    when: str  # « mardi 8 décembre 2026 à 9 h 30 »
    duration_minutes: int
    place: str
    room: str
    who: str  # « Sophie Moreau, assistante sociale (CARSAT) »
    papers: Sequence[str]
    from_referral: bool = False


def slip_body(sheet: SlipSheet) -> list[Flowable]:
    where = location(sheet.place, sheet.room) or sheet.clinic_address or sheet.clinic_name
    body: list[Flowable] = [
        pdf.text(_("Patient : {patient_name}").format(patient_name=sheet.patient_name), "label"),
        pdf.Spacer(1, 3 * mm),
        pdf.framed(
            [
                pdf.text(_("Votre rendez-vous"), "label"),
                pdf.text(sheet.when[:1].upper() + sheet.when[1:], "mono"),
                pdf.text(
                    _("Durée prévue : {duration_minutes} minutes").format(
                        duration_minutes=sheet.duration_minutes
                    )
                ),
            ]
        ),
        pdf.Spacer(1, 3 * mm),
        pdf.key_values(
            [
                (_("Avec"), sheet.who),
                (
                    _("Lieu"),
                    f"{sheet.clinic_name}\n{where}" if where != sheet.clinic_name else where,
                ),
                (_("Adresse"), sheet.clinic_address),
            ]
        ),
    ]
    intro = (
        _("Pour que ce rendez-vous soit utile, apportez si possible :")
        if sheet.papers
        else _("Apportez, si possible, vos papiers d'identité et de sécurité sociale.")
    )
    body += pdf.section(
        _("Papiers à apporter"),
        [
            pdf.text(intro),
            *[pdf.text(f"•  {paper}") for paper in sheet.papers],
            pdf.text(
                _(
                    "Il vous en manque ? Venez quand même : nous verrons ensemble ce qui peut être "
                    "demandé."
                ),
                "muted",
            ),
        ],
    )
    phone = (
        _("prévenez l'accueil de la maison de santé au {clinic_phone}").format(
            clinic_phone=sheet.clinic_phone
        )
        if sheet.clinic_phone
        else _("prévenez l'accueil de la maison de santé")
    )
    body += pdf.section(
        _("En cas d'empêchement"),
        [
            pdf.text(
                _(
                    "Si vous ne pouvez pas venir, {phone} au moins 24 heures à l'avance : "
                    "le créneau sera proposé à une autre personne qui attend un "
                    "rendez-vous."
                ).format(phone=phone)
            ),
            pdf.text(_("Merci d'arriver quelques minutes avant l'heure indiquée.")),
        ],
    )
    return body


def slip_pdf(meta: pdf.DocumentMeta, sheet: SlipSheet) -> bytes:
    return pdf.render(meta, slip_body(sheet))


# ---- iCalendar ----------------------------------------------------------------------------
@dataclass(frozen=True)
class CalendarSession:
    """A recurring session (clinic-time-zone datetimes): its first half-day, then every
    ``every_weeks`` weeks until ``until`` (0: no rule), minus ``exdates``, plus ``rdates``."""

    uid: str
    label: str
    starts_at: datetime
    ends_at: datetime
    location: str
    every_weeks: int = 0
    until: datetime | None = None
    exdates: tuple[datetime, ...] = ()
    rdates: tuple[datetime, ...] = ()


@dataclass(frozen=True)
class CalendarAppointment:
    """An appointment: ``patient_name`` empty unless the professional exports her own
    agenda; no reason field exists here on purpose."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    location: str
    patient_name: str = ""
    cancelled: bool = False
    sequence: int = 0


def agenda_ics(
    name: str,
    sessions: Sequence[CalendarSession],
    appointments: Sequence[CalendarAppointment],
    *,
    stamp: datetime,
) -> bytes:
    """A VCALENDAR with one recurring VEVENT per session and one per appointment, times with
    ``TZID=Europe/Paris`` (VTIMEZONE included); UIDs stable across exports."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(CLINIC_TZ))
    stamp = stamp.astimezone(UTC)
    for s in sessions:
        event = icalendar.Event()
        event.add("uid", f"{s.uid}@relais")
        event.add("dtstamp", stamp)
        event.add("dtstart", s.starts_at.astimezone(CLINIC_TZ))
        event.add("dtend", s.ends_at.astimezone(CLINIC_TZ))
        event.add("summary", s.label)
        if s.location:
            event.add("location", s.location)
        event.add("transp", "OPAQUE")
        event.add("categories", [_("Permanence")])
        _recurrence(event, s)
        cal.add_component(event)
    for a in appointments:
        event = icalendar.Event()
        event.add("uid", f"{a.uid}@relais")
        event.add("dtstamp", stamp)
        event.add("dtstart", a.starts_at.astimezone(CLINIC_TZ))
        event.add("dtend", a.ends_at.astimezone(CLINIC_TZ))
        event.add(
            "summary",
            _("Rendez-vous — {patient_name}").format(patient_name=a.patient_name)
            if a.patient_name
            else "Rendez-vous",
        )
        if a.location:
            event.add("location", a.location)
        event.add("status", "CANCELLED" if a.cancelled else "CONFIRMED")
        event.add("sequence", a.sequence)
        event.add("categories", ["Rendez-vous"])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _recurrence(event: icalendar.Event, s: CalendarSession) -> None:
    """RRULE (UNTIL in UTC, as RFC 5545 asks with a TZID start), EXDATE and RDATE."""
    if s.every_weeks and s.until is not None:
        event.add(
            "rrule",
            {"freq": "weekly", "interval": s.every_weeks, "until": s.until.astimezone(UTC)},
        )
    if s.exdates:
        event.add("exdate", [d.astimezone(CLINIC_TZ) for d in s.exdates])
    if s.rdates:
        event.add("rdate", [d.astimezone(CLINIC_TZ) for d in s.rdates])


def export_filename(name: str, start: datetime | None = None) -> str:
    """A file name for the export dialog (« agenda-sophie-moreau.ics »)."""
    slug = "-".join("".join(c for c in part if c.isalnum()) for part in name.lower().split())
    suffix = f"-{fmt_date(start).replace('/', '-')}" if start else ""
    return f"agenda-{slug or 'relais'}{suffix}.ics"
