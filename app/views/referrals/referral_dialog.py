"""« Orienter le patient »: destination, reason, urgency, message, and the items of the file
that go with it, ticked one by one by the sender (« strictement nécessaire »), limited by the
patient's consent. « Enregistrer le brouillon » or « Envoyer » (after asking whether the
patient agrees to be referred)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Compartment, Role
from app.services.accounts.records import UserInfo
from app.services.kernel.actor import Actor
from app.services.kernel.errors import ConflictError, RelaisError, ValidationError
from app.services.partners.records import PARTNER_KIND_LABELS, PartnerInfo
from app.services.patient_file.records import ConsentScope, ConsentSummary, NoteView, PatientRecord
from app.services.referrals.orientation_guide import (
    ORIENTATION_KIND,
    Need,
    Proposal,
    Service,
    Situation,
)
from app.services.referrals.records import (
    REFERRAL_REASON_LABELS,
    SHARED_ITEM_LABELS,
    URGENCY_LABELS,
    ReferralInput,
    ReferralReason,
    ReferralView,
    SharedItem,
    Urgency,
    reason_title,
)
from app.views.common.labels import date_fr
from app.views.common.widgets import FieldErrors, error_label
from app.views.patient_file.notes_model import excerpt
from app.views.ports import ServicesPort

CLINIC = "clinic"  # destination kind: the clinic's own social worker
# The guide's needs and the referral's reason categories (first match in this order).
NEED_REASON: dict[Need, ReferralReason] = {
    Need.DOMESTIC_VIOLENCE: ReferralReason.DOMESTIC_VIOLENCE,
    Need.CHILD_IN_DANGER: ReferralReason.CHILD_IN_DANGER,
    Need.HOMELESS: ReferralReason.HOUSING,
    Need.RETURN_HOME: ReferralReason.RETURN_HOME,
    Need.JOB_RETENTION: ReferralReason.JOB_RETENTION,
    Need.AUTONOMY: ReferralReason.AUTONOMY,
    Need.DISABILITY: ReferralReason.AUTONOMY,
    Need.HEALTH_COVERAGE: ReferralReason.HEALTH_COVERAGE,
    Need.CARE_COST: ReferralReason.CARE_COST,
    Need.FAMILY: ReferralReason.FAMILY_CHILD_CARE,
    Need.HOUSING: ReferralReason.HOUSING,
    Need.RESOURCES: ReferralReason.RESOURCES,
    Need.EMPLOYMENT: ReferralReason.JOB_RETENTION,
}


def reason_for(situation: Situation) -> ReferralReason:
    for need, reason in NEED_REASON.items():
        if need in situation.needs:
            return reason
    if situation.sick_leave_days or situation.invalidity:
        return ReferralReason.JOB_RETENTION
    return ReferralReason.OTHER


def items_consent(consent: ConsentSummary | None) -> tuple[bool, str]:
    """(liaison notes allowed, French explanation when not). The file items travel with the
    patient's agreement to be referred (asked at sending); liaison notes need the liaison
    consent, as the referral service checks again."""
    if consent is None:
        return False, QCoreApplication.translate(
            "ReferralDialog", "Le consentement du patient n'a pas pu être lu : aucune note jointe."
        )
    if consent.is_active(ConsentScope.LIAISON):
        return True, ""
    return (
        False,
        QCoreApplication.translate(
            "ReferralDialog",
            "Notes de liaison : le patient n'a pas donné (ou a retiré) son accord au partage entre "
            "médecins et assistante sociale. Recueillez-le dans l'onglet « Consentements » pour "
            "pouvoir en joindre.",
        ),
    )


class ReferralDialog(QDialog):
    """Emits ``saved(ReferralView)`` after each save, send or refusal."""

    saved = Signal(object)

    def __init__(
        self,
        services: ServicesPort,
        actor: Actor,
        patient: PatientRecord,
        *,
        draft: ReferralView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("referralDialog")
        self.setWindowTitle(self.tr("Orienter {name}").format(name=patient.summary.display_name))
        self.resize(900, 780)
        self._services = services
        self._actor = actor
        self._patient = patient
        self.referral: ReferralView | None = draft
        self.agreement_box: QMessageBox | None = None
        try:
            self.consent: ConsentSummary | None = services.consents.current(actor, patient.id)
        except RelaisError:
            self.consent = None
        try:
            self.social_workers: list[UserInfo] = services.accounts.professionals(
                actor, Role.SOCIAL_WORKER
            )
        except RelaisError:
            self.social_workers = []
        try:
            self.partners: list[PartnerInfo] = services.partners.list(actor)
        except RelaisError:
            self.partners = []
        try:
            self.notes: list[NoteView] = list(
                services.notes.list(actor, patient.id, Compartment.LIAISON)
            )
        except RelaisError:
            self.notes = []

        self.general_error = error_label()
        self.general_error.setObjectName("referralGeneralError")
        self.errors = FieldErrors(self.general_error)
        # ---- destination ---------------------------------------------------------------
        self.kind = QComboBox()
        self.kind.setObjectName("referralKind")
        self.kind.addItem(self.tr("Assistante sociale de la maison de santé"), CLINIC)
        kinds = {p.kind for p in self.partners}
        for kind, label in PARTNER_KIND_LABELS.items():
            if kind in kinds:
                self.kind.addItem(self.tr(label), str(kind))
        self.destination = QComboBox()
        self.destination.setObjectName("referralDestination")
        self.contact = QComboBox()
        self.contact.setObjectName("referralContact")
        self.destination_hint = QLabel()
        self.destination_hint.setObjectName("referralDestinationHint")
        self.destination_hint.setWordWrap(True)
        self.destination_hint.setStyleSheet("color: #455a64;")
        # ---- reason --------------------------------------------------------------------
        self.reason = QComboBox()
        self.reason.setObjectName("referralReason")
        self.reason.addItem(self.tr("— choisir —"), None)
        for reason in REFERRAL_REASON_LABELS:
            self.reason.addItem(reason_title(reason), str(reason))
        self.urgency = QComboBox()
        self.urgency.setObjectName("referralUrgency")
        for urgency, label in URGENCY_LABELS.items():
            self.urgency.addItem(self.tr(label), str(urgency))
        self.message = QPlainTextEdit()
        self.message.setObjectName("referralMessage")
        self.message.setMinimumHeight(110)
        self.message.setMaximumHeight(200)
        self.message.setPlaceholderText(
            self.tr("Ce que le destinataire doit savoir pour agir, et rien de plus.")
        )
        self.rule_label = QLabel()
        self.rule_label.setObjectName("referralRule")
        self.rule_label.setWordWrap(True)
        self.rule_label.hide()
        self._rule = ""
        form = QFormLayout()
        e = self.errors
        e.add_row(form, "destination", self.tr("Orienter vers"), self.kind)
        e.add_row(form, "receiver_id", self.tr("Destinataire"), self.destination)
        e.alias("partner_id", "receiver_id")
        e.add_row(form, "partner_contact_id", self.tr("Contact"), self.contact)
        form.addRow("", self.destination_hint)
        e.add_row(form, "reason", self.tr("Motif"), self.reason)
        e.add_row(form, "urgency", self.tr("Urgence"), self.urgency)
        e.add_row(form, "message", self.tr("Message"), self.message)
        form.addRow("", self.rule_label)

        # ---- shared items --------------------------------------------------------------
        intro = QLabel(
            self.tr(
                "L'identité du patient et le motif accompagnent toujours l'orientation. Cochez "
                "seulement ce qui est <b>strictement nécessaire</b> au destinataire."
            )
        )
        intro.setWordWrap(True)
        self.item_boxes: dict[SharedItem, QCheckBox] = {}
        items_layout = QVBoxLayout()
        items_layout.addWidget(intro)
        grid = QHBoxLayout()
        columns = [QVBoxLayout(), QVBoxLayout()]
        file_items = [i for i in SharedItem if i is not SharedItem.LIAISON_NOTES]
        for n, item in enumerate(file_items):
            box = QCheckBox(self.tr(SHARED_ITEM_LABELS[item]))
            box.setObjectName(f"item_{item}")
            self.item_boxes[item] = box
            columns[n % 2].addWidget(box)
        for column in columns:
            column.addStretch(1)
            grid.addLayout(column, 1)
        items_layout.addLayout(grid)
        self.notes_label = QLabel(self.tr("Notes de liaison à joindre (une par une) :"))
        self.notes_list = QListWidget()
        self.notes_list.setObjectName("referralNotes")
        self.notes_list.setMaximumHeight(110)
        for note in self.notes:
            entry = QListWidgetItem(
                self.tr("{date} — {author} : {text}").format(
                    date=date_fr(note.created_at.date()),
                    author=note.author_name,
                    text=excerpt(note.text),
                )
            )
            entry.setData(Qt.ItemDataRole.UserRole, note.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.notes_list.addItem(entry)
        self.no_notes = QLabel(self.tr("Aucune note de liaison lisible dans ce dossier."))
        self.no_notes.setStyleSheet("color: #616161;")
        self.items_explanation = QLabel()
        self.items_explanation.setObjectName("itemsExplanation")
        self.items_explanation.setWordWrap(True)
        self.items_explanation.setStyleSheet(
            "background: #fff8e1; border: 1px solid #ffb300; padding: 6px;"
        )
        items_layout.addWidget(self.notes_label)
        items_layout.addWidget(self.notes_list)
        items_layout.addWidget(self.no_notes)
        items_layout.addWidget(self.items_explanation)
        items_box = QGroupBox(self.tr("Éléments du dossier à transmettre"))
        items_box.setLayout(items_layout)
        e.alias("items", "destination")
        e.alias("note_ids", "destination")

        # ---- buttons -------------------------------------------------------------------
        self.draft_button = QPushButton(self.tr("Enregistrer le brouillon"))
        self.draft_button.setObjectName("saveDraftButton")
        self.send_button = QPushButton(self.tr("Envoyer…"))
        self.send_button.setObjectName("sendReferralButton")
        self.send_button.setDefault(True)
        cancel = QPushButton(self.tr("Fermer"))
        cancel.setAutoDefault(False)
        self.draft_button.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_error, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.draft_button)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(items_box)
        layout.addLayout(buttons)

        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.destination.currentIndexChanged.connect(lambda _i: self._destination_changed())
        self.draft_button.clicked.connect(self.save_draft)
        self.send_button.clicked.connect(self.ask_send)
        self._kind_changed()
        if draft is not None and draft.draft is not None:
            self.fill(draft.draft)

    # ---- destination --------------------------------------------------------------------
    def to_clinic(self) -> bool:
        return self.kind.currentData() == CLINIC

    def _kind_changed(self) -> None:
        self.destination.blockSignals(True)
        self.destination.clear()
        if self.to_clinic():
            for user in self.social_workers:
                self.destination.addItem(user.display_name, user.id)
            hint = (
                ""
                if self.social_workers
                else self.tr("Aucun compte d'assistante sociale actif dans la maison de santé.")
            )
        else:
            kind = self.kind.currentData()
            for partner in self.partners:
                if str(partner.kind) == kind:
                    self.destination.addItem(partner.display_name, partner.id)
            hint = ""
        self.destination.blockSignals(False)
        self.destination_hint.setText(hint)
        self.destination_hint.setVisible(bool(hint))
        self._destination_changed()

    def partner(self) -> PartnerInfo | None:
        if self.to_clinic():
            return None
        pid = self.destination.currentData()
        return next((p for p in self.partners if p.id == pid), None)

    def _destination_changed(self) -> None:
        partner = self.partner()
        self.contact.clear()
        self.contact.addItem(self.tr("le service (pas de contact nommé)"), None)
        if partner is not None:
            for contact in partner.contacts:
                if contact.active:
                    title = f" — {contact.title}" if contact.title else ""
                    self.contact.addItem(contact.name + title, contact.id)
        self.contact.setEnabled(partner is not None and self.contact.count() > 1)
        if partner is not None:
            text = " · ".join(
                x
                for x in (
                    partner.phone,
                    partner.email,
                    ", ".join(partner.communes),
                    partner.handles,
                )
                if x
            )
            self.destination_hint.setText(text)
            self.destination_hint.setVisible(bool(text))
        self._update_items()

    def _update_items(self) -> None:
        notes_allowed, why = items_consent(self.consent)
        self.notes_list.setEnabled(notes_allowed)
        if not notes_allowed:
            for row in range(self.notes_list.count()):
                self.notes_list.item(row).setCheckState(Qt.CheckState.Unchecked)
        has_notes = self.notes_list.count() > 0
        self.notes_list.setVisible(has_notes)
        self.no_notes.setVisible(not has_notes)
        self.items_explanation.setText(self.tr(why))
        self.items_explanation.setVisible(bool(why))

    def select_kind(self, kind: str) -> bool:
        index = self.kind.findData(kind)
        if index < 0:
            return False
        self.kind.setCurrentIndex(index)
        return True

    def select_destination(self, ident: int | None) -> None:
        index = self.destination.findData(ident)
        if index >= 0:
            self.destination.setCurrentIndex(index)

    # ---- pre-filling --------------------------------------------------------------------
    def prefill(self, proposal: Proposal, situation: Situation) -> None:
        """From the orientation guide: destination, reason, urgency and the rule."""
        if proposal.service is Service.CARSAT:
            self.select_kind(CLINIC)
        else:
            kind = ORIENTATION_KIND.get(proposal.service)
            if kind is None or not self.select_kind(str(kind)):
                self.destination_hint.setText(
                    self.tr(
                        "Aucun partenaire « {service} » dans l'annuaire : ajoutez-le dans "
                        "l'annuaire des partenaires, ou choisissez un autre destinataire."
                    ).format(service=proposal.label)
                )
                self.destination_hint.show()
        self.set_reason(reason_for(situation))
        urgency = Urgency.EMERGENCY if situation.emergency or proposal.urgent else Urgency.NORMAL
        self.urgency.setCurrentIndex(self.urgency.findData(str(urgency)))
        self._rule = proposal.rule
        self.rule_label.setText(
            self.tr("Proposé par le guide d'orientation (règle {code}) : {reason}").format(
                code=proposal.rule, reason=proposal.reason
            )
        )
        self.rule_label.show()

    def set_reason(self, reason: ReferralReason) -> None:
        self.reason.setCurrentIndex(self.reason.findData(str(reason)))

    def fill(self, data: ReferralInput) -> None:
        if data.receiver_id is not None:
            self.select_kind(CLINIC)
            self.select_destination(data.receiver_id)
        elif data.partner_id is not None:
            partner = next((p for p in self.partners if p.id == data.partner_id), None)
            if partner is not None:
                self.select_kind(str(partner.kind))
                self.select_destination(partner.id)
                index = self.contact.findData(data.partner_contact_id)
                if index >= 0:
                    self.contact.setCurrentIndex(index)
        self.set_reason(ReferralReason(data.reason))
        self.urgency.setCurrentIndex(self.urgency.findData(str(data.urgency)))
        self.message.setPlainText(data.message)
        for item, box in self.item_boxes.items():
            box.setChecked(box.isEnabled() and item in data.items)
        for row in range(self.notes_list.count()):
            entry = self.notes_list.item(row)
            chosen = entry.data(Qt.ItemDataRole.UserRole) in data.note_ids
            if chosen and self.notes_list.isEnabled():
                entry.setCheckState(Qt.CheckState.Checked)
        self._rule = data.orientation_rule

    # ---- input --------------------------------------------------------------------------
    def checked_notes(self) -> tuple[int, ...]:
        return tuple(
            self.notes_list.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.notes_list.count())
            if self.notes_list.item(r).checkState() == Qt.CheckState.Checked
        )

    def set_note_checked(self, note_id: int, checked: bool = True) -> None:
        for row in range(self.notes_list.count()):
            entry = self.notes_list.item(row)
            if entry.data(Qt.ItemDataRole.UserRole) == note_id:
                entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def referral_input(self) -> ReferralInput | None:
        errors: dict[str, str] = {}
        if self.destination.currentData() is None:
            errors["receiver_id"] = self.tr("Choisissez le destinataire de l'orientation.")
        if self.reason.currentData() is None:
            errors["reason"] = self.tr("Choisissez le motif de l'orientation.")
        if errors:
            self.errors.show(errors)
            return None
        items = frozenset(i for i, box in self.item_boxes.items() if box.isChecked())
        notes = self.checked_notes()
        if notes:
            items |= {SharedItem.LIAISON_NOTES}
        clinic = self.to_clinic()
        return ReferralInput(
            patient_id=self._patient.id,
            reason=ReferralReason(self.reason.currentData()),
            urgency=Urgency(self.urgency.currentData()),
            message=self.message.toPlainText(),
            receiver_id=self.destination.currentData() if clinic else None,
            partner_id=None if clinic else self.destination.currentData(),
            partner_contact_id=None if clinic else self.contact.currentData(),
            items=items,
            note_ids=notes,
            orientation_rule=self._rule,
        )

    # ---- actions ------------------------------------------------------------------------
    def _store(self) -> ReferralView | None:
        data = self.referral_input()
        if data is None:
            return None
        referrals = self._services.referrals
        try:
            if self.referral is None:
                view = referrals.create(self._actor, data)
            else:
                view = referrals.update_draft(
                    self._actor, self.referral.id, data, self.referral.version
                )
        except ValidationError as exc:
            self.errors.show(exc.fields)
            return None
        except ConflictError as exc:
            self.errors.show_general(exc.message)
            return None
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            return None
        self.errors.clear()
        self.referral = view
        self.saved.emit(view)
        return view

    def save_draft(self) -> None:
        if self._store() is not None:
            self.accept()

    def ask_send(self) -> None:
        if self._store() is None:
            return
        box = QMessageBox(self)
        box.setObjectName("patientAgreementBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Accord du patient"))
        box.setText(self.tr("Le patient est-il d'accord pour être orienté ?"))
        box.setInformativeText(
            self.tr(
                "« Non » clôt cette orientation comme refusée par le patient (le refus est "
                "enregistré et compté)."
            )
        )
        self.yes_button = box.addButton(self.tr("Oui, envoyer"), QMessageBox.ButtonRole.YesRole)
        self.no_button = box.addButton(
            self.tr("Non, le patient refuse"), QMessageBox.ButtonRole.NoRole
        )
        box.addButton(self.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.agreement_box = box
        box.buttonClicked.connect(self._agreement)
        box.finished.connect(lambda _r: setattr(self, "agreement_box", None))
        box.open()

    def _agreement(self, button) -> None:
        if button is self.yes_button:
            self.send(True)
        elif button is self.no_button:
            self.send(False)

    def send(self, patient_agrees: bool) -> None:
        if self.referral is None:
            return
        try:
            view = self._services.referrals.send(
                self._actor, self.referral.id, patient_agrees=patient_agrees
            )
        except ValidationError as exc:
            self.errors.show(exc.fields)
            return
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            return
        self.referral = view
        self.saved.emit(view)
        self.accept()
