"""The patient file's tabs (``PatientFileWidget``): their keys, what each shows (the kinds of
change that read it again), and their builders — one placeholder per tab the role may see,
the tab itself built when first shown (``LazyTabs``)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtWidgets import QWidget

from app.models.enums import Compartment
from app.services.kernel.change_kinds import AGENDA_KINDS, REFERRAL_KINDS
from app.services.kernel.records import COMPARTMENT_LABELS
from app.views.admin.admin_tab import AdministrativeTab
from app.views.agenda.agenda_patient import AppointmentsTab
from app.views.home_care.home_care_tab import HomeCareTab
from app.views.patient_file.consent_panel import ConsentsTab
from app.views.patient_file.documents_tab import DocumentsTab
from app.views.patient_file.history_tab import HistoryTab
from app.views.patient_file.notes_tab import NotesTab
from app.views.referrals.referrals_view import ReferralsTab
from app.views.social.consultation_screen import SOCIAL_FOLLOW_UP_TAB, can_consult
from app.views.social.follow_up_tab import SocialFollowUpTab

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


class _Tab(Generic[T]):
    """A file's tab by key, built on first access (None when the role does not see it)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, file: FileTabs | None, owner: type) -> T | None:
        return None if file is None else file.lazy.widget(self.key)  # type: ignore[return-value]


class FileTabs:
    """Mixed into ``PatientFileWidget``: its ``lazy`` tabs, ``can`` (capabilities),
    ``record``, ``read_only``, ``_services``, ``_actor``, ``_runner``, and the handlers the
    tabs call back (``refresh_tabs``, ``edit_identity``, ``open_guide``,
    ``open_referral_dialog``, ``_apply_liaison_notice``)."""

    # ---- builders (each tab when first shown) --------------------------------------------
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

    # ---- the tabs (built on first use) ---------------------------------------------------
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
