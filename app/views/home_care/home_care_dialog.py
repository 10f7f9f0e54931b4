"""« Nouvelle demande de soins… »: the kind of care and its acts, the prescriber, the patient's
coordinates and access, the availability grid per weekday, dates and frequency, the discharge
context and the partner (filtered by kind of care and commune). The service validates; its
French messages appear under the fields."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.services.home_care.records import HomeCareInput, HomeCareRecord
from app.services.home_care.rules import (
    CARE_ACTS,
    CARE_KIND_LABELS,
    FREQUENCY_PERIOD_LABELS,
    CareKind,
    Frequency,
    FrequencyPeriod,
)
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.patient_file.records import PatientRecord
from app.services.scheduling.records import weekday_name
from app.views.common.clock import today
from app.views.common.forms import align_labels, compact, date_edit, line, qdate, to_date
from app.views.home_care.form_dialog import HomeCareFormDialog
from app.views.home_care.ports import HomeCarePorts

_WINDOW_SPLIT = re.compile(r"[,;]+")
_RANGE = re.compile(r"^\s*(.+?)\s*(?:-|–|à)\s*(.+?)\s*$")

if TYPE_CHECKING:
    from app.views.ports import ServicesPort


def parse_windows(text: str) -> list[tuple[str, str]] | None:
    """« 8:00-10:00, 17h–19h » → [("8:00", "10:00"), ("17h", "19h")]; None when a part is not
    a range (the service checks the times themselves)."""
    out: list[tuple[str, str]] = []
    for part in _WINDOW_SPLIT.split(text or ""):
        if not part.strip():
            continue
        match = _RANGE.match(part)
        if not match:
            return None
        out.append((match.group(1), match.group(2)))
    return out


def windows_text(windows) -> str:
    return ", ".join(f"{s}-{e}" for s, e in windows)


class HomeCareDialog(HomeCareFormDialog):
    def __init__(
        self,
        ports: HomeCarePorts | ServicesPort,
        actor: Actor,
        patient: PatientRecord,
        *,
        record: HomeCareRecord | None = None,
        defaults: HomeCareInput | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ports, actor, patient, name="homeCareDialog", parent=parent)
        self.record = record
        self.setWindowTitle(
            self.tr("Modifier la demande de soins à domicile")
            if record
            else self.tr("Nouvelle demande de soins à domicile")
        )
        self.resize(900, 860)
        data = record.as_input() if record else defaults
        if data is None:
            data = self._ports.home_care.prefill(actor, patient.id)
        self._plan_id = data.discharge_plan_id
        self.general_error.setObjectName("homeCareError")
        sections = (
            (self.tr("Soins demandés"), self._build_care()),
            (self.tr("Dates"), self._build_dates()),
            (self.tr("Domicile"), self._build_home()),
        )
        availability = self._build_availability()
        partner = self._build_partner()
        self._layout(sections, availability, partner)
        self._fill(data, today(self._ports.clock))
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.commune.editingFinished.connect(self.refresh_partners)
        self.partner.currentIndexChanged.connect(lambda _i: self._fill_contacts())

    # ---- building -----------------------------------------------------------------------
    def _build_care(self) -> QFormLayout:
        care = QFormLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("careKind")
        for kind in CareKind:
            self.kind.addItem(self.tr(CARE_KIND_LABELS[kind]), str(kind))
        self.acts_box = QGroupBox()
        self.acts_layout = QGridLayout(self.acts_box)
        self.act_boxes: dict[str, QCheckBox] = {}
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("careDetail")
        self.detail.setPlaceholderText(self.tr("Précisions utiles au partenaire (facultatif)"))
        self.detail.setMaximumHeight(70)
        self.prescriber = line("prescriberName", self.tr("Dr Prénom Nom"))
        self.rpps = line("prescriberRpps", self.tr("11 chiffres"))
        self.rpps.setMaxLength(14)
        self.errors.add_row(care, "care_kind", self.tr("Soins"), self.kind)
        self.errors.add_row(care, "acts", self.tr("Actes"), self.acts_box)
        self.errors.add_row(care, "care_detail", self.tr("Précisions"), self.detail)
        self.errors.add_row(care, "prescriber_name", self.tr("Prescripteur"), self.prescriber)
        self.errors.add_row(care, "prescriber_rpps", self.tr("N° RPPS"), self.rpps)
        return care

    def _build_dates(self) -> QFormLayout:
        self.start = date_edit("startDate")
        self.count = QSpinBox()
        self.count.setObjectName("frequencyCount")
        self.count.setRange(1, 31)
        self.period = QComboBox()
        self.period.setObjectName("frequencyPeriod")
        self.period.setAccessibleName(self.tr("Fréquence : par jour, semaine ou mois"))
        for period in FrequencyPeriod:
            self.period.addItem(self.tr("fois " + FREQUENCY_PERIOD_LABELS[period]), str(period))
        frequency = QWidget()
        row = QHBoxLayout(frequency)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.count)
        row.addWidget(self.period)
        row.addStretch(1)
        self.duration = QSpinBox()
        self.duration.setObjectName("durationDays")
        self.duration.setRange(0, 365)
        self.duration.setSuffix(self.tr(" jours"))
        self.duration.setSpecialValueText(self.tr("à préciser"))
        compact(self.duration)
        dates = QFormLayout()
        self.errors.add_row(dates, "start_date", self.tr("Début des soins"), self.start)
        self.errors.add_row(dates, "frequency", self.tr("Fréquence"), frequency)
        self.errors.add_row(dates, "duration_days", self.tr("Durée"), self.duration)
        self.after_stay = QCheckBox(self.tr("Après une hospitalisation"))
        self.after_stay.setObjectName("afterStay")
        self.discharge = date_edit("dischargeDate")
        self.hospital = line("hospital", self.tr("Établissement"))
        self.ward = line("ward", self.tr("Service"))
        stay = QWidget()
        stay_row = QHBoxLayout(stay)
        stay_row.setContentsMargins(0, 0, 0, 0)
        stay_row.addWidget(self.after_stay)
        stay_row.addWidget(self.discharge)
        stay_row.addWidget(self.hospital, 2)
        stay_row.addWidget(self.ward, 1)
        self.errors.add_row(dates, "discharge_date", self.tr("Sortie"), stay)
        self.errors.alias("hospital", "discharge_date")
        self.errors.alias("ward", "discharge_date")
        self.after_stay.toggled.connect(self._stay_toggled)
        return dates

    def _build_home(self) -> QFormLayout:
        home = QFormLayout()
        self.address = line("address")
        self.phone = line("phone")
        self.door_code = line("doorCode")
        self.floor = line("floor")
        self.access = line("accessNotes", self.tr("Ascenseur, clé chez un voisin, animal…"))
        self.errors.add_row(home, "address", self.tr("Adresse"), self.address)
        self.errors.add_row(home, "phone", self.tr("Téléphone"), self.phone)
        access = QWidget()
        access_row = QHBoxLayout(access)
        access_row.setContentsMargins(0, 0, 0, 0)
        access_row.addWidget(QLabel(self.tr("Code porte")))
        access_row.addWidget(self.door_code)
        access_row.addWidget(QLabel(self.tr("Étage")))
        access_row.addWidget(self.floor)
        self.errors.add_row(home, "door_code", self.tr("Accès"), access)
        self.errors.alias("floor", "door_code")
        self.errors.add_row(home, "access_notes", self.tr("Indications"), self.access)
        return home

    def _build_availability(self) -> QFormLayout:
        form = QFormLayout()
        self.availability_edits: dict[int, QLineEdit] = {}
        for day in range(7):  # Monday to Sunday
            edit = line(f"availability_{day}")
            self.availability_edits[day] = edit
            self.errors.add_row(form, f"availability_{day}", weekday_name(day).capitalize(), edit)
        self.errors.labels["availability"] = self.general_error
        return form

    def _build_partner(self) -> QFormLayout:
        partner = QFormLayout()
        self.commune = line("partnerCommune", self.tr("Commune du patient"))
        self.partner = QComboBox()
        self.partner.setObjectName("partnerChoice")
        self.contact = QComboBox()
        self.contact.setObjectName("partnerContact")
        self.errors.add_row(partner, "partner_commune", self.tr("Commune servie"), self.commune)
        self.errors.add_row(partner, "partner_id", self.tr("Partenaire"), self.partner)
        self.errors.add_row(partner, "partner_contact_id", self.tr("Interlocuteur"), self.contact)
        self.partners_hint = QLabel()
        self.partners_hint.setObjectName("partnersHint")
        self.partners_hint.setWordWrap(True)
        self.partners_hint.setStyleSheet("color: #455a64;")
        partner.addRow("", self.partners_hint)
        return partner

    def _layout(
        self,
        sections: tuple[tuple[str, QFormLayout], ...],
        availability: QFormLayout,
        partner: QFormLayout,
    ) -> None:
        column = self._scrolling_layout(self.tr("&Enregistrer"), "saveHomeCare")
        align_labels(*(layout for _title, layout in sections), availability, partner)
        for title, layout in sections:
            box = QGroupBox(title)
            box.setLayout(layout)
            column.addWidget(box)
        box = QGroupBox(self.tr("Disponibilités du patient (ex. « 8:00-10:00, 17:00-19:00 »)"))
        box.setLayout(availability)
        column.addWidget(box)
        box = QGroupBox(self.tr("Partenaire"))
        box.setLayout(partner)
        column.addWidget(box)

    def _fill(self, data: HomeCareInput, today: date) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(str(data.care_kind))))
        self._rebuild_acts(set(data.acts))
        self.detail.setPlainText(data.care_detail)
        self.prescriber.setText(data.prescriber_name)
        self.rpps.setText(data.prescriber_rpps)
        self.start.setDate(qdate(data.start_date or today))
        if data.frequency is not None:
            self.count.setValue(data.frequency.count)
            self.period.setCurrentIndex(self.period.findData(str(data.frequency.period)))
        self.duration.setValue(data.duration_days or 0)
        self.after_stay.setChecked(data.discharge_date is not None)
        self.discharge.setDate(qdate(data.discharge_date or today))
        self.hospital.setText(data.hospital)
        self.ward.setText(data.ward)
        self._stay_toggled(self.after_stay.isChecked())
        self.address.setText(data.address)
        self.phone.setText(data.phone)
        self.door_code.setText(data.door_code)
        self.floor.setText(data.floor)
        self.access.setText(data.access_notes)
        for day, windows in (data.availability or {}).items():
            self.availability_edits[int(day)].setText(windows_text(windows))
        try:
            self.commune.setText(self._ports.home_care.commune_of(self._actor, self._patient.id))
        except RelaisError:
            self.commune.setText(self._patient.city)
        self._wanted_partner = data.partner_id
        self._wanted_contact = data.partner_contact_id
        self.refresh_partners()
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.commune.editingFinished.connect(self.refresh_partners)
        self.partner.currentIndexChanged.connect(lambda _i: self._fill_contacts())

    # ---- care kind and acts -----------------------------------------------------------------
    def care_kind(self) -> CareKind:
        return CareKind(self.kind.currentData())

    def _rebuild_acts(self, checked: set[str]) -> None:
        for box in self.act_boxes.values():
            self.acts_layout.removeWidget(box)
            box.deleteLater()
        self.act_boxes = {}
        for i, (code, label) in enumerate(CARE_ACTS[self.care_kind()].items()):
            box = QCheckBox(self.tr(label))
            box.setObjectName(f"act_{code}")
            box.setChecked(code in checked)
            self.act_boxes[code] = box
            self.acts_layout.addWidget(box, i // 2, i % 2)

    def _kind_changed(self) -> None:
        self._rebuild_acts(set())
        self._wanted_partner = None
        self.refresh_partners()

    def _stay_toggled(self, on: bool) -> None:
        for widget in (self.discharge, self.hospital, self.ward):
            widget.setEnabled(on)

    # ---- partners ---------------------------------------------------------------------------
    def refresh_partners(self) -> None:
        keep = self.partner.currentData() if self.partner.count() else self._wanted_partner
        keep = keep if keep is not None else self._wanted_partner
        try:
            partners = self._ports.home_care.partner_choices(
                self._actor, self.care_kind(), self.commune.text().strip() or None
            )
        except RelaisError as exc:
            partners = []
            self.partners_hint.setText(exc.message)
        self._partners = {p.id: p for p in partners}
        self.partner.blockSignals(True)
        self.partner.clear()
        self.partner.addItem(self.tr("— à choisir —"), None)
        for p in partners:
            communes = ", ".join(p.communes) if p.communes else self.tr("tout le secteur")
            self.partner.addItem(f"{p.name} ({communes})", p.id)
        index = self.partner.findData(keep) if keep is not None else -1
        self.partner.setCurrentIndex(index if index >= 0 else 0)
        self.partner.blockSignals(False)
        self.partners_hint.setText(
            self.tr(
                "%n partenaire(s) de l'annuaire pour ces soins dans cette commune.",
                "",
                len(partners),
            )
        )
        self._fill_contacts()

    def _fill_contacts(self) -> None:
        partner = self._partners.get(self.partner.currentData())
        self.contact.clear()
        self.contact.addItem(self.tr("— le cabinet —"), None)
        if partner is not None:
            for c in partner.contacts:
                if c.active:
                    self.contact.addItem(f"{c.name} {c.title}".strip(), c.id)
        if self._wanted_contact is not None:
            index = self.contact.findData(self._wanted_contact)
            if index >= 0:
                self.contact.setCurrentIndex(index)
            self._wanted_contact = None

    def choose_partner(self, partner_id: int) -> bool:
        index = self.partner.findData(partner_id)
        if index >= 0:
            self.partner.setCurrentIndex(index)
        return index >= 0

    # ---- saving -----------------------------------------------------------------------------
    def value(self) -> HomeCareInput | None:
        availability: dict[int, list[tuple[str, str]]] = {}
        problems: dict[str, str] = {}
        for day, edit in self.availability_edits.items():
            windows = parse_windows(edit.text())
            if windows is None:
                problems[f"availability_{day}"] = self.tr(
                    "Écrivez les créneaux comme « 8:00-10:00, 17:00-19:00 »."
                )
            elif windows:
                availability[day] = windows
        if problems:
            self.errors.show(problems)
            return None
        return HomeCareInput(
            patient_id=self._patient.id,
            care_kind=self.care_kind(),
            acts=tuple(code for code, box in self.act_boxes.items() if box.isChecked()),
            start_date=to_date(self.start),
            frequency=Frequency(self.count.value(), FrequencyPeriod(self.period.currentData())),
            care_detail=self.detail.toPlainText(),
            prescriber_name=self.prescriber.text(),
            prescriber_rpps=self.rpps.text(),
            address=self.address.text(),
            phone=self.phone.text(),
            door_code=self.door_code.text(),
            floor=self.floor.text(),
            access_notes=self.access.text(),
            availability=availability,
            duration_days=self.duration.value() or None,
            discharge_date=to_date(self.discharge) if self.after_stay.isChecked() else None,
            hospital=self.hospital.text() if self.after_stay.isChecked() else "",
            ward=self.ward.text() if self.after_stay.isChecked() else "",
            partner_id=self.partner.currentData(),
            partner_contact_id=self.contact.currentData(),
            discharge_plan_id=self._plan_id,
        )

    def save(self) -> None:
        data = self.value()
        if data is None:
            return
        record = self._store(self._ports.home_care, self.record, data)
        if record is not None:
            self.record = record
            self._done(record)


__all__ = ["HomeCareDialog", "parse_windows"]
