"""« Orienter le patient »: destination, reason, urgency, message, and the items of the file
that go with it — ticked in advance from the reason (the sender's last choices for it), kept
to what is « strictement nécessaire » by the sender, limited by the patient's consent.
« Envoyer — le patient est d'accord » sends and records the agreement in one action; « Le
patient refuse… » ends it as refused; « Enregistrer le brouillon » keeps it for later."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.accounts.records import UserInfo
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.partners.records import PARTNER_KIND_LABELS, PartnerInfo
from app.services.patient_file.records import ConsentSummary, NoteView, PatientRecord
from app.services.referrals.orientation_guide import (
    ORIENTATION_KIND,
    Proposal,
    Service,
    Situation,
    reasons_for,
)
from app.services.referrals.records import (
    URGENCY_LABELS,
    ReferralInput,
    ReferralReason,
    ReferralView,
    SharedItem,
    Urgency,
)
from app.views.common.step_dialog import form_row
from app.views.common.steps import run_step
from app.views.common.tasks import runner_of
from app.views.common.widgets import FieldErrors, error_label
from app.views.referrals.ports import ReferralViewsPort
from app.views.referrals.referral_form_builders import (
    FormContext,
    build_buttons,
    build_items,
    fill_notes,
    items_consent,
    load_context,
    read_context,
)
from app.views.referrals.referral_reasons import REASON_ROLE, REASON_ROWS, ReasonList

# Moved to their own modules (size rules); still importable from here.
__all__ = [
    "CLINIC",
    "REASON_ROLE",
    "REASON_ROWS",
    "ReasonList",
    "ReferralDialog",
    "items_consent",
]

T = TypeVar("T")
CLINIC = "clinic"  # destination kind: the clinic's own social worker


class ReferralDialog(QDialog):
    """Emits ``saved(ReferralView)`` after each save, send or refusal.

    Choosing the reason ticks the file items it usually needs (the sender's last choices for
    that reason, kept by the service) and moves on to the message; « Envoyer — le patient est
    d'accord » states the patient's agreement and sends in one action."""

    saved = Signal(object)
    # Set by the builders of referral_form_builders.
    consent: ConsentSummary | None
    social_workers: list[UserInfo]
    partners: list[PartnerInfo]
    notes: list[NoteView]
    item_boxes: dict[SharedItem, QCheckBox]
    notes_label: QLabel
    notes_list: QListWidget
    no_notes: QLabel
    items_explanation: QLabel
    send_button: QPushButton
    draft_button: QPushButton
    refuse_button: QPushButton

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
        self._draft = draft
        self._prefill: tuple[Proposal, Situation] | None = None
        self._defaults = 0  # the latest reading of a reason's usual items
        self._defaults_for: str | None = None  # the reason they were read for
        # With the window's task runner the form's context is read there: the dialog shows
        # at once, its lists fill (and its buttons wake) when the read ends.
        self._runner = runner_of(parent)
        self.loading = self._runner is not None
        load_context(self, FormContext() if self.loading else None)
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
        if self.loading:
            self._read_context()
        elif draft is not None and draft.draft is not None:
            self.fill(draft.draft)
        self.reason.setFocus()

    def _read_context(self) -> None:
        services, actor, patient_id = self._services, self._actor, self._patient.id
        run_step(
            lambda: read_context(services, actor, patient_id),
            None,
            self.errors.show_general,
            runner=self._runner,
            done=self._context_read,
            busy=self._action_buttons(),
            write=False,
            owner=self,
        )

    def _action_buttons(self) -> list[QPushButton]:
        return [self.send_button, self.draft_button, self.refuse_button]

    def _context_read(self, context: FormContext) -> None:
        """The form's lists, once read: destinations, notes, then the draft or the guide's
        proposal (the reason and text typed meanwhile are kept)."""
        self.loading = False
        load_context(self, context)
        self._fill_kinds()
        fill_notes(self)
        self._kind_changed()
        if self._draft is not None and self._draft.draft is not None:
            self.fill(self._draft.draft)
        elif self._prefill is not None:
            self.prefill(*self._prefill)
        elif self.reason.currentData() is not None:
            self.apply_item_defaults()

    def _fit_screen(self, width: int, height: int) -> None:
        """Its usual size, or the screen's when smaller (200 % scaling, small laptops): the
        form scrolls inside, the buttons stay in sight."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width, height = min(width, room.width() - 40), min(height, room.height() - 60)
        self.resize(width, height)

    def _fill_kinds(self) -> None:
        blocked = self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(self.tr("Assistante sociale de la maison de santé"), CLINIC)
        kinds = {p.kind for p in self.partners}
        for kind, label in PARTNER_KIND_LABELS.items():
            if kind in kinds:
                self.kind.addItem(self.tr(label), str(kind))
        self.kind.blockSignals(blocked)

    def _build_form(self) -> QFormLayout:
        self.kind = QComboBox()
        self.kind.setObjectName("referralKind")
        self._fill_kinds()
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
        return build_items(self)

    def _build_buttons(self) -> QDialogButtonBox:
        return build_buttons(self)

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
        """From the orientation guide: destination, reason, urgency and the rule (again
        once the destinations are read, when they are read on the task runner)."""
        self._prefill = (proposal, situation)
        if self.loading:
            return
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
        reason = self.reason.currentData()
        if reason is None:
            return
        if reason != self._defaults_for:  # confirming the reason ticked already: kept as is
            self.apply_item_defaults()
        if by_mouse:
            self.message.setFocus(Qt.FocusReason.OtherFocusReason)

    def apply_item_defaults(self) -> None:
        """Tick the items the reason usually needs (the sender's last choices for it; read
        on the task runner when there is one, the send buttons waiting meanwhile)."""
        reason = self.reason.currentData()
        if reason is None or self.loading:
            return  # after loading, the chosen reason's items are ticked
        self._defaults += 1
        self._defaults_for = reason
        asked, referrals, actor = self._defaults, self._services.referrals, self._actor
        run_step(
            lambda: referrals.item_defaults(actor, reason),
            None,
            lambda _message: None,  # no usual items: nothing ticked
            runner=self._runner,
            done=lambda chosen: self._tick_defaults(asked, chosen),
            busy=self._action_buttons(),
            write=False,
            owner=self,
        )

    def _tick_defaults(self, asked: int, chosen: frozenset[SharedItem]) -> None:
        if asked != self._defaults:  # another reason was chosen meanwhile
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
    def _storing(self) -> Callable[[], ReferralView] | None:
        """The call saving the form (a new draft or the draft's new version), None when a
        field is missing (said under it)."""
        data = self.referral_input()
        if data is None:
            return None
        referrals, current, actor = self._services.referrals, self.referral, self._actor
        if current is None:
            return lambda: referrals.create(actor, data)
        return lambda: referrals.update_draft(actor, current.id, data, current.version)

    def _store(self, then: Callable[[ReferralView], object] | None = None) -> None:
        """Save the form (on the task runner when there is one), then ``then(view)``."""
        store = self._storing()
        if store is not None:
            self._run(store, lambda view: self._stored(view, then))

    def _run(self, call: Callable[[], T], done: Callable[[T], object]) -> None:
        """A write of the form on the task runner (the form's buttons waiting meanwhile);
        its refusal under its fields or above the buttons."""
        run_step(
            call,
            None,
            self.errors.show_general,
            refused=lambda error: self.errors.succeeds(lambda: _raise(error)),
            runner=self._runner,
            done=done,
            busy=self._action_buttons(),
            owner=self,
        )

    def _stored(self, view: ReferralView, then: Callable[[ReferralView], object] | None) -> None:
        self.errors.clear()
        self.referral = view
        self.saved.emit(view)
        if then is not None:
            then(view)

    def save_draft(self) -> None:
        self._store(lambda _view: self.accept())

    def send_agreed(self) -> None:
        """« Envoyer — le patient est d'accord »: saved, then sent with the agreement, in one
        task (a refused sending keeps the saved draft, its reason shown)."""
        store = self._storing()
        if store is None:
            return
        referrals, actor = self._services.referrals, self._actor

        def work() -> tuple[ReferralView, ReferralView | None, RelaisError | None]:
            stored = store()
            try:
                return stored, referrals.send(actor, stored.id, patient_agrees=True), None
            except RelaisError as exc:
                return stored, None, exc

        self._run(work, self._sent_agreed)

    def _sent_agreed(
        self, outcome: tuple[ReferralView, ReferralView | None, RelaisError | None]
    ) -> None:
        stored, sent, error = outcome
        if sent is None:
            self.referral = stored
            self.saved.emit(stored)
            self.errors.succeeds(lambda: _raise(error))
            return
        self.errors.clear()
        self._sent(sent)

    def ask_refusal(self) -> None:
        """The patient refuses to be referred: confirmed once, then recorded and counted."""
        self._store(lambda _view: self._ask_refusal())

    def _ask_refusal(self) -> None:
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
        referrals, actor, referral_id = self._services.referrals, self._actor, self.referral.id
        self._run(
            lambda: referrals.send(actor, referral_id, patient_agrees=patient_agrees), self._sent
        )

    def _sent(self, view: ReferralView) -> None:
        self.referral = view
        self.saved.emit(view)
        self.accept()


def _raise(error: BaseException | None) -> None:
    if error is not None:
        raise error
