"""One open patient file: identity header and one tab per compartment the role may read."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.clock import clinic_today
from app.models.enums import Compartment
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, ValidationError
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import COMPARTMENT_LABELS
from app.services.kernel.timefmt import local
from app.services.patient_file.records import ConsentScope, ConsentSummary, PatientRecord
from app.views.admin.admin_tab import AdministrativeTab
from app.views.agenda.agenda_patient import AppointmentsTab
from app.views.common.labels import age_label, date_fr, nir_display, status_label
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import error_label
from app.views.home_care.home_care_tab import HomeCareTab
from app.views.home_care.ports import HomeCarePorts
from app.views.patient_file.consent_panel import ConsentsTab, consent_glance
from app.views.patient_file.documents_tab import DocumentsTab
from app.views.patient_file.form_ports import ConsentPorts, IdentityPorts
from app.views.patient_file.history_tab import HistoryTab
from app.views.patient_file.identity_form import IdentityDialog
from app.views.patient_file.notes_tab import NotesTab
from app.views.ports import ServicesPort
from app.views.referrals.orientation_dialog import OrientationGuideDialog
from app.views.referrals.referral_dialog import ReferralDialog
from app.views.referrals.referrals_view import ReferralsTab
from app.views.social.consultation_screen import (
    SOCIAL_FOLLOW_UP_TAB,
    SocialFollowUpTab,
)
from app.views.social.ports import SocialPorts

HISTORY_TAB = "history"
DOCUMENTS_TAB = "documents"
CONSENTS_TAB = "consents"
REFERRALS_TAB = "referrals"
HOME_CARE_TAB = "home_care"
APPOINTMENTS_TAB = "appointments"
LIAISON_NO_CONSENT = QT_TRANSLATE_NOOP(
    "PatientFileWidget",
    "Le patient n'a pas donné son accord au partage entre médecins et assistante sociale (ou "
    "l'a retiré) : vous ne voyez que vos propres notes de liaison, et aucune nouvelle note ne "
    "peut être partagée. Recueillez son consentement dans l'onglet « Consentements ».",
)
EXCEPTIONAL_PREFIX = "exceptional:"
EXCEPTIONAL_CHECK_MS = 30_000
MIN_JUSTIFICATION = 15


def _local_time(moment: datetime) -> str:
    value = local(moment) if moment.tzinfo else moment
    return value.strftime("%H:%M")


class ExceptionalAccessDialog(QDialog):
    """Compartment, justification (15 characters at least) and a plain warning."""

    def __init__(self, offered: list[Compartment], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exceptionalDialog")
        self.setWindowTitle(self.tr("Accès exceptionnel"))
        self.setMinimumWidth(560)
        warning = QLabel(
            self.tr(
                "<b>Réservé à une urgence.</b> Vous allez ouvrir un volet que votre rôle ne "
                "donne pas. Cet accès est <b>limité dans le temps</b>, <b>tracé dans le journal "
                "d'audit</b> avec votre justification, et <b>les professionnels titulaires de ce "
                "volet en sont informés</b> dans leurs messages."
            )
        )
        warning.setObjectName("exceptionalWarning")
        warning.setWordWrap(True)
        warning.setStyleSheet(
            "background: #fff3e0; border: 1px solid #e65100; padding: 8px; color: #3e2723;"
        )
        self.compartment = QComboBox()
        self.compartment.setObjectName("exceptionalCompartment")
        for compartment in offered:
            self.compartment.addItem(self.tr(COMPARTMENT_LABELS[compartment]), compartment)
        self.justification = QPlainTextEdit()
        self.justification.setObjectName("exceptionalJustification")
        self.justification.setPlaceholderText(
            self.tr("ex. : patient inconscient aux urgences, besoin des antécédents…")
        )
        self.justification.setFixedHeight(90)
        self.error = error_label()
        self.error.setObjectName("exceptionalError")
        form = QFormLayout()
        form.addRow(self.tr("Volet"), self.compartment)
        form.addRow(self.tr("Justification"), self.justification)
        self.ok = QPushButton(self.tr("Ouvrir en accès exceptionnel"))
        self.ok.setObjectName("exceptionalConfirm")
        cancel = QPushButton(self.tr("Annuler"))
        cancel.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        cancel.clicked.connect(self.reject)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class PatientFileWidget(QWidget):
    """Built from a record already read by the caller (so opening errors surface there)."""

    title_changed = Signal(str)
    open_patient = Signal(int)

    def __init__(
        self,
        services: ServicesPort,
        actor: Actor,
        record: PatientRecord,
        *,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("patientFile")
        self._services = services
        self._actor = actor
        self._runner = runner
        self.record = record
        self.read_only = record.archived
        self.identity_dialog: IdentityDialog | None = None
        self.exceptional_dialog: ExceptionalAccessDialog | None = None
        self.exceptional_tabs: dict[Compartment, NotesTab] = {}
        self.exceptional_until: dict[Compartment, datetime] = {}

        self.name_label = QLabel()
        self.name_label.setObjectName("patientName")
        self.name_label.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label = QLabel()
        self.details_label.setObjectName("patientDetails")
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.archived_banner = QLabel(
            self.tr(
                "Dossier archivé — lecture seule. Il n'apparaît plus dans les listes du "
                "quotidien ; la coordination peut le désarchiver si le patient revient."
            )
        )
        self.archived_banner.setObjectName("archivedBanner")
        self.archived_banner.setWordWrap(True)
        self.archived_banner.setStyleSheet(
            "background: #eceff1; border: 1px solid #607d8b; padding: 6px; font-weight: 600;"
        )
        self.archived_banner.setVisible(record.archived)
        self.consent_label = QLabel()
        self.consent_label.setObjectName("consentGlance")
        self.consent_label.setTextFormat(Qt.TextFormat.RichText)
        self.consent_label.setWordWrap(True)
        self.consent_label.setToolTip(
            self.tr("Consentement actuel du patient (détail : onglet « Consentements »)")
        )
        self.consent: ConsentSummary | None = None
        self.guide_dialog: OrientationGuideDialog | None = None
        self.referral_dialog: ReferralDialog | None = None
        can_refer = (
            policy.allows(actor.role, Resource.REFERRAL_CONTENT, Action.WRITE, is_party=True)
            and not self.read_only
        )
        self.orient_button = QPushButton(self.tr("Orienter…"))
        self.orient_button.setObjectName("orientPatientButton")
        self.orient_button.setAutoDefault(False)
        self.orient_button.setToolTip(
            self.tr("Guide d'orientation : le bon service selon la situation, puis l'orientation.")
        )
        self.orient_button.setVisible(can_refer)
        self.orient_button.clicked.connect(self.open_guide)
        try:
            offered = list(services.exceptional.offered(actor))
        except RelaisError:
            offered = []
        self._offered = offered
        self.exceptional_button = QPushButton(self.tr("Accès exceptionnel…"))
        self.exceptional_button.setObjectName("exceptionalButton")
        self.exceptional_button.setAutoDefault(False)
        self.exceptional_button.setToolTip(
            self.tr("En cas d'urgence : ouvrir un volet que votre rôle ne donne pas (tracé).")
        )
        self.exceptional_button.setVisible(bool(offered))
        self.exceptional_button.clicked.connect(self.ask_exceptional)
        self.exceptional_timer = QTimer(self)
        self.exceptional_timer.setInterval(EXCEPTIONAL_CHECK_MS)
        self.exceptional_timer.timeout.connect(self.refresh_exceptional)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("compartmentTabs")
        self.notes_tabs: dict[Compartment, NotesTab] = {}
        self.admin_tab: AdministrativeTab | None = None
        readable = policy.readable_compartments(actor.role)
        writable = policy.writable_compartments(actor.role)
        for compartment in readable:
            label = self.tr(COMPARTMENT_LABELS[compartment])
            if compartment == Compartment.ADMINISTRATIVE:
                self.admin_tab = AdministrativeTab(
                    can_edit=compartment in writable and not self.read_only
                )
                self.admin_tab.edit_requested.connect(self.edit_identity)
                self.tabs.addTab(self.admin_tab, label)
            else:
                tab = NotesTab(
                    services.notes,
                    actor,
                    record.id,
                    compartment,
                    can_write=compartment in writable and not self.read_only,
                )
                tab.changed.connect(self.refresh_history)
                self.notes_tabs[compartment] = tab
                self.tabs.addTab(tab, label)
            self.tabs.widget(self.tabs.count() - 1).setProperty("compartment", str(compartment))
        # The social worker's « Suivi social » (assessment, action plan): her tab only.
        self.social_tab: SocialFollowUpTab | None = None
        if services.consultations.can_consult(actor):
            self.social_tab = SocialFollowUpTab(
                SocialPorts.of(services), actor, record, read_only=self.read_only
            )
            self.social_tab.setProperty("compartment", SOCIAL_FOLLOW_UP_TAB)
            self.social_tab.changed.connect(self._documents_changed)
            self.tabs.addTab(self.social_tab, self.tr("Suivi social"))
        self.consents_tab: ConsentsTab | None = None
        if policy.allows(actor.role, Resource.CONSENT, Action.READ):
            self.consents_tab = ConsentsTab(
                ConsentPorts.of(services), actor, record.id, read_only=self.read_only, runner=runner
            )
            self.consents_tab.setProperty("compartment", CONSENTS_TAB)
            self.consents_tab.changed.connect(self._consent_changed)
            self.tabs.addTab(self.consents_tab, self.tr("Consentements"))
        self.referrals_tab: ReferralsTab | None = None
        if (
            policy.allows(actor.role, Resource.REFERRAL, Action.READ)
            and policy.scope_of(actor.role, Resource.REFERRAL, Action.READ)
            is not policy.Scope.AGGREGATE
        ):
            self.referrals_tab = ReferralsTab(services, actor, record, read_only=self.read_only)
            self.referrals_tab.setProperty("compartment", REFERRALS_TAB)
            self.referrals_tab.guide_requested.connect(self.open_guide)
            self.referrals_tab.new_requested.connect(lambda: self.open_referral_dialog())
            self.referrals_tab.edit_requested.connect(
                lambda view: self.open_referral_dialog(draft=view)
            )
            self.referrals_tab.changed.connect(self._archived_elsewhere)
            self.tabs.addTab(self.referrals_tab, self.tr("Orientations"))
        self.home_care_tab: HomeCareTab | None = None
        if policy.allows(actor.role, Resource.HOME_CARE, Action.READ):
            self.home_care_tab = HomeCareTab(
                HomeCarePorts.of(services), actor, record, read_only=self.read_only, runner=runner
            )
            self.home_care_tab.setProperty("compartment", HOME_CARE_TAB)
            self.home_care_tab.changed.connect(self._archived_elsewhere)
            self.tabs.addTab(self.home_care_tab, self.tr("Soins à domicile"))
        self.appointments_tab: AppointmentsTab | None = None
        if policy.allows(actor.role, Resource.APPOINTMENT, Action.READ):
            self.appointments_tab = AppointmentsTab(
                services, actor, record, read_only=self.read_only
            )
            self.appointments_tab.setProperty("compartment", APPOINTMENTS_TAB)
            self.appointments_tab.changed.connect(self._archived_elsewhere)
            self.tabs.addTab(self.appointments_tab, self.tr("Rendez-vous"))
        self.documents_tab = DocumentsTab(
            services.documents, actor, record.id, record.summary.display_name
        )
        self.documents_tab.setProperty("compartment", DOCUMENTS_TAB)
        self.documents_tab.changed.connect(self._documents_changed)
        self.tabs.addTab(self.documents_tab, self.tr("Documents"))
        self.history_tab = HistoryTab()
        self.history_tab.setProperty("compartment", HISTORY_TAB)
        self._history_loaded = False
        self.tabs.addTab(self.history_tab, self.tr("Historique"))
        self.tabs.currentChanged.connect(self._tab_changed)

        top = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.name_label)
        names.addWidget(self.details_label)
        names.addWidget(self.consent_label)
        top.addLayout(names, 1)
        top.addWidget(self.orient_button, alignment=Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.exceptional_button, alignment=Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.archived_banner)
        layout.addWidget(self.tabs, 1)
        self.show_record(record)
        self.refresh_consent()
        if offered:
            self.refresh_exceptional()

    # ---- display ------------------------------------------------------------------------
    @property
    def patient_id(self) -> int:
        return self.record.id

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def tab_keys(self) -> list[str]:
        return [str(self.tabs.widget(i).property("compartment")) for i in range(self.tabs.count())]

    def short_title(self) -> str:
        r = self.record
        return f"{(r.used_name or r.birth_name).upper()} {r.first_names.split(' ')[0]}"

    def show_record(self, record: PatientRecord) -> None:
        self.record = record
        self.name_label.setText(record.summary.display_name)
        parts = [
            self.tr("né(e) le {date} ({age})").format(
                date=date_fr(record.birth_date),
                age=age_label(record.birth_date, clinic_today(self._services.clock)),
            ),
            self.tr("NIR {nir}").format(nir=nir_display(record.nir))
            if record.nir
            else self.tr("NIR non renseigné"),
            status_label(record.identity_status),
        ]
        if record.archived:
            parts.append(self.tr("dossier archivé"))
        self.details_label.setText(" · ".join(parts))
        if self.admin_tab is not None:
            self.admin_tab.show_record(record)
        self.title_changed.emit(self.short_title())

    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if isinstance(
            widget,
            NotesTab | DocumentsTab | ConsentsTab | ReferralsTab | SocialFollowUpTab | HomeCareTab,
        ):
            widget.ensure_loaded()
        elif widget is self.history_tab and not self._history_loaded:
            self.refresh_history()

    def refresh_history(self) -> None:
        try:
            items = self._services.patients.history(self._actor, self.record.id)
        except RelaisError:
            items = []
        self._history_loaded = True
        self.history_tab.show_items(items)

    def select_tab(self, key: str) -> bool:
        for i in range(self.tabs.count()):
            if self.tabs.widget(i).property("compartment") == key:
                self.tabs.setCurrentIndex(i)
                return True
        return False

    def _documents_changed(self) -> None:
        if self._history_loaded:
            self.refresh_history()

    def _archived_elsewhere(self) -> None:
        """A consent form or a referral document was archived from another tab."""
        if self.documents_tab.loaded:
            self.documents_tab.reload()
        self._documents_changed()

    # ---- consent ------------------------------------------------------------------------
    def refresh_consent(self) -> None:
        """The header's one line, and the liaison tab's notice without active consent."""
        try:
            self.consent = self._services.consents.current(self._actor, self.record.id)
        except RelaisError:
            self.consent = None
        self.consent_label.setText(consent_glance(self.consent))
        self.consent_label.setVisible(self.consent is not None)
        liaison = self.notes_tabs.get(Compartment.LIAISON)
        if liaison is not None:
            active = self.consent is not None and self.consent.is_active(ConsentScope.LIAISON)
            liaison.set_notice(None if active else self.tr(LIAISON_NO_CONSENT), can_add=active)

    def _consent_changed(self) -> None:
        self.refresh_consent()
        liaison = self.notes_tabs.get(Compartment.LIAISON)
        if liaison is not None and liaison.loaded:
            liaison.reload()
        if self.referrals_tab is not None and self.referrals_tab.isVisible():
            self.referrals_tab.reload()
        self._archived_elsewhere()

    # ---- orientation --------------------------------------------------------------------
    def open_guide(self) -> None:
        if self.guide_dialog is not None:
            self.guide_dialog.raise_()
            return
        dialog = OrientationGuideDialog(
            self.record.birth_date, today=clinic_today(self._services.clock), parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.guide_dialog = dialog
        dialog.chosen.connect(
            lambda proposal, situation: self.open_referral_dialog(
                proposal=proposal, situation=situation
            )
        )
        dialog.finished.connect(lambda _r: setattr(self, "guide_dialog", None))
        dialog.open()

    def open_referral_dialog(self, *, draft=None, proposal=None, situation=None) -> None:
        if self.referral_dialog is not None:
            self.referral_dialog.raise_()
            return
        dialog = ReferralDialog(self._services, self._actor, self.record, draft=draft, parent=self)
        if proposal is not None and situation is not None:
            dialog.prefill(proposal, situation)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.referral_dialog = dialog
        dialog.saved.connect(self._referral_saved)
        dialog.finished.connect(lambda _r: setattr(self, "referral_dialog", None))
        dialog.open()

    def _referral_saved(self, view) -> None:
        if self.referrals_tab is not None:
            self.select_tab(REFERRALS_TAB)
            self.referrals_tab.reload(select_id=view.id)
        self.refresh_consent()  # sending records the patient's agreement (or refusal)
        if self._history_loaded:
            self.refresh_history()

    def open_referral(self, referral_id: int) -> bool:
        if self.referrals_tab is None:
            return False
        self.select_tab(REFERRALS_TAB)
        return self.referrals_tab.select_referral(referral_id)

    # ---- exceptional access -------------------------------------------------------------
    def ask_exceptional(self) -> None:
        if self.exceptional_dialog is not None:
            self.exceptional_dialog.raise_()
            return
        offered = [c for c in self._offered if c not in self.exceptional_tabs]
        if not offered:
            return
        dialog = ExceptionalAccessDialog(offered, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.exceptional_dialog = dialog
        dialog.ok.clicked.connect(self._start_exceptional)
        dialog.finished.connect(lambda _r: setattr(self, "exceptional_dialog", None))
        dialog.open()

    def _start_exceptional(self) -> None:
        dialog = self.exceptional_dialog
        if dialog is None:
            return
        text = dialog.justification.toPlainText().strip()
        if len(text) < MIN_JUSTIFICATION:
            dialog.show_error(
                self.tr(
                    "Expliquez en quelques mots l'urgence qui justifie cet accès "
                    "({n} caractères au moins)."
                ).format(n=MIN_JUSTIFICATION)
            )
            return
        compartment = Compartment(dialog.compartment.currentData())
        try:
            access = self._services.exceptional.start(
                self._actor, self.record.id, compartment, text
            )
        except ValidationError as exc:
            dialog.show_error("\n".join(exc.fields.values()))
            return
        except RelaisError as exc:
            dialog.show_error(exc.message)
            return
        dialog.accept()
        self._show_exceptional(compartment, access.expires_at)
        self.select_tab(EXCEPTIONAL_PREFIX + str(compartment))
        if self._history_loaded:
            self.refresh_history()

    def _exceptional_title(self, compartment: Compartment, until: datetime) -> str:
        return self.tr("{part} — Accès exceptionnel — jusqu'à {time}").format(
            part=self.tr(COMPARTMENT_LABELS[compartment]), time=_local_time(until)
        )

    def _show_exceptional(self, compartment: Compartment, until: datetime) -> None:
        self.exceptional_until[compartment] = until
        tab = self.exceptional_tabs.get(compartment)
        if tab is None:
            tab = NotesTab(
                self._services.notes, self._actor, self.record.id, compartment, can_write=False
            )
            tab.setProperty("compartment", EXCEPTIONAL_PREFIX + str(compartment))
            tab.setStyleSheet("QWidget#" + tab.objectName() + " { background: #fff3e0; }")
            self.exceptional_tabs[compartment] = tab
            index = self.tabs.insertTab(self.tabs.indexOf(self.documents_tab), tab, "")
            self.tabs.tabBar().setTabTextColor(index, QColor("#b71c1c"))
        index = self.tabs.indexOf(tab)
        self.tabs.setTabText(index, self._exceptional_title(compartment, until))
        self.tabs.setTabToolTip(
            index,
            self.tr("Accès exceptionnel tracé ; les titulaires du volet en sont informés."),
        )
        self.exceptional_button.setVisible(
            any(c not in self.exceptional_tabs for c in self._offered)
        )
        if not self.exceptional_timer.isActive():
            self.exceptional_timer.start()

    def refresh_exceptional(self) -> None:
        """Show the accesses still running; remove the tabs of those that expired."""
        try:
            active = {
                Compartment(a.compartment): a.expires_at
                for a in self._services.exceptional.active(self._actor, self.record.id)
            }
        except RelaisError:
            active = {}
        for compartment in list(self.exceptional_tabs):
            if compartment not in active:
                tab = self.exceptional_tabs.pop(compartment)
                self.exceptional_until.pop(compartment, None)
                self.tabs.removeTab(self.tabs.indexOf(tab))
                tab.deleteLater()
        for compartment, until in active.items():
            self._show_exceptional(compartment, until)
        self.exceptional_button.setVisible(
            any(c not in self.exceptional_tabs for c in self._offered)
        )
        if not self.exceptional_tabs:
            self.exceptional_timer.stop()

    # ---- drafts -------------------------------------------------------------------------
    def has_draft(self) -> bool:
        return any(tab.has_draft for tab in self.notes_tabs.values())

    # ---- identity -----------------------------------------------------------------------
    def edit_identity(self) -> None:
        if self.read_only:
            return
        if self.identity_dialog is not None:
            self.identity_dialog.raise_()
            return
        dialog = IdentityDialog(IdentityPorts.of(self._services), self._actor, self.record, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.identity_dialog = dialog
        dialog.saved.connect(self._identity_saved)
        dialog.open_existing.connect(self.open_patient)
        dialog.finished.connect(lambda _result: setattr(self, "identity_dialog", None))
        dialog.open()

    def _identity_saved(self, record: PatientRecord) -> None:
        self.show_record(record)
        if self._history_loaded:
            self.refresh_history()
