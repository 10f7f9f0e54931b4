"""« Orienter le patient »: destination, reason, urgency, message, and the items of the file
that go with it — ticked in advance from the reason (the sender's last choices for it), kept
to what is « strictement nécessaire » by the sender, limited by the patient's consent.
« Envoyer — le patient est d'accord » sends and records the agreement in one action; « Le
patient refuse… » ends it as refused; « Enregistrer le brouillon » keeps it for later."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
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
    Proposal,
    Service,
    Situation,
    reasons_for,
)
from app.services.referrals.records import (
    REASON_AXIS,
    REFERRAL_REASON_LABELS,
    SHARED_ITEM_LABELS,
    URGENCY_LABELS,
    ReferralInput,
    ReferralReason,
    ReferralView,
    SharedItem,
    Urgency,
)
from app.views.common.labels import date_fr
from app.views.common.step_dialog import form_row
from app.views.common.widgets import FieldErrors, error_label
from app.views.patient_file.notes_model import excerpt
from app.views.referrals.ports import ReferralViewsPort

CLINIC = "clinic"  # destination kind: the clinic's own social worker


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


REASON_ROLE = Qt.ItemDataRole.UserRole
REASON_ROWS = 6  # the reasons in two columns of six: one click picks one


class ReasonList(QListWidget):
    """The referral reasons, all in sight (two columns): one click picks one, and typing a
    reason's first words finds it (each item is the reason's own words; its axis is in the
    tooltip). The guide's proposals come first, in bold. ``picked`` is a user's choice."""

    picked = Signal(bool)  # by the mouse (True: the message comes next) or the keyboard

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fill(())
        self.itemClicked.connect(lambda _item: self.picked.emit(True))

    def fill(self, proposed: tuple[ReferralReason, ...]) -> None:
        self.blockSignals(True)
        self.clear()
        order = [*proposed, *(r for r in REFERRAL_REASON_LABELS if r not in proposed)]
        for value in order:
            item = QListWidgetItem(REFERRAL_REASON_LABELS[value])
            item.setData(REASON_ROLE, str(value))
            axis = QCoreApplication.translate("ReferralDialog", REASON_AXIS[value])
            tip = f"{REFERRAL_REASON_LABELS[value]} ({axis})"
            if value in proposed:
                font = QFont()
                font.setBold(True)
                item.setFont(font)
                tip += QCoreApplication.translate("ReferralDialog", " — proposé par le guide")
            item.setToolTip(tip)
            self.addItem(item)
        self.setCurrentRow(-1)
        self.blockSignals(False)
        self._apply_grid()

    def _cell(self) -> QSize:
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        texts = [self.item(r).text() for r in range(self.count())] or [""]
        width = max(metrics.horizontalAdvance(text) for text in texts)
        return QSize(width + 24, metrics.height() + 8)  # whole labels, never elided

    def _apply_grid(self) -> None:
        """Two columns, six rows, for the font the list has now: whole labels when there is
        room, otherwise each column half the list (long labels elided, whole in the tooltip)."""
        cell, frame = self._cell(), 2 * self.frameWidth() + 8
        half = max(120, (self.viewport().width() - 4) // 2)
        self.setGridSize(QSize(min(cell.width(), half), cell.height()))
        self.setMinimumWidth(240 + frame)
        self.setFixedHeight(cell.height() * REASON_ROWS + frame)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._apply_grid()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._apply_grid()

    def showEvent(self, event) -> None:  # the font is final once shown
        self._apply_grid()
        super().showEvent(event)

    def keyPressEvent(self, event) -> None:
        """Arrows or a reason's first letters choose it (the focus stays here); Return
        confirms it and goes on to the message (it never presses a dialog button)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentData() is not None:
                self.picked.emit(True)
            event.accept()
            return
        before = self.currentData()
        super().keyPressEvent(event)
        now = self.currentData()
        if now is not None and now != before:
            self.picked.emit(False)

    def currentData(self) -> str | None:
        """The chosen reason (selected, not merely the row the focus landed on)."""
        items = self.selectedItems()
        return items[0].data(REASON_ROLE) if items else None

    def findData(self, value: str) -> int:
        for row in range(self.count()):
            if self.item(row).data(REASON_ROLE) == value:
                return row
        return -1

    def setCurrentIndex(self, row: int) -> None:
        self.blockSignals(True)
        self.setCurrentRow(row)
        self.blockSignals(False)


class ReferralDialog(QDialog):
    """Emits ``saved(ReferralView)`` after each save, send or refusal.

    Choosing the reason ticks the file items it usually needs (the sender's last choices for
    that reason, kept by the service) and moves on to the message; « Envoyer — le patient est
    d'accord » states the patient's agreement and sends in one action."""

    saved = Signal(object)

    def __init__(
        self,
        services: ReferralViewsPort,
        actor: Actor,
        patient: PatientRecord,
        *,
        draft: ReferralView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("referralDialog")
        self.setWindowTitle(self.tr("Orienter {name}").format(name=patient.summary.display_name))
        self._fit_screen(980, 700)
        self._services = services
        self._actor = actor
        self._patient = patient
        self.referral: ReferralView | None = draft
        self.refusal_box: QMessageBox | None = None
        self._load_context()
        self.general_error = error_label()
        self.general_error.setObjectName("referralGeneralError")
        self.errors = FieldErrors(self.general_error)
        form = self._build_form()
        items_box = self._build_items()
        buttons = self._build_buttons()
        # The form scrolls when the screen is small (never clipped); the buttons stay in sight.
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addWidget(items_box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("referralFormScroll")
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.destination.currentIndexChanged.connect(lambda _i: self._destination_changed())
        self.reason.picked.connect(self._reason_chosen)
        self._kind_changed()
        if draft is not None and draft.draft is not None:
            self.fill(draft.draft)
        self.reason.setFocus()

    def _fit_screen(self, width: int, height: int) -> None:
        """Its usual size, or the screen's when smaller (200 % scaling, small laptops): the
        form scrolls inside, the buttons stay in sight."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width, height = min(width, room.width() - 40), min(height, room.height() - 60)
        self.resize(width, height)

    def _load_context(self) -> None:
        services, actor, patient = self._services, self._actor, self._patient
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

    def _build_form(self) -> QFormLayout:
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
        self.reason = ReasonList(self)  # parented now: it has the dialog's font when sized
        self.reason.setObjectName("referralReason")
        self.urgency = QComboBox()
        self.urgency.setObjectName("referralUrgency")
        for urgency, label in URGENCY_LABELS.items():
            self.urgency.addItem(self.tr(label), str(urgency))
        self.message = QPlainTextEdit()
        self.message.setObjectName("referralMessage")
        self.message.setTabChangesFocus(True)
        self.message.setMinimumHeight(72)
        self.message.setMaximumHeight(90)
        self.message.setPlaceholderText(
            self.tr("Ce que le destinataire doit savoir pour agir, et rien de plus.")
        )
        self.rule_label = QLabel()
        self.rule_label.setObjectName("referralRule")
        self.rule_label.setWordWrap(True)
        self.rule_label.hide()
        self._rule = ""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        e = self.errors
        form_row(e, form, "destination", self.tr("Orienter &vers"), self.kind)
        form_row(e, form, "receiver_id", self.tr("&Destinataire"), self.destination)
        e.alias("partner_id", "receiver_id")
        form_row(e, form, "partner_contact_id", self.tr("C&ontact"), self.contact)
        form.addRow("", self.destination_hint)
        form_row(e, form, "reason", self.tr("&Motif"), self.reason)
        form_row(e, form, "urgency", self.tr("&Urgence"), self.urgency)
        form_row(e, form, "message", self.tr("Me&ssage"), self.message)
        form.addRow("", self.rule_label)
        self._form = form
        return form

    def _build_items(self) -> QGroupBox:
        intro = QLabel(
            self.tr(
                "L'identité du patient et le motif accompagnent toujours l'orientation. Cochés "
                "d'après le motif : gardez seulement ce qui est <b>strictement nécessaire</b>."
            )
        )
        intro.setWordWrap(True)
        self.item_boxes: dict[SharedItem, QCheckBox] = {}
        items_layout = QVBoxLayout()
        items_layout.addWidget(intro)
        grid = QGridLayout()
        file_items = [i for i in SharedItem if i is not SharedItem.LIAISON_NOTES]
        for n, item in enumerate(file_items):
            box = QCheckBox(self.tr(SHARED_ITEM_LABELS[item]))
            box.setObjectName(f"item_{item}")
            self.item_boxes[item] = box
            grid.addWidget(box, n // 3, n % 3)
        items_layout.addLayout(grid)
        self.notes_label = QLabel(self.tr("&Notes de liaison à joindre (une par une) :"))
        self.notes_list = QListWidget()
        self.notes_list.setObjectName("referralNotes")
        self.notes_label.setBuddy(self.notes_list)
        # Whole notes, wrapped: never behind a horizontal scroll bar.
        self.notes_list.setWordWrap(True)
        self.notes_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.notes_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notes_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.notes_list.setMaximumHeight(100)
        self.notes_list.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
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
        self.errors.alias("items", "destination")
        self.errors.alias("note_ids", "destination")
        return items_box

    def _build_buttons(self) -> QDialogButtonBox:
        box = QDialogButtonBox()
        role = QDialogButtonBox.ButtonRole
        # ActionRole, not AcceptRole: the button box makes an accept button the default one.
        self.send_button = box.addButton(
            self.tr("&Envoyer — le patient est d'accord"), role.ActionRole
        )
        self.send_button.setObjectName("sendReferralButton")
        self.send_button.setToolTip(
            self.tr(
                "Envoie l'orientation et note l'accord (oral) du patient à être orienté dans "
                "l'historique de ses consentements."
            )
        )
        # Not the default button: sending states the patient's agreement, so it takes a
        # deliberate click or Alt+E, never a stray Return in a field.
        self.send_button.setAutoDefault(False)
        self.draft_button = box.addButton(self.tr("Enregistrer le &brouillon"), role.ActionRole)
        self.draft_button.setObjectName("saveDraftButton")
        self.refuse_button = box.addButton(self.tr("Le patient &refuse…"), role.ActionRole)
        self.refuse_button.setObjectName("patientRefusesButton")
        close = box.addButton(self.tr("&Fermer"), role.RejectRole)
        for button in (self.draft_button, self.refuse_button, close):
            button.setAutoDefault(False)
        close.clicked.connect(self.reject)
        self.draft_button.clicked.connect(self.save_draft)
        self.send_button.clicked.connect(lambda: self.send_agreed())
        self.refuse_button.clicked.connect(self.ask_refusal)
        return box

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
        # A partner's contact only: the clinic's social worker is named already.
        self._form.setRowVisible(self.contact.parentWidget(), partner is not None)
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
        proposed = reasons_for(situation)
        self.reason.fill(proposed)
        self.set_reason(proposed[0])
        urgency = Urgency.EMERGENCY if situation.emergency or proposal.urgent else Urgency.NORMAL
        self.urgency.setCurrentIndex(self.urgency.findData(str(urgency)))
        self._rule = proposal.rule
        self.rule_label.setText(
            self.tr("Proposé par le guide d'orientation (règle {code}) : {reason}").format(
                code=proposal.rule, reason=proposal.reason
            )
        )
        self.rule_label.show()

    def set_reason(self, reason: ReferralReason, *, with_defaults: bool = True) -> None:
        self.reason.setCurrentIndex(self.reason.findData(str(reason)))
        if with_defaults:
            self.apply_item_defaults()

    def _reason_chosen(self, by_mouse: bool) -> None:
        """Chosen by the user: tick what the reason needs; after a click, on to the message."""
        if self.reason.currentData() is None:
            return
        self.apply_item_defaults()
        if by_mouse:
            self.message.setFocus(Qt.FocusReason.OtherFocusReason)

    def apply_item_defaults(self) -> None:
        """Tick the items the reason usually needs (the sender's last choices for it)."""
        reason = self.reason.currentData()
        if reason is None:
            return
        try:
            chosen = self._services.referrals.item_defaults(self._actor, reason)
        except RelaisError:
            return
        for item, box in self.item_boxes.items():
            box.setChecked(box.isEnabled() and item in chosen)

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
        self.set_reason(ReferralReason(data.reason), with_defaults=False)
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

    def send_agreed(self) -> None:
        """« Envoyer — le patient est d'accord »: saved, then sent with the agreement."""
        if self._store() is not None:
            self.send(True)

    def ask_refusal(self) -> None:
        """The patient refuses to be referred: confirmed once, then recorded and counted."""
        if self._store() is None:
            return
        box = QMessageBox(self)
        box.setObjectName("patientRefusalBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Refus du patient"))
        box.setText(self.tr("Le patient refuse d'être orienté ?"))
        box.setInformativeText(
            self.tr(
                "L'orientation est close comme refusée par le patient (le refus est enregistré "
                "et compté)."
            )
        )
        self.confirm_refusal = box.addButton(
            self.tr("&Oui, le patient refuse"), QMessageBox.ButtonRole.YesRole
        )
        box.addButton(self.tr("&Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.refusal_box = box
        box.buttonClicked.connect(
            lambda button: self.send(False) if button is self.confirm_refusal else None
        )
        box.finished.connect(lambda _r: setattr(self, "refusal_box", None))
        box.open()

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
