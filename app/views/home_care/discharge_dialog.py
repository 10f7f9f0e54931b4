"""The discharge plan dialog: target date, stay, destination, aids with the ARDH check shown
live (verdict and reasons, from ``home_care_rules.ardh_check``), child care, equipment and the
follow-up dates (J+7 and J+90 after the target date until the user changes them)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
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
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.home_care.records import DischargePlanInput, DischargePlanRecord, FollowUpInput
from app.services.home_care.rules import (
    AID_LABELS,
    ARDH_MIN_AGE,
    DESTINATION_LABELS,
    EQUIPMENT_SUGGESTIONS,
    FOLLOW_UP_DEFAULT_DAYS,
    ArdhVerdict,
    Destination,
    ardh_check,
    follow_up_label,
)
from app.services.kernel.actor import Actor
from app.services.patient_file.records import PatientRecord
from app.views.common.clock import today
from app.views.common.forms import align_labels, date_edit, line, qdate, to_date
from app.views.common.widgets import error_label
from app.views.home_care.form_dialog import HomeCareFormDialog
from app.views.home_care.ports import HomeCarePorts

VERDICT_COLORS = {
    ArdhVerdict.ELIGIBLE: "#1b5e20",
    ArdhVerdict.NOT_ELIGIBLE: "#b00020",
    ArdhVerdict.UNKNOWN: "#e65100",
}

if TYPE_CHECKING:
    from app.views.ports import ServicesPort


class FollowUpRow(QWidget):
    removed = Signal(object)

    def __init__(self, due: date, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.due = date_edit("followUpDate")
        self.due.setDate(qdate(due))
        self.label = QLineEdit(label)
        self.label.setObjectName("followUpLabel")
        self.due.setAccessibleName(self.tr("Date de suivi"))
        self.label.setAccessibleName(self.tr("Objet du suivi"))
        remove = QPushButton(self.tr("Retirer"))
        remove.setAutoDefault(False)
        remove.clicked.connect(lambda: self.removed.emit(self))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.due)
        row.addWidget(self.label, 1)
        row.addWidget(remove)

    def value(self) -> FollowUpInput:
        return FollowUpInput(to_date(self.due), self.label.text())


class DischargeDialog(HomeCareFormDialog):
    def __init__(
        self,
        ports: HomeCarePorts | ServicesPort,
        actor: Actor,
        patient: PatientRecord,
        *,
        plan: DischargePlanRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ports, actor, patient, name="dischargeDialog", parent=parent)
        self.plan = plan
        self.setWindowTitle(
            self.tr("Plan de sortie d'hospitalisation")
            if plan is None
            else self.tr("Modifier le plan de sortie")
        )
        self.resize(860, 880)
        self._layout(
            self._build_stay(),
            self._build_aids(),
            self._build_ardh(),
            self._build_other(),
            self._build_follow_ups(),
        )
        self._fill(plan, today(self._ports.clock))
        self.target.dateChanged.connect(lambda _d: self._target_changed())
        for widget in (self.destination, self.retired, self.gir):
            widget.currentIndexChanged.connect(lambda _i: self.refresh_ardh())
        for box in self.aid_boxes.values():
            box.toggled.connect(lambda _on: self.refresh_ardh())
        self.refresh_ardh()

    # ---- building -----------------------------------------------------------------------
    def _build_stay(self) -> QFormLayout:
        stay = QFormLayout()
        self.target = date_edit("targetDate")
        self.with_admission = QCheckBox(self.tr("Hospitalisé(e) depuis le"))
        self.with_admission.setObjectName("withAdmission")
        self.admitted = date_edit("admittedOn")
        admission = QWidget()
        row = QHBoxLayout(admission)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.with_admission)
        row.addWidget(self.admitted)
        row.addStretch(1)
        self.hospital = line("planHospital", self.tr("Établissement"))
        self.ward = line("planWard", self.tr("Service"))
        self.destination = QComboBox()
        self.destination.setObjectName("destination")
        for d in Destination:
            self.destination.addItem(self.tr(DESTINATION_LABELS[d]), str(d))
        self.destination_detail = line("destinationDetail", self.tr("Nom de l'établissement…"))
        self.errors.add_row(stay, "target_date", self.tr("Sortie prévue le"), self.target)
        self.errors.add_row(stay, "admitted_on", self.tr("Entrée"), admission)
        self.errors.add_row(stay, "hospital", self.tr("Établissement"), self.hospital)
        self.errors.add_row(stay, "ward", self.tr("Service"), self.ward)
        self.errors.add_row(stay, "destination", self.tr("Destination"), self.destination)
        self.errors.add_row(
            stay, "destination_detail", self.tr("Précision"), self.destination_detail
        )
        return stay

    def _build_aids(self) -> QGroupBox:
        aids_box = QGroupBox(self.tr("Aides"))
        aids = QGridLayout(aids_box)
        self.aid_boxes: dict[str, QCheckBox] = {}
        for i, (code, label) in enumerate(AID_LABELS.items()):
            box = QCheckBox(self.tr(label))
            box.setObjectName(f"aid_{code}")
            self.aid_boxes[code] = box
            aids.addWidget(box, i // 2, i % 2)
        return aids_box

    def _build_ardh(self) -> QGroupBox:
        ardh_form = QFormLayout()
        self.retired = QComboBox()
        self.retired.setObjectName("retired")
        for label, value in (
            (self.tr("Non renseigné"), None),
            (self.tr("Oui"), True),
            (self.tr("Non (autre régime, ou en activité)"), False),
        ):
            self.retired.addItem(label, value)
        self.gir = QComboBox()
        self.gir.setObjectName("gir")
        self.gir.addItem(self.tr("Non renseigné"), None)
        for g in range(1, 7):
            self.gir.addItem(f"GIR {g}", g)
        self.errors.add_row(
            ardh_form, "retired", self.tr("Retraité(e) du régime général"), self.retired
        )
        self.errors.add_row(ardh_form, "gir", self.tr("Autonomie (GIR)"), self.gir)
        self.ardh_verdict = QLabel()
        self.ardh_verdict.setObjectName("ardhVerdict")
        self.ardh_reasons = QLabel()
        self.ardh_reasons.setObjectName("ardhReasons")
        self.ardh_reasons.setWordWrap(True)
        ardh_box = QGroupBox(
            self.tr("Aide au retour à domicile après hospitalisation (ARDH, CARSAT)")
        )
        ardh_column = QVBoxLayout(ardh_box)
        ardh_column.addLayout(ardh_form)
        ardh_column.addWidget(self.ardh_verdict)
        ardh_column.addWidget(self.ardh_reasons)
        note = QLabel(
            self.tr(
                "Règle : retraité(e) du régime général, {age} ans ou plus, GIR 5 ou 6, retour à "
                "domicile, sans APA ni HAD ; aide de 3 mois au plus, montant plafonné."
            ).format(age=ARDH_MIN_AGE)
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #455a64;")
        ardh_column.addWidget(note)
        return ardh_box

    def _build_other(self) -> QFormLayout:
        other = QFormLayout()
        self.child_care = QPlainTextEdit()
        self.child_care.setObjectName("childCare")
        self.child_care.setMaximumHeight(60)
        self.child_care.setPlaceholderText(self.tr("Garde des enfants pendant l'hospitalisation"))
        equipment = QWidget()
        grid = QGridLayout(equipment)
        grid.setContentsMargins(0, 0, 0, 0)
        self.equipment_boxes: dict[str, QCheckBox] = {}
        for i, label in enumerate(EQUIPMENT_SUGGESTIONS):
            box = QCheckBox(self.tr(label))
            self.equipment_boxes[label] = box
            grid.addWidget(box, i // 3, i % 3)
        self.other_equipment = line("otherEquipment", self.tr("Autre équipement (virgules)"))
        grid.addWidget(self.other_equipment, 3, 0, 1, 3)
        self.comments = QPlainTextEdit()
        self.comments.setObjectName("planComments")
        self.comments.setMaximumHeight(60)
        self.errors.add_row(other, "child_care", self.tr("Garde d'enfants"), self.child_care)
        self.errors.add_row(other, "equipment", self.tr("Équipement"), equipment)
        self.errors.add_row(other, "comments", self.tr("Commentaire"), self.comments)
        return other

    def _build_follow_ups(self) -> QGroupBox:
        follow_box = QGroupBox(self.tr("Dates de suivi (rappels dans vos messages)"))
        self.follow_column = QVBoxLayout(follow_box)
        self.follow_rows: list[FollowUpRow] = []
        add = QPushButton(self.tr("Ajouter une date de suivi"))
        add.setObjectName("addFollowUp")
        add.setAutoDefault(False)
        add.clicked.connect(lambda: self.add_follow_up(to_date(self.target) + timedelta(days=30)))
        self.follow_error = error_label()
        self.follow_error.setObjectName("error_follow_ups")
        self.errors.labels["follow_ups"] = self.follow_error
        self.follow_column.addWidget(self.follow_error)
        self.follow_column.addWidget(add)
        return follow_box

    def _layout(
        self,
        stay: QFormLayout,
        aids_box: QGroupBox,
        ardh_box: QGroupBox,
        other: QFormLayout,
        follow_box: QGroupBox,
    ) -> None:
        column = self._scrolling_layout(self.tr("&Enregistrer"), "saveDischargePlan")
        align_labels(stay, other)
        box = QGroupBox(self.tr("Séjour et destination"))
        box.setLayout(stay)
        column.addWidget(box)
        column.addWidget(aids_box)
        column.addWidget(ardh_box)
        box = QGroupBox(self.tr("Organisation"))
        box.setLayout(other)
        column.addWidget(box)
        column.addWidget(follow_box)

    def _fill(self, plan: DischargePlanRecord | None, today: date) -> None:
        data = plan.as_input() if plan else None
        self.target.setDate(qdate(data.target_date if data else today + timedelta(days=3)))
        self.with_admission.setChecked(bool(data and data.admitted_on))
        self.admitted.setDate(qdate(data.admitted_on if data and data.admitted_on else today))
        if data:
            self.hospital.setText(data.hospital)
            self.ward.setText(data.ward)
            self.destination.setCurrentIndex(self.destination.findData(str(data.destination)))
            self.destination_detail.setText(data.destination_detail)
            for code in data.aids:
                if code in self.aid_boxes:
                    self.aid_boxes[code].setChecked(True)
            self.retired.setCurrentIndex({None: 0, True: 1, False: 2}[data.retired])
            self.gir.setCurrentIndex(self.gir.findData(data.gir) if data.gir else 0)
            self.child_care.setPlainText(data.child_care)
            extra = []
            for item in data.equipment:
                if item in self.equipment_boxes:
                    self.equipment_boxes[item].setChecked(True)
                else:
                    extra.append(item)
            self.other_equipment.setText(", ".join(extra))
            self.comments.setPlainText(data.comments)
        self._defaults = plan is None
        if plan is None:
            self._set_default_follow_ups()
        else:
            for f in data.follow_ups or ():
                self.add_follow_up(f.due_on, f.label)

    # ---- follow-ups -------------------------------------------------------------------------
    def add_follow_up(self, due: date, label: str = "") -> FollowUpRow:
        row = FollowUpRow(due, label)
        row.removed.connect(self._remove_follow_up)
        row.due.dateChanged.connect(lambda _d: setattr(self, "_defaults", False))
        self.follow_rows.append(row)
        self.follow_column.insertWidget(len(self.follow_rows) - 1, row)
        return row

    def _remove_follow_up(self, row: FollowUpRow) -> None:
        self.follow_rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self._defaults = False

    def _set_default_follow_ups(self) -> None:
        for row in list(self.follow_rows):
            self.follow_rows.remove(row)
            row.setParent(None)
            row.deleteLater()
        target = to_date(self.target)
        for days in FOLLOW_UP_DEFAULT_DAYS:
            self.add_follow_up(target + timedelta(days=days), follow_up_label(days))
        self._defaults = True

    def _target_changed(self) -> None:
        if self._defaults:
            self._set_default_follow_ups()
        self.refresh_ardh()

    # ---- ARDH ---------------------------------------------------------------------------
    def aids(self) -> tuple[str, ...]:
        return tuple(code for code, box in self.aid_boxes.items() if box.isChecked())

    def refresh_ardh(self) -> None:
        result = ardh_check(
            retired=self.retired.currentData(),
            birth_date=self._patient.birth_date,
            gir=self.gir.currentData(),
            destination=self.destination.currentData(),
            target_date=to_date(self.target),
            aids=self.aids(),
        )
        self.ardh = result
        color = VERDICT_COLORS[result.verdict]
        self.ardh_verdict.setText(f"<b style='color:{color}'>{result.label}</b>")
        lines = list(result.reasons)
        if result.missing:
            lines.append(self.tr("À renseigner : {x}.").format(x=", ".join(result.missing)))
        self.ardh_reasons.setText("\n".join(lines))

    # ---- saving -------------------------------------------------------------------------
    def value(self) -> DischargePlanInput:
        equipment = [label for label, box in self.equipment_boxes.items() if box.isChecked()]
        equipment += [x.strip() for x in self.other_equipment.text().split(",") if x.strip()]
        return DischargePlanInput(
            patient_id=self._patient.id,
            target_date=to_date(self.target),
            destination=self.destination.currentData(),
            hospital=self.hospital.text(),
            ward=self.ward.text(),
            admitted_on=to_date(self.admitted) if self.with_admission.isChecked() else None,
            destination_detail=self.destination_detail.text(),
            aids=self.aids(),
            retired=self.retired.currentData(),
            gir=self.gir.currentData(),
            child_care=self.child_care.toPlainText(),
            equipment=tuple(equipment),
            comments=self.comments.toPlainText(),
            follow_ups=tuple(row.value() for row in self.follow_rows),
        )

    def save(self) -> None:
        plan = self._store(self._ports.discharge, self.plan, self.value())
        if plan is not None:
            self.plan = plan
            self._done(plan)
