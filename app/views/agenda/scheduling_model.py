"""Agenda lists: a day's slots, a week's grid, a patient's appointments, the call list, the
waiting list, the sessions and the referrals to schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from app.services.kernel.timefmt import local
from app.services.scheduling.records import (
    AgendaDay,
    AppointmentRecord,
    AppointmentStatus,
    SessionRecord,
)
from app.views.common.labels import date_fr, datetime_fr
from app.views.common.rows import AnyIndex, RowsModel

WEEKDAYS_SHORT = (
    QT_TRANSLATE_NOOP("Weekdays", "lun."),
    QT_TRANSLATE_NOOP("Weekdays", "mar."),
    QT_TRANSLATE_NOOP("Weekdays", "mer."),
    QT_TRANSLATE_NOOP("Weekdays", "jeu."),
    QT_TRANSLATE_NOOP("Weekdays", "ven."),
    QT_TRANSLATE_NOOP("Weekdays", "sam."),
    QT_TRANSLATE_NOOP("Weekdays", "dim."),
)
WEEKDAYS = (
    QT_TRANSLATE_NOOP("Weekdays", "lundi"),
    QT_TRANSLATE_NOOP("Weekdays", "mardi"),
    QT_TRANSLATE_NOOP("Weekdays", "mercredi"),
    QT_TRANSLATE_NOOP("Weekdays", "jeudi"),
    QT_TRANSLATE_NOOP("Weekdays", "vendredi"),
    QT_TRANSLATE_NOOP("Weekdays", "samedi"),
    QT_TRANSLATE_NOOP("Weekdays", "dimanche"),
)


def weekday(number: int, short: bool = False) -> str:
    """« lundi » / « lun. » (Monday = 0) in the interface's language."""
    names = WEEKDAYS_SHORT if short else WEEKDAYS
    return QCoreApplication.translate("Weekdays", names[number % 7])


FREE_BACKGROUND = QColor("#f1f8e9")
FREE_COLOUR = QColor("#2e7d32")
CLOSED_BACKGROUND = QColor("#eceff1")
MUTED_COLOUR = QColor("#757575")
URGENT_COLOUR = QColor("#e65100")
STATUS_BACKGROUND: dict[AppointmentStatus, QColor] = {
    AppointmentStatus.BOOKED: QColor("#e3f2fd"),
    AppointmentStatus.CONFIRMED: QColor("#c8e6c9"),
    AppointmentStatus.SEEN: QColor("#eeeeee"),
    AppointmentStatus.NO_SHOW: QColor("#ffcdd2"),
}
STATUS_COLOUR: dict[AppointmentStatus, QColor] = {
    AppointmentStatus.BOOKED: QColor("#0d47a1"),
    AppointmentStatus.CONFIRMED: QColor("#1b5e20"),
    AppointmentStatus.SEEN: QColor("#424242"),
    AppointmentStatus.NO_SHOW: QColor("#b71c1c"),
    AppointmentStatus.CANCELLED_PATIENT: MUTED_COLOUR,
    AppointmentStatus.CANCELLED_CLINIC: MUTED_COLOUR,
}


def hm(moment: datetime) -> str:
    """« 09:30 » in the clinic's time zone."""
    return local(moment).strftime("%H:%M")


def day_label(day: date) -> str:
    """« mardi 24/11/2026 »."""
    return f"{weekday(day.weekday())} {date_fr(day)}"


def called_text(appointment: AppointmentRecord) -> str:
    if appointment.called_at is None:
        return ""
    return datetime_fr(appointment.called_at)


@dataclass(frozen=True)
class AgendaRow:
    """One line of a day: a session slot (free when ``appointment`` is None), an appointment
    whose slot no longer exists (``outside``), or a cancelled appointment (kept for the
    record, shown muted)."""

    day: date
    starts_at: datetime
    ends_at: datetime
    professional_id: int
    session_id: int | None = None
    appointment: AppointmentRecord | None = None
    outside: bool = False
    room: str = ""
    place: str = ""

    @property
    def free(self) -> bool:
        return self.appointment is None

    @property
    def cancelled(self) -> bool:
        return self.appointment is not None and not self.appointment.active


def agenda_rows(day: AgendaDay, *, with_cancelled: bool = True) -> list[AgendaRow]:
    """The lines of one day, by time: slots, appointments outside a slot, then (muted) the
    cancelled appointments at their time."""
    rows = [
        AgendaRow(
            day.day,
            s.starts_at,
            s.ends_at,
            s.professional_id,
            s.session_id,
            s.appointment,
            room=s.room,
            place=s.place,
        )
        for s in day.slots
    ]
    rows += [
        AgendaRow(
            day.day,
            a.starts_at,
            a.ends_at,
            a.professional_id,
            a.session_id,
            a,
            outside=True,
            room=a.room,
            place=a.place,
        )
        for a in day.appointments_outside
    ]
    if with_cancelled:
        rows += [
            AgendaRow(
                day.day,
                a.starts_at,
                a.ends_at,
                a.professional_id,
                a.session_id,
                a,
                room=a.room,
                place=a.place,
            )
            for a in day.cancelled
        ]
    return sorted(rows, key=lambda r: (r.starts_at, r.cancelled))


class DayModel(RowsModel[AgendaRow]):
    """A day's lines. The « Motif » column exists only for the appointment's professional
    (``show_reason``): nobody else gets even an empty column."""

    TIME, PATIENT, PHONE, STATUS, CALLED, ROOM, REASON = range(7)
    LABELS = {
        TIME: QT_TRANSLATE_NOOP("Headers", "Heure"),
        PATIENT: QT_TRANSLATE_NOOP("Headers", "Patient"),
        PHONE: QT_TRANSLATE_NOOP("Headers", "Téléphone"),
        STATUS: QT_TRANSLATE_NOOP("Headers", "Statut"),
        CALLED: QT_TRANSLATE_NOOP("Headers", "Rappel de la veille"),
        ROOM: QT_TRANSLATE_NOOP("Headers", "Salle"),
        REASON: QT_TRANSLATE_NOOP("Headers", "Motif"),
    }

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.show_reason = False
        self.columns: tuple[int, ...] = ()
        self._set_columns()

    def _set_columns(self) -> None:
        kinds = [self.TIME, self.PATIENT, self.PHONE, self.STATUS, self.CALLED, self.ROOM]
        if self.show_reason:
            kinds.append(self.REASON)
        self.columns = tuple(kinds)
        self.HEADERS = tuple(self.LABELS[k] for k in kinds)

    def set_show_reason(self, show: bool) -> None:
        if show != self.show_reason:
            self.beginResetModel()
            self.show_reason = show
            self._set_columns()
            self.endResetModel()

    def column_of(self, kind: int) -> int:
        return self.columns.index(kind) if kind in self.columns else -1

    def cell(self, row: AgendaRow, column: int) -> str:
        kind = self.columns[column]
        a = row.appointment
        if kind == self.TIME:
            return f"{hm(row.starts_at)} – {hm(row.ends_at)}"
        if kind == self.ROOM:
            return row.room
        if a is None:
            return self.tr("Libre") if kind == self.PATIENT else ""
        if kind == self.PATIENT:
            return a.patient_name
        if kind == self.PHONE:
            return a.patient_phone
        if kind == self.STATUS:
            return a.status_label + (self.tr(" (hors créneau)") if row.outside else "")
        if kind == self.CALLED:
            return called_text(a)
        if kind == self.REASON:
            return a.reason_label
        return ""

    def tooltip(self, row: AgendaRow, column: int) -> str | None:
        a = row.appointment
        if a is not None and self.columns[column] == self.REASON:
            return a.reason_label or None  # the whole reason, when its column cuts it
        if a is None or self.columns[column] != self.STATUS:
            return None
        parts = [a.status_label]
        if a.status_reason:
            parts.append(a.status_reason)
        if row.outside:
            parts.append(self.tr("Créneau qui n'existe plus (la permanence a été modifiée)."))
        return "\n".join(parts)

    def foreground(self, row: AgendaRow, column: int) -> QColor | None:
        if row.appointment is None:
            return FREE_COLOUR if self.columns[column] == self.PATIENT else None
        if row.cancelled:
            return MUTED_COLOUR
        if self.columns[column] == self.STATUS:
            return STATUS_COLOUR.get(row.appointment.status)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is not None and role == Qt.ItemDataRole.BackgroundRole:
            if row.appointment is None:
                return FREE_BACKGROUND
            return STATUS_BACKGROUND.get(row.appointment.status)
        if row is not None and role == Qt.ItemDataRole.FontRole and row.cancelled:
            font = QFont()
            font.setItalic(True)
            return font
        return super().data(index, role)


class WeekModel(QAbstractTableModel):
    """A week as a grid: one column per day (Monday to Friday, the weekend when it has
    sessions), one row per slot time. A day without a session is greyed; a skipped day
    (holiday, cancelled) says why in its header."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._days: list[AgendaDay] = []
        self._times: list[str] = []
        self._cells: dict[tuple[int, int], AgendaRow] = {}

    def set_days(self, days: list[AgendaDay]) -> None:
        self.beginResetModel()
        shown = [
            d for d in days if d.day.weekday() < 5 or d.slots or d.skipped or d.appointments_outside
        ]
        cells: dict[tuple[str, int], AgendaRow] = {}
        for column, day in enumerate(shown):
            for row in agenda_rows(day, with_cancelled=False):
                cells.setdefault((hm(row.starts_at), column), row)
        self._days = shown
        self._times = sorted({key[0] for key in cells})
        self._cells = {(self._times.index(t), c): row for (t, c), row in cells.items()}
        self.endResetModel()

    def days(self) -> list[AgendaDay]:
        return list(self._days)

    def row_at(self, index: QModelIndex) -> AgendaRow | None:
        if not index.isValid():
            return None
        return self._cells.get((index.row(), index.column()))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._times)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._days)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self._days):
            return None
        row = self._cells.get((index.row(), index.column()))
        day = self._days[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if row is None:
                return ""
            if row.appointment is None:
                return self.tr("Libre")
            return f"{row.appointment.patient_name}\n{row.appointment.status_label}"
        if role == Qt.ItemDataRole.BackgroundRole:
            if row is None:
                return CLOSED_BACKGROUND if not day.slots else None
            if row.appointment is None:
                return FREE_BACKGROUND
            return STATUS_BACKGROUND.get(row.appointment.status)
        if role == Qt.ItemDataRole.ForegroundRole and row is not None:
            if row.appointment is None:
                return FREE_COLOUR
            return STATUS_COLOUR.get(row.appointment.status)
        if role == Qt.ItemDataRole.ToolTipRole and row is not None and row.appointment:
            a = row.appointment
            parts = [f"{hm(a.starts_at)} – {hm(a.ends_at)}", a.patient_name, a.status_label]
            if a.patient_phone:
                parts.append(a.patient_phone)
            if a.reason_label:
                parts.append(self.tr("Motif : {reason}").format(reason=a.reason_label))
            return "\n".join(parts)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return self._times[section] if 0 <= section < len(self._times) else None
        if not 0 <= section < len(self._days):
            return None
        day = self._days[section]
        title = f"{weekday(day.day.weekday(), short=True)} {day.day:%d/%m}"
        if day.skipped:
            return f"{title}\n{day.skipped}"
        return title


def status_text(row: AppointmentRecord) -> str:
    """An appointment's status, with the reason of a cancellation or absence."""
    text = row.status_label
    if row.status_reason and not row.active:
        text += f" — {row.status_reason}"
    return text


class AppointmentsModel(RowsModel[AppointmentRecord]):
    """A patient's appointments (newest first)."""

    DATE, TIME, WITH, PLACE, STATUS = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Date"),
        QT_TRANSLATE_NOOP("Headers", "Heure"),
        QT_TRANSLATE_NOOP("Headers", "Avec"),
        QT_TRANSLATE_NOOP("Headers", "Lieu"),
        QT_TRANSLATE_NOOP("Headers", "Statut"),
    )

    def cell(self, row: AppointmentRecord, column: int) -> str:
        if column == self.DATE:
            return day_label(local(row.starts_at).date())
        if column == self.TIME:
            return f"{hm(row.starts_at)} – {hm(row.ends_at)}"
        if column == self.WITH:
            return row.professional_name
        if column == self.PLACE:
            return ", ".join(p for p in (row.place, row.room) if p)
        return status_text(row)

    def foreground(self, row: AppointmentRecord, column: int) -> QColor | None:
        if not row.active:
            return MUTED_COLOUR
        return STATUS_COLOUR.get(row.status) if column == self.STATUS else None


class CallListModel(RowsModel[AppointmentRecord]):
    """Patients to call the day before (or to warn of a cancellation)."""

    TIME, PATIENT, PHONE, WITH, CALLED, STATUS = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Rendez-vous"),
        QT_TRANSLATE_NOOP("Headers", "Patient"),
        QT_TRANSLATE_NOOP("Headers", "Téléphone"),
        QT_TRANSLATE_NOOP("Headers", "Avec"),
        QT_TRANSLATE_NOOP("Headers", "Appelé(e)"),
        QT_TRANSLATE_NOOP("Headers", "Statut"),
    )

    def __init__(self, parent=None, *, with_date: bool = False) -> None:
        super().__init__(parent)
        self.with_date = with_date

    def cell(self, row: AppointmentRecord, column: int) -> str:
        if column == self.TIME:
            time = f"{hm(row.starts_at)}"
            return f"{date_fr(local(row.starts_at).date())} {time}" if self.with_date else time
        if column == self.STATUS:
            return status_text(row)
        return {
            self.PATIENT: row.patient_name,
            self.PHONE: row.patient_phone or self.tr("(pas de téléphone)"),
            self.WITH: row.professional_name,
            self.CALLED: called_text(row) or self.tr("à appeler"),
        }[column]

    def foreground(self, row: AppointmentRecord, column: int) -> QColor | None:
        if column == self.CALLED and row.called_at is None:
            return URGENT_COLOUR
        if column == self.STATUS:
            return STATUS_COLOUR.get(row.status)
        return None

    def bold(self, row: AppointmentRecord) -> bool:
        return row.called_at is None


class SessionsModel(RowsModel[SessionRecord]):
    WHO, SUMMARY, PLACE, FROM, TO, STATE = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Professionnel"),
        QT_TRANSLATE_NOOP("Headers", "Permanence"),
        QT_TRANSLATE_NOOP("Headers", "Lieu"),
        QT_TRANSLATE_NOOP("Headers", "Depuis le"),
        QT_TRANSLATE_NOOP("Headers", "Jusqu'au"),
        QT_TRANSLATE_NOOP("Headers", "État"),
    )

    def cell(self, row: SessionRecord, column: int) -> str:
        label = f"{row.label} — " if row.label else ""
        return {
            self.WHO: row.professional_name,
            self.SUMMARY: label + row.summary,
            self.PLACE: row.place,
            self.FROM: date_fr(row.first_date),
            self.TO: date_fr(row.last_date) if row.last_date else self.tr("sans fin"),
            self.STATE: self.tr("Active") if row.active else self.tr("Arrêtée"),
        }[column]

    def foreground(self, row: SessionRecord, column: int) -> QColor | None:
        return None if row.active else MUTED_COLOUR
