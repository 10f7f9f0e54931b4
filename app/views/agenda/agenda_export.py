"""« Exporter (iCalendar)… »: a date range, then where to save the .ics file (recurring
sessions as one event with their rule, appointments one by one)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QFormLayout, QLabel, QVBoxLayout

from app.clock import clinic_today
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.views.agenda.ports import AgendaPorts
from app.views.agenda.ui import button_box
from app.views.common import pdf_view
from app.views.common.widgets import error_label


class ExportDialog(QDialog):
    """« Exporter (iCalendar)… »: a date range, then where to save the .ics file."""

    def __init__(
        self, services, actor: Actor, professional_id: int, name: str, parent=None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("icsExportDialog")
        self.setWindowTitle(self.tr("Exporter l'agenda (iCalendar)"))
        self._ports = AgendaPorts.of(services)
        self._actor = actor
        self.professional_id = professional_id
        self.professional_name = name
        self.saved_to = None
        start = clinic_today(self._ports.clock)
        self.start = QDateEdit(QDate(start))
        self.start.setObjectName("icsFrom")
        self.end = QDateEdit(QDate(start + timedelta(days=90)))
        self.end.setObjectName("icsTo")
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        intro = QLabel(
            self.tr(
                "Les permanences et rendez-vous de <b>{name}</b>, à importer dans un agenda "
                "(Outlook, Thunderbird, téléphone). Les noms des patients n'y figurent que "
                "pour le professionnel lui-même ; jamais de motif."
            ).format(name=name)
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Du"), self.start)
        form.addRow(self.tr("A&u"), self.end)
        self.error = error_label()
        self.error.setObjectName("icsError")
        buttons, self.ok = button_box(
            self, self.tr("&Enregistrer le fichier…"), self.export, ok_name="icsSave"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def export(self) -> None:
        start, end = self.start.date().toPython(), self.end.date().toPython()
        if end < start:
            self.error.setText(self.tr("La date de fin précède la date de début."))
            self.error.show()
            return
        try:
            data = self._ports.scheduling.icalendar(self._actor, self.professional_id, start, end)
        except RelaisError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        suggested = f"agenda-{start:%Y%m%d}-{end:%Y%m%d}.ics"
        path = pdf_view.save_bytes(self, data, suggested, self.tr("Agenda iCalendar (*.ics)"))
        if path is not None:
            self.saved_to = path
            self.accept()
