"""One open patient file: identity header and one tab per compartment the role may read.

Tabs are built when first shown (``LazyTabs``) and their lists read a page at a time. What
the actor may do comes from one service call (``patient_file.capabilities``). Changes — this
file's own or the hub's (``app.views.common.data_changed``) — refresh only the tabs already
read that show what changed, never a note being typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.clock import clinic_today
from app.models.enums import Compartment
from app.services.kernel.actor import Actor
from app.services.kernel.change_kinds import AGENDA_KINDS, REFERRAL_KINDS
from app.services.kernel.errors import RelaisError
from app.services.kernel.records import COMPARTMENT_LABELS
from app.services.patient_file.records import (
    ConsentScope,
    ConsentSummary,
    PatientFileCapabilities,
    PatientRecord,
)
from app.views.admin.admin_tab import AdministrativeTab
from app.views.agenda.agenda_patient import AppointmentsTab
from app.views.common.responsive import size_to_current_page
from app.views.common.tasks import TaskRunner
from app.views.home_care.home_care_tab import HomeCareTab
from app.views.patient_file.consent_panel import ConsentsTab, consent_glance
from app.views.patient_file.documents_tab import DocumentsTab
from app.views.patient_file.exceptional import ExceptionalAccessDialog, ExceptionalTabs
from app.views.patient_file.file_header import FileHeader
from app.views.patient_file.history_tab import HistoryTab
from app.views.patient_file.identity_form import IdentityDialog
from app.views.patient_file.lazy_tabs import LazyTabs
from app.views.patient_file.notes_tab import NotesTab
from app.views.patient_file.orientation import (
    Orientation,
    OrientationGuideDialog,
    ReferralDialog,
)
from app.views.patient_file.ports import PatientFilePort
from app.views.ports import ServicesPort
from app.views.referrals.referrals_view import ReferralsTab
from app.views.social.consultation_screen import SOCIAL_FOLLOW_UP_TAB, can_consult
from app.views.social.follow_up_tab import SocialFollowUpTab

__all__ = ["ExceptionalAccessDialog", "PatientFileWidget"]

ADMINISTRATIVE_TAB = str(Compartment.ADMINISTRATIVE)
HISTORY_TAB = "history"
DOCUMENTS_TAB = "documents"
CONSENTS_TAB = "consents"
REFERRALS_TAB = "referrals"
HOME_CARE_TAB = "home_care"
APPOINTMENTS_TAB = "appointments"
HOME_CARE_KINDS = frozenset(
    {"home_care_request", "home_care_event", "discharge_plan", "discharge_follow_up"}
)
SOCIAL_KINDS = frozenset({"social_assessment", "social_action", "consultation_session"})
T = TypeVar("T")
EVERYTHING: frozenset[str] = frozenset()  # refresh_tabs(EVERYTHING): every tab already read
LIAISON_NO_CONSENT = QT_TRANSLATE_NOOP(
    "PatientFileWidget",
    "Le patient n'a pas donné son accord au partage entre médecins et assistante sociale (ou "
    "l'a retiré) : vous ne voyez que vos propres notes de liaison, et aucune nouvelle note ne "
    "peut être partagée. Recueillez son consentement dans l'onglet « Consentements ».",
)


class FileServices(ServicesPort, Protocol):
    """The window's services as the file screen sees them (its own port included)."""

    @property
    def patient_file(self) -> PatientFilePort: ...


def _loaded(tab: Any) -> bool:
    return tab is not None and bool(getattr(tab, "loaded", False) or getattr(tab, "_loaded", False))


def _wanted(kinds: frozenset[str], wanted: Iterable[str]) -> bool:
    return not kinds or not kinds.isdisjoint(wanted)


class _Tab(Generic[T]):
    """A file's tab by key, built on first access (None when the role does not see it)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, file: PatientFileWidget | None, owner: type) -> T | None:
        return None if file is None else file.lazy.widget(self.key)  # type: ignore[return-value]


class PatientFileWidget(QWidget):
    """Built from a record already read by the caller (so opening errors surface there)."""

    title_changed = Signal(str)
    open_patient = Signal(int)

    def __init__(
        self,
        services: FileServices,
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
        self.can: PatientFileCapabilities = services.patient_file.capabilities(actor, record)
        self._offered = list(self.can.exceptional_offered)
        self.identity_dialog: IdentityDialog | None = None
        self.orientation = Orientation(self, services, actor, lambda: self.record)
        self.orientation.saved.connect(self._referral_saved)
        self.consent: ConsentSummary | None = None
        self._fresh: set[QWidget | None] = set()  # refreshed by this file's own change
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_header())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("compartmentTabs")
        self.lazy = LazyTabs(self.tabs)
        self._add_tabs()
        layout.addWidget(self.tabs, 1)
        size_to_current_page(self.tabs)
        self.exceptional = ExceptionalTabs(
            self,
            services.exceptional,
            services.notes,
            actor,
            record.id,
            self.lazy,
            offered=self._offered,
            button=self.exceptional_button,
            before=DOCUMENTS_TAB,
        )
        self.exceptional_timer = self.exceptional.timer
        self.exceptional.started.connect(
            lambda: self.refresh_tabs(frozenset({"exceptional_access"}))
        )
        self.show_record(record)
        self.refresh_consent()
        if self._offered:
            self.refresh_exceptional()

    # ---- builders -----------------------------------------------------------------------
    def _build_header(self) -> FileHeader:
        header = FileHeader(archived=self.record.archived)
        self.header = header
        for label in (header.name_label, header.details_label):
            label.setWordWrap(True)  # a long name or address wraps on a narrow window
        self.name_label, self.details_label = header.name_label, header.details_label
        self.consent_label, self.archived_banner = header.consent_label, header.archived_banner
        self.orient_button = header.orient_button
        self.orient_button.setVisible(self.can.can_refer)
        self.orient_button.clicked.connect(self.open_guide)  # the guide, then the form
        self.exceptional_button = header.exceptional_button
        return header

    def _add_tabs(self) -> None:
        """One placeholder per tab the role may see; each is built when first shown."""
        lazy, can = self.lazy, self.can
        for compartment in can.readable:
            lazy.add(
                str(compartment),
                self.tr(COMPARTMENT_LABELS[compartment]),
                lambda c=compartment: self._make_compartment_tab(c),
            )
        if can_consult(self._actor):
            lazy.add(SOCIAL_FOLLOW_UP_TAB, self.tr("Suivi social"), self._make_social_tab)
        for key, title, offered, make in (
            (CONSENTS_TAB, self.tr("Consentements"), can.can_read_consents, ConsentsTab),
            (REFERRALS_TAB, self.tr("Orientations"), can.can_read_referrals, ReferralsTab),
            (HOME_CARE_TAB, self.tr("Soins à domicile"), can.can_read_home_care, HomeCareTab),
            (APPOINTMENTS_TAB, self.tr("Rendez-vous"), can.can_read_appointments, AppointmentsTab),
        ):
            if offered:
                lazy.add(key, title, lambda k=key, m=make: self._make_feature_tab(k, m))
        lazy.add(DOCUMENTS_TAB, self.tr("Documents"), self._make_documents_tab)
        lazy.add(HISTORY_TAB, self.tr("Historique"), self._make_history_tab)

    def _make_compartment_tab(self, compartment: Compartment) -> QWidget:
        if compartment == Compartment.ADMINISTRATIVE:
            tab = AdministrativeTab(can_edit=self.can.can_write(compartment))
            tab.edit_requested.connect(self.edit_identity)
            tab.show_record(self.record)
            return tab
        notes = self._make_notes_tab(compartment, can_write=self.can.can_write(compartment))
        if compartment == Compartment.LIAISON:
            self._apply_liaison_notice(notes)
        return notes

    def _make_notes_tab(self, compartment: Compartment, *, can_write: bool) -> NotesTab:
        tab = NotesTab(
            self._services.notes, self._actor, self.record.id, compartment, can_write=can_write
        )
        tab.changed.connect(lambda t=tab: self.refresh_tabs(frozenset({"note"}), source=t))
        return tab

    def _make_social_tab(self) -> QWidget:
        tab = SocialFollowUpTab(self._services, self._actor, self.record, read_only=self.read_only)
        tab.changed.connect(lambda: self.refresh_tabs(SOCIAL_KINDS | {"document"}, source=tab))
        return tab

    def _make_feature_tab(self, key: str, make: Any) -> QWidget:
        if key == CONSENTS_TAB:
            tab = make(self._services, self._actor, self.record.id, read_only=self.read_only)
        else:
            tab = make(self._services, self._actor, self.record, read_only=self.read_only)
        kinds = {
            CONSENTS_TAB: frozenset({"consent", "document"}) | REFERRAL_KINDS,
            REFERRALS_TAB: REFERRAL_KINDS | {"document", "consent"},
            HOME_CARE_TAB: HOME_CARE_KINDS | {"document"},
            APPOINTMENTS_TAB: AGENDA_KINDS | {"document"},
        }[key]
        tab.changed.connect(lambda: self.refresh_tabs(kinds, source=tab))
        if key == REFERRALS_TAB:
            tab.guide_requested.connect(self.open_guide)
            tab.new_requested.connect(lambda: self.open_referral_dialog())
            tab.edit_requested.connect(lambda view: self.open_referral_dialog(draft=view))
        return tab

    def _make_documents_tab(self) -> QWidget:
        tab = DocumentsTab(
            self._services.documents,
            self._actor,
            self.record.id,
            self.record.summary.display_name,
            can_access_report=self.can.can_access_report,
            can_export=self.can.can_export,
            runner=self._runner,
        )
        tab.changed.connect(lambda: self.refresh_tabs(frozenset({"document"}), source=tab))
        return tab

    def _make_history_tab(self) -> QWidget:
        return HistoryTab(self._services.patient_file, self._actor, self.record.id)

    # ---- the tabs (built on first use) --------------------------------------------------
    @property
    def notes_tabs(self) -> dict[Compartment, NotesTab]:
        """Every note compartment's tab the role may read (built now if need be)."""
        return {
            c: tab
            for c in self.can.readable
            if c != Compartment.ADMINISTRATIVE
            and isinstance(tab := self.lazy.widget(str(c)), NotesTab)
        }

    def _built_notes(self) -> list[NotesTab]:
        return [
            tab for c in self.can.readable if isinstance(tab := self.lazy.built(str(c)), NotesTab)
        ]

    admin_tab = _Tab[AdministrativeTab](ADMINISTRATIVE_TAB)
    social_tab = _Tab[SocialFollowUpTab](SOCIAL_FOLLOW_UP_TAB)
    consents_tab = _Tab[ConsentsTab](CONSENTS_TAB)
    referrals_tab = _Tab[ReferralsTab](REFERRALS_TAB)
    home_care_tab = _Tab[HomeCareTab](HOME_CARE_TAB)
    appointments_tab = _Tab[AppointmentsTab](APPOINTMENTS_TAB)
    documents_tab = _Tab[DocumentsTab](DOCUMENTS_TAB)
    history_tab = _Tab[HistoryTab](HISTORY_TAB)

    def built_tab(self, key: str) -> QWidget | None:
        """The tab's widget if it was already built (never builds it)."""
        return self.lazy.built(key)

    # ---- display ------------------------------------------------------------------------
    @property
    def patient_id(self) -> int:
        return self.record.id

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def tab_keys(self) -> list[str]:
        return self.lazy.keys()

    def short_title(self) -> str:
        r = self.record
        return f"{(r.used_name or r.birth_name).upper()} {r.first_names.split(' ')[0]}"

    def show_record(self, record: PatientRecord) -> None:
        self.record = record
        self.header.show_record(record, clinic_today(self._services.clock))
        admin = self.lazy.built(ADMINISTRATIVE_TAB)
        if isinstance(admin, AdministrativeTab):
            admin.show_record(record)
        self.title_changed.emit(self.short_title())

    def select_tab(self, key: str) -> bool:
        index = self.lazy.index_of(key)
        if index < 0:
            return False
        self.tabs.setCurrentIndex(index)
        return True

    # ---- what changed -------------------------------------------------------------------
    def apply_changes(self, batches: Iterable[Any]) -> None:
        """The data-changed hub's batches about this file: the tabs already read that show
        what changed are read again (never a note being typed). A batch of this file's own
        change skips the tabs that change already refreshed."""
        batches = list(batches)
        kinds = frozenset().union(*(b.kinds for b in batches)) if batches else frozenset()
        origin = getattr(self._services.changes, "origin", None)
        own = bool(batches) and all(b.origin == origin for b in batches)
        skip, self._fresh = (self._fresh if own else set()), set()
        self._refresh(kinds or EVERYTHING, skip)

    def refresh_tabs(self, kinds: frozenset[str], *, source: QWidget | None = None) -> None:
        """This file changed ``kinds`` (all when empty): read again the loaded tabs showing
        them, except ``source`` (the tab that made the change and already shows it) and notes
        being written."""
        skip: set[QWidget | None] = {source} if source is not None else set()
        if isinstance(source, NotesTab):  # a note shows in its own compartment only
            skip.update(self._built_notes())
        self._fresh |= self._refresh(kinds, skip)

    def _refresh(self, kinds: frozenset[str], skip: set[QWidget | None]) -> set[QWidget | None]:
        if _wanted(kinds, {"consent"}):
            self.refresh_consent()
        done = set(skip)
        for tab in self._built_notes():
            wanted = _wanted(kinds, {"note"}) or (
                tab.compartment == Compartment.LIAISON and "consent" in kinds
            )
            if wanted and tab not in skip and tab.loaded and not tab.has_draft:
                tab.reload()
                done.add(tab)
        for key, shown in (
            (CONSENTS_TAB, {"consent"}),
            (REFERRALS_TAB, REFERRAL_KINDS),
            (HOME_CARE_TAB, HOME_CARE_KINDS),
            (APPOINTMENTS_TAB, AGENDA_KINDS),
            (SOCIAL_FOLLOW_UP_TAB, SOCIAL_KINDS),
            (DOCUMENTS_TAB, {"document"}),
            (HISTORY_TAB, ()),  # every change
        ):
            tab = self.lazy.built(key)
            if tab not in skip and _loaded(tab) and (not shown or _wanted(kinds, shown)):
                tab.reload()  # type: ignore[attr-defined]
                done.add(tab)
        return done

    # ---- consent ------------------------------------------------------------------------
    def refresh_consent(self) -> None:
        """The header's one line, and the liaison tab's notice without active consent."""
        try:
            self.consent = self._services.consents.current(self._actor, self.record.id)
        except RelaisError:
            self.consent = None
        self.consent_label.setText(consent_glance(self.consent))
        self.consent_label.setVisible(self.consent is not None)
        liaison = self.lazy.built(str(Compartment.LIAISON))
        if isinstance(liaison, NotesTab):
            self._apply_liaison_notice(liaison)

    def _apply_liaison_notice(self, liaison: NotesTab) -> None:
        active = self.consent is not None and self.consent.is_active(ConsentScope.LIAISON)
        liaison.set_notice(None if active else self.tr(LIAISON_NO_CONSENT), can_add=active)

    # ---- menu bar actions ---------------------------------------------------------------
    def can_new_note(self) -> bool:
        """Whether « Nouvelle note » has a tab to go to (asked as the file opens: the note
        tabs not built yet are judged without building them)."""
        current = self.tabs.currentWidget()
        if isinstance(current, NotesTab) and current.can_add:
            return True
        for compartment in self.can.readable:
            if compartment == Compartment.ADMINISTRATIVE or not self.can.can_write(compartment):
                continue
            built = self.lazy.built(str(compartment))
            if built is None and self._could_add(compartment):
                return True
            if isinstance(built, NotesTab) and built.can_add:
                return True
        return False

    def _could_add(self, compartment: Compartment) -> bool:
        """What a note tab not built yet would offer: a liaison note needs the consent."""
        if compartment != Compartment.LIAISON:
            return True
        return self.consent is not None and self.consent.is_active(ConsentScope.LIAISON)

    def _writable_notes(self) -> NotesTab | None:
        current = self.tabs.currentWidget()
        if isinstance(current, NotesTab) and current.can_add:
            return current
        for compartment in self.can.readable:
            if compartment != Compartment.ADMINISTRATIVE and self.can.can_write(compartment):
                tab = self.lazy.widget(str(compartment))
                if isinstance(tab, NotesTab) and tab.can_add:
                    return tab
        return None

    def new_note(self) -> bool:
        """« Nouvelle note » (menu bar): the current note tab, else the first one the actor
        may write in, shown with its editor open and focused. False when none."""
        tab = self._writable_notes()
        if tab is None:
            return False
        self.tabs.setCurrentWidget(tab)
        tab.start_new()
        tab.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def can_refer(self) -> bool:
        return self.can.can_refer

    def start_referral(self) -> bool:
        """« Orienter… » from the menu bar: the referrals tab's own ``start_referral()`` (the
        referral form) when it has one, else the orientation guide (the header's button)."""
        if not self.can.can_refer:
            return False
        tab = self.referrals_tab
        start = getattr(tab, "start_referral", None)
        if callable(start):
            self.select_tab(REFERRALS_TAB)
            start()
        else:
            self.open_guide()
        return True

    # ---- orientation --------------------------------------------------------------------
    @property
    def guide_dialog(self) -> OrientationGuideDialog | None:
        return self.orientation.guide_dialog

    @property
    def referral_dialog(self) -> ReferralDialog | None:
        return self.orientation.referral_dialog

    def open_guide(self) -> None:
        self.orientation.open_guide()

    def open_referral_dialog(self, *, draft=None, proposal=None, situation=None) -> None:
        self.orientation.open_referral_dialog(draft=draft, proposal=proposal, situation=situation)

    def _referral_saved(self, view) -> None:
        tab = self.referrals_tab
        if tab is not None:
            self.select_tab(REFERRALS_TAB)
            tab.reload(select_id=view.id)
        # sending records the patient's agreement (or refusal): header, consents, history
        self.refresh_tabs(REFERRAL_KINDS | {"consent"}, source=tab)

    def open_referral(self, referral_id: int) -> bool:
        tab = self.referrals_tab
        if tab is None:
            return False
        self.select_tab(REFERRALS_TAB)
        return tab.select_referral(referral_id)

    # ---- exceptional access (ExceptionalTabs) -------------------------------------------
    @property
    def exceptional_dialog(self) -> ExceptionalAccessDialog | None:
        return self.exceptional.dialog

    @property
    def exceptional_until(self) -> dict[Compartment, datetime]:
        return self.exceptional.until

    @property
    def exceptional_tabs(self) -> dict[Compartment, NotesTab]:
        return self.exceptional.tabs()

    def ask_exceptional(self) -> None:
        self.exceptional.ask()

    def refresh_exceptional(self) -> None:
        self.exceptional.refresh()

    # ---- drafts -------------------------------------------------------------------------
    def has_draft(self) -> bool:
        return any(tab.has_draft for tab in self._built_notes())

    # ---- identity -----------------------------------------------------------------------
    def edit_identity(self) -> None:
        if self.read_only:
            return
        if self.identity_dialog is not None:
            self.identity_dialog.raise_()
            return
        dialog = IdentityDialog(self._services, self._actor, self.record, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.identity_dialog = dialog
        dialog.saved.connect(self._identity_saved)
        dialog.open_existing.connect(self.open_patient)
        dialog.finished.connect(lambda _result: setattr(self, "identity_dialog", None))
        dialog.open()

    def _identity_saved(self, record: PatientRecord) -> None:
        self.show_record(record)
        self.refresh_tabs(frozenset({"patient"}))
