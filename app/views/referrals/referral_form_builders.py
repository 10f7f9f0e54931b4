"""Parts of the referral form (``ReferralDialog``): its context, its fields, the file items
to share and the buttons. Texts keep the dialog's translation context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Compartment, Role
from app.services.accounts.records import UserInfo
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.partners.records import PartnerInfo
from app.services.patient_file.records import ConsentScope, ConsentSummary, NoteView
from app.services.referrals.records import (
    SHARED_ITEM_LABELS,
    URGENCY_LABELS,
    SharedItem,
)
from app.views.common.labels import date_fr
from app.views.common.step_dialog import form_row
from app.views.patient_file.notes_model import excerpt
from app.views.referrals.ports import ReferralViewsPort
from app.views.referrals.referral_reasons import ReasonList

if TYPE_CHECKING:
    from app.views.referrals.referral_dialog import ReferralDialog


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


@dataclass(frozen=True)
class FormContext:
    """What the form offers, read from the services (any thread: no widget here)."""

    consent: ConsentSummary | None = None
    social_workers: list[UserInfo] = field(default_factory=list)
    partners: list[PartnerInfo] = field(default_factory=list)
    notes: list[NoteView] = field(default_factory=list)


def read_context(services: ReferralViewsPort, actor: Actor, patient_id: int) -> FormContext:
    """Consent, social workers, partners, readable liaison notes (each empty when refused)."""
    try:
        consent = services.consents.current(actor, patient_id)
    except RelaisError:
        consent = None
    try:
        social_workers = list(services.accounts.professionals(actor, Role.SOCIAL_WORKER))
    except RelaisError:
        social_workers = []
    try:
        partners = list(services.partners.list(actor))
    except RelaisError:
        partners = []
    try:
        notes = list(services.notes.list(actor, patient_id, Compartment.LIAISON))
    except RelaisError:
        notes = []
    return FormContext(consent, social_workers, partners, notes)


def load_context(dialog: ReferralDialog, context: FormContext | None = None) -> None:
    """What the form offers (read now unless given): consent, social workers, partners,
    readable liaison notes."""
    if context is None:
        context = read_context(dialog._services, dialog._actor, dialog._patient.id)
    dialog.consent = context.consent
    dialog.social_workers = context.social_workers
    dialog.partners = context.partners
    dialog.notes = context.notes


def build_form(dialog: ReferralDialog) -> QFormLayout:
    """Destination (kind, receiver, contact and its hint), reason, urgency, message and the
    orientation guide's rule, each with its error line."""
    translate = QCoreApplication.translate
    dialog.kind = QComboBox()
    dialog.kind.setObjectName("referralKind")
    dialog._fill_kinds()
    dialog.destination = QComboBox()
    dialog.destination.setObjectName("referralDestination")
    dialog.contact = QComboBox()
    dialog.contact.setObjectName("referralContact")
    dialog.destination_hint = QLabel()
    dialog.destination_hint.setObjectName("referralDestinationHint")
    dialog.destination_hint.setWordWrap(True)
    dialog.destination_hint.setStyleSheet("color: #455a64;")
    dialog.reason = ReasonList(dialog)  # parented now: it has the dialog's font when sized
    dialog.reason.setObjectName("referralReason")
    dialog.urgency = QComboBox()
    dialog.urgency.setObjectName("referralUrgency")
    for urgency, label in URGENCY_LABELS.items():
        dialog.urgency.addItem(translate("ReferralDialog", label), str(urgency))
    dialog.message = QPlainTextEdit()
    dialog.message.setObjectName("referralMessage")
    dialog.message.setTabChangesFocus(True)
    dialog.message.setMinimumHeight(72)
    dialog.message.setMaximumHeight(90)
    dialog.message.setPlaceholderText(
        translate(
            "ReferralDialog", "Ce que le destinataire doit savoir pour agir, et rien de plus."
        )
    )
    dialog.rule_label = QLabel()
    dialog.rule_label.setObjectName("referralRule")
    dialog.rule_label.setWordWrap(True)
    dialog.rule_label.hide()
    dialog._rule = ""
    rows: tuple[tuple[str, str, QWidget], ...] = (  # (error key or "", label, field)
        ("destination", translate("ReferralDialog", "Orienter &vers"), dialog.kind),
        ("receiver_id", translate("ReferralDialog", "&Destinataire"), dialog.destination),
        ("partner_contact_id", translate("ReferralDialog", "C&ontact"), dialog.contact),
        ("", "", dialog.destination_hint),
        ("reason", translate("ReferralDialog", "&Motif"), dialog.reason),
        ("urgency", translate("ReferralDialog", "&Urgence"), dialog.urgency),
        ("message", translate("ReferralDialog", "Me&ssage"), dialog.message),
        ("", "", dialog.rule_label),
    )
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    for name, label, widget in rows:
        if name:
            form_row(dialog.errors, form, name, label, widget)
        else:
            form.addRow("", widget)
    dialog.errors.alias("partner_id", "receiver_id")
    return form


def fill_notes(dialog: ReferralDialog) -> None:
    """The liaison notes to join, one check box each (unchecked)."""
    dialog.notes_list.clear()
    for note in dialog.notes:
        entry = QListWidgetItem(
            QCoreApplication.translate("ReferralDialog", "{date} — {author} : {text}").format(
                date=date_fr(note.created_at),
                author=note.author_name,
                text=excerpt(note.text),
            )
        )
        entry.setData(Qt.ItemDataRole.UserRole, note.id)
        entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        entry.setCheckState(Qt.CheckState.Unchecked)
        dialog.notes_list.addItem(entry)


def build_items(dialog: ReferralDialog) -> QGroupBox:
    """The file items to share (check boxes) and the liaison notes to join."""
    intro = QLabel(
        QCoreApplication.translate(
            "ReferralDialog",
            "L'identité du patient et le motif accompagnent toujours l'orientation. Cochés "
            "d'après le motif : gardez seulement ce qui est <b>strictement nécessaire</b>.",
        )
    )
    intro.setWordWrap(True)
    dialog.item_boxes = {}
    items_layout = QVBoxLayout()
    items_layout.addWidget(intro)
    grid = QGridLayout()
    file_items = [i for i in SharedItem if i is not SharedItem.LIAISON_NOTES]
    for n, item in enumerate(file_items):
        box = QCheckBox(QCoreApplication.translate("ReferralDialog", SHARED_ITEM_LABELS[item]))
        box.setObjectName(f"item_{item}")
        dialog.item_boxes[item] = box
        grid.addWidget(box, n // 3, n % 3)
    items_layout.addLayout(grid)
    dialog.notes_label = QLabel(
        QCoreApplication.translate("ReferralDialog", "&Notes de liaison à joindre (une par une) :")
    )
    dialog.notes_list = QListWidget()
    dialog.notes_list.setObjectName("referralNotes")
    dialog.notes_label.setBuddy(dialog.notes_list)
    # Whole notes, wrapped: never behind a horizontal scroll bar.
    dialog.notes_list.setWordWrap(True)
    dialog.notes_list.setResizeMode(QListView.ResizeMode.Adjust)
    dialog.notes_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    dialog.notes_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    dialog.notes_list.setMaximumHeight(100)
    dialog.notes_list.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
    fill_notes(dialog)
    dialog.no_notes = QLabel(
        QCoreApplication.translate(
            "ReferralDialog", "Aucune note de liaison lisible dans ce dossier."
        )
    )
    dialog.no_notes.setStyleSheet("color: #616161;")
    dialog.items_explanation = QLabel()
    dialog.items_explanation.setObjectName("itemsExplanation")
    dialog.items_explanation.setWordWrap(True)
    dialog.items_explanation.setStyleSheet(
        "background: #fff8e1; border: 1px solid #ffb300; padding: 6px;"
    )
    items_layout.addWidget(dialog.notes_label)
    items_layout.addWidget(dialog.notes_list)
    items_layout.addWidget(dialog.no_notes)
    items_layout.addWidget(dialog.items_explanation)
    items_box = QGroupBox(
        QCoreApplication.translate("ReferralDialog", "Éléments du dossier à transmettre")
    )
    items_box.setLayout(items_layout)
    dialog.errors.alias("items", "destination")
    dialog.errors.alias("note_ids", "destination")
    return items_box


def build_buttons(dialog: ReferralDialog) -> QDialogButtonBox:
    """Send (patient agrees), save the draft, the patient refuses, close."""
    box = QDialogButtonBox()
    role = QDialogButtonBox.ButtonRole
    # ActionRole, not AcceptRole: the button box makes an accept button the default one.
    dialog.send_button = box.addButton(
        QCoreApplication.translate("ReferralDialog", "&Envoyer — le patient est d'accord"),
        role.ActionRole,
    )
    dialog.send_button.setObjectName("sendReferralButton")
    dialog.send_button.setToolTip(
        QCoreApplication.translate(
            "ReferralDialog",
            "Envoie l'orientation et note l'accord (oral) du patient à être orienté dans "
            "l'historique de ses consentements.",
        )
    )
    # Not the default button: sending states the patient's agreement, so it takes a
    # deliberate click or Alt+E, never a stray Return in a field.
    dialog.send_button.setAutoDefault(False)
    dialog.draft_button = box.addButton(
        QCoreApplication.translate("ReferralDialog", "Enregistrer le &brouillon"), role.ActionRole
    )
    dialog.draft_button.setObjectName("saveDraftButton")
    dialog.refuse_button = box.addButton(
        QCoreApplication.translate("ReferralDialog", "Le patient &refuse…"), role.ActionRole
    )
    dialog.refuse_button.setObjectName("patientRefusesButton")
    close = box.addButton(QCoreApplication.translate("ReferralDialog", "&Fermer"), role.RejectRole)
    for button in (dialog.draft_button, dialog.refuse_button, close):
        button.setAutoDefault(False)
    close.clicked.connect(dialog.reject)
    dialog.draft_button.clicked.connect(dialog.save_draft)
    dialog.send_button.clicked.connect(lambda: dialog.send_agreed())
    dialog.refuse_button.clicked.connect(dialog.ask_refusal)
    return box
