"""« Annuaire des partenaires »: the organisations the clinic refers patients to, and their
contacts. Editable by whom the partners service says may write (the social worker, the
secretaries and the coordinator); read-only for the others."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import ConflictError, RelaisError, ValidationError
from app.services.partners.records import (
    PARTNER_KIND_LABELS,
    PartnerContactInfo,
    PartnerContactInput,
    PartnerInfo,
    PartnerInput,
    PartnerKind,
)
from app.views.admin.partners_models import ContactsModel, PartnersModel, _table, partners_table
from app.views.admin.ports import PartnersPort
from app.views.common.buttons import DialogButtons
from app.views.common.forms import align_labels, line
from app.views.common.responsive import scrolled_content, stack_when_narrow
from app.views.common.widgets import FieldErrors, error_label

FILTER_DELAY_MS = 200


class PartnersDialog(QDialog):
    def __init__(
        self,
        partners: PartnersPort,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        filter_delay_ms: int = FILTER_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("partnersDialog")
        self.setWindowTitle(self.tr("Annuaire des partenaires"))
        self.resize(1240, 760)
        self._partners = partners
        self._filter_delay_ms = filter_delay_ms
        self._actor = actor
        self.can_edit = partners.can_write(actor)
        self.current: PartnerInfo | None = None  # None: a new partner (or nothing chosen)
        self.current_contact: PartnerContactInfo | None = None
        self._conflict_theirs: PartnerInfo | None = None

        self._build_partner_form()
        self._build_contacts()
        self._layout(self._build_filters())
        self._connect()
        self._apply_read_only()
        self.reload()

    # ---- building -----------------------------------------------------------------------
    def _build_filters(self) -> QWidget:
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("partnerKindFilter")
        self.kind_filter.setToolTip(self.tr("Type de partenaire"))  # also its accessible name
        self.kind_filter.addItem(self.tr("Tous les types"), None)
        for kind, label in PARTNER_KIND_LABELS.items():
            self.kind_filter.addItem(self.tr(label), str(kind))
        self.commune_filter = line("partnerCommuneFilter")
        self.commune_filter.setPlaceholderText(self.tr("Commune du patient"))
        self.text_filter = line("partnerTextFilter")
        self.text_filter.setPlaceholderText(
            self.tr("Nom, service, contact, ce qu'il prend en charge")
        )
        self.inactive_filter = QCheckBox(self.tr("Afficher les désactivés"))
        self.inactive_filter.setObjectName("partnerInactiveFilter")
        filters = QHBoxLayout()
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.commune_filter)
        filters.addWidget(self.text_filter, 1)
        filters.addWidget(self.inactive_filter)
        self.filter_timer = QTimer(self)
        self.filter_timer.setSingleShot(True)
        self.filter_timer.setInterval(self._filter_delay_ms)
        self.filter_timer.timeout.connect(self.reload)

        self.model = PartnersModel(self)
        self.table = partners_table(self.model)
        self.count_label = QLabel()
        self.count_label.setObjectName("partnersCount")
        self.new_button = QPushButton(self.tr("Nouveau partenaire"))
        self.new_button.setObjectName("newPartnerButton")
        return self._left(filters)

    def _left(self, filters: QHBoxLayout) -> QWidget:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        bottom_left = QHBoxLayout()
        bottom_left.addWidget(self.count_label, 1)
        bottom_left.addWidget(self.new_button)
        left_layout.addLayout(bottom_left)
        return left

    def _build_partner_form(self) -> None:
        self.read_only_banner = QLabel(
            self.tr(
                "Consultation seule : l'annuaire est tenu à jour par le secrétariat, "
                "l'assistante sociale et la coordination."
            )
        )
        self.read_only_banner.setObjectName("partnersReadOnly")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet(
            "background: #eceff1; border: 1px solid #90a4ae; padding: 6px;"
        )
        self.read_only_banner.setVisible(not self.can_edit)
        self.general_error = error_label()
        self.general_error.setObjectName("partnerGeneralError")
        self.errors = FieldErrors(self.general_error)
        self.name = line("partnerName")
        self.kind = QComboBox()
        self.kind.setObjectName("partnerKind")
        for kind, label in PARTNER_KIND_LABELS.items():
            self.kind.addItem(self.tr(label), str(kind))
        self.service = line("partnerService")
        self.address = line("partnerAddress")
        self.phone = line("partnerPhone")
        self.email = line("partnerEmail")
        self.communes = QPlainTextEdit()
        self.communes.setObjectName("partnerCommunes")
        self.communes.setPlaceholderText(self.tr("Une commune par ligne ; vide : tout le secteur"))
        self.communes.setFixedHeight(64)
        self.handles = QPlainTextEdit()
        self.handles.setObjectName("partnerHandles")
        self.handles.setPlaceholderText(self.tr("Ce que le partenaire prend en charge"))
        self.handles.setFixedHeight(64)
        form = QFormLayout()
        e = self.errors
        e.add_row(form, "name", self.tr("Organisme"), self.name)
        e.add_row(form, "kind", self.tr("Type"), self.kind)
        e.add_row(form, "service", self.tr("Service"), self.service)
        e.add_row(form, "address", self.tr("Adresse"), self.address)
        e.add_row(form, "phone", self.tr("Téléphone"), self.phone)
        e.add_row(form, "email", self.tr("E-mail"), self.email)
        e.add_row(form, "communes", self.tr("Communes"), self.communes)
        e.add_row(form, "handles", self.tr("Prend en charge"), self.handles)
        self._partner_form = form
        self.conflict_label = error_label()
        self.conflict_label.setObjectName("partnerConflict")
        self.reload_button = QPushButton(self.tr("Recharger la version enregistrée"))
        self.reload_button.setObjectName("partnerReloadButton")
        self.reload_button.hide()
        self.save_button = QPushButton(self.tr("&Enregistrer"))
        self.save_button.setObjectName("savePartnerButton")
        self.active_button = QPushButton(self.tr("&Désactiver"))
        self.active_button.setObjectName("partnerActiveButton")
        partner_buttons = QHBoxLayout()
        partner_buttons.addWidget(self.reload_button)
        partner_buttons.addStretch(1)
        partner_buttons.addWidget(self.active_button)
        partner_buttons.addWidget(self.save_button)
        self.form_box = QGroupBox(self.tr("Partenaire"))
        box_layout = QVBoxLayout(self.form_box)
        box_layout.addLayout(form)
        box_layout.addWidget(self.conflict_label)
        box_layout.addWidget(self.general_error)
        box_layout.addLayout(partner_buttons)

    def _build_contacts(self) -> None:
        self.contacts_model = ContactsModel(self)
        self.contacts_table = _table("contactsTable", self.contacts_model)
        self.contacts_table.setMinimumHeight(90)
        self.contact_error = error_label()
        self.contact_error.setObjectName("contactGeneralError")
        self.contact_errors = FieldErrors(self.contact_error)
        self.contact_name = line("contactName")
        self.contact_title = line("contactTitle")
        self.contact_phone = line("contactPhone")
        self.contact_email = line("contactEmail")
        self.contact_social = QCheckBox(self.tr("Assistante sociale"))
        self.contact_social.setObjectName("contactSocialWorker")
        contact_form = QFormLayout()
        ce = self.contact_errors
        ce.add_row(contact_form, "name", self.tr("Nom"), self.contact_name)
        ce.add_row(contact_form, "title", self.tr("Fonction"), self.contact_title)
        ce.add_row(contact_form, "phone", self.tr("Téléphone"), self.contact_phone)
        ce.add_row(contact_form, "email", self.tr("E-mail"), self.contact_email)
        contact_form.addRow("", self.contact_social)
        align_labels(self._partner_form, contact_form)  # the contact's form is below
        self.new_contact_button = QPushButton(self.tr("Nouveau contact"))
        self.new_contact_button.setObjectName("newContactButton")
        self.save_contact_button = QPushButton(self.tr("&Ajouter le contact"))
        self.save_contact_button.setObjectName("saveContactButton")
        self.contact_active_button = QPushButton(self.tr("Désac&tiver le contact"))
        self.contact_active_button.setObjectName("contactActiveButton")
        contact_buttons = QHBoxLayout()
        contact_buttons.addWidget(self.new_contact_button)
        contact_buttons.addStretch(1)
        contact_buttons.addWidget(self.contact_active_button)
        contact_buttons.addWidget(self.save_contact_button)
        self.contacts_box = QGroupBox(self.tr("Contacts (assistantes sociales, référents…)"))
        contacts_layout = QVBoxLayout(self.contacts_box)
        contacts_layout.addWidget(self.contacts_table, 1)
        self.contact_form_widget = QWidget()
        cf_layout = QVBoxLayout(self.contact_form_widget)
        cf_layout.setContentsMargins(0, 0, 0, 0)
        cf_layout.addLayout(contact_form)
        cf_layout.addWidget(self.contact_error)
        cf_layout.addLayout(contact_buttons)
        contacts_layout.addWidget(self.contact_form_widget)

    def _layout(self, left: QWidget) -> None:
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.read_only_banner)
        right_layout.addWidget(self.form_box)
        right_layout.addWidget(self.contacts_box, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        stack_when_narrow(splitter)  # the form below the list on a narrow screen
        self.buttons = DialogButtons(self, close=True)
        close = self.buttons.close_button
        assert close is not None
        close.setObjectName("closePartners")
        layout = QVBoxLayout(scrolled_content(self))
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)

    def _connect(self) -> None:
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.inactive_filter.toggled.connect(lambda _c: self.reload())
        self.commune_filter.textChanged.connect(lambda _t: self.filter_timer.start())
        self.text_filter.textChanged.connect(lambda _t: self.filter_timer.start())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.table.doubleClicked.connect(lambda _i: self.name.setFocus())  # Return: to the form
        self.contacts_table.selectionModel().selectionChanged.connect(
            lambda *_: self._contact_selected()
        )
        self.new_button.clicked.connect(self.new_partner)
        self.save_button.clicked.connect(self.save)
        self.active_button.clicked.connect(self.toggle_active)
        self.reload_button.clicked.connect(self._reload_current)
        self.new_contact_button.clicked.connect(self.new_contact)
        self.save_contact_button.clicked.connect(self.save_contact)
        self.contact_active_button.clicked.connect(self.toggle_contact_active)

    # ---- mode ---------------------------------------------------------------------------
    def _apply_read_only(self) -> None:
        editable = self.can_edit
        for edit in (self.name, self.service, self.address, self.phone, self.email):
            edit.setReadOnly(not editable)
        for text in (self.communes, self.handles):
            text.setReadOnly(not editable)
        self.kind.setEnabled(editable)
        for button in (self.new_button, self.save_button, self.active_button):
            button.setVisible(editable)
        self.contact_form_widget.setVisible(editable)
        self.inactive_filter.setVisible(editable)

    # ---- list ---------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        self.filter_timer.stop()
        keep = select_id if select_id is not None else (self.current.id if self.current else None)
        try:
            rows = self._partners.list(
                self._actor,
                kind=self.kind_filter.currentData(),
                commune=self.commune_filter.text().strip() or None,
                query=self.text_filter.text().strip() or None,
                include_inactive=self.inactive_filter.isChecked(),
            )
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            rows = []
        self.model.set_rows(rows)
        self.count_label.setText(self.tr("%n partenaire(s)", "", len(rows)))
        row = next((i for i, p in enumerate(rows) if p.id == keep), None)
        if row is not None:
            self.table.selectRow(row)
        elif rows:
            self.table.selectRow(0)
        else:
            self.show_partner(None)

    def selected(self) -> PartnerInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self) -> None:
        partner = self.selected()
        if partner is not None:
            self.show_partner(partner)

    def select_partner(self, partner_id: int) -> bool:
        row = next((i for i, p in enumerate(self.model.rows()) if p.id == partner_id), None)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    # ---- partner form -------------------------------------------------------------------
    def show_partner(self, partner: PartnerInfo | None) -> None:
        self.current = partner
        self.errors.clear()
        self.conflict_label.hide()
        self.reload_button.hide()
        self.form_box.setTitle(
            self.tr("Nouveau partenaire") if partner is None else partner.display_name
        )
        data = partner.as_input() if partner else PartnerInput("", PartnerKind.OTHER)
        self.fill(data)
        self.active_button.setEnabled(partner is not None)
        self.active_button.setText(
            self.tr("&Réactiver")
            if partner is not None and not partner.active
            else self.tr("&Désactiver")
        )
        self.contacts_box.setEnabled(partner is not None)
        self.contacts_model.set_rows(list(partner.contacts) if partner else [])
        self.new_contact()

    def fill(self, data: PartnerInput) -> None:
        self.name.setText(data.name)
        self.kind.setCurrentIndex(max(self.kind.findData(str(data.kind)), 0))
        self.service.setText(data.service)
        self.address.setText(data.address)
        self.phone.setText(data.phone)
        self.email.setText(data.email)
        communes = data.communes
        self.communes.setPlainText(communes if isinstance(communes, str) else "\n".join(communes))
        self.handles.setPlainText(data.handles)

    def form_input(self) -> PartnerInput:
        return PartnerInput(
            name=self.name.text(),
            kind=self.kind.currentData(),
            service=self.service.text(),
            address=self.address.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            communes=self.communes.toPlainText(),
            handles=self.handles.toPlainText(),
        )

    def new_partner(self) -> None:
        self.table.clearSelection()
        self.show_partner(None)
        self.name.setFocus()

    def save(self) -> None:
        if not self.can_edit:
            return
        data = self.form_input()
        try:
            if self.current is None:
                saved = self._partners.create(self._actor, data)
            else:
                saved = self._partners.update(
                    self._actor, self.current.id, data, self.current.version
                )
        except ValidationError as exc:
            self.errors.show(exc.fields)
            return
        except ConflictError as exc:
            self._show_conflict(exc)
            return
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            return
        self.reload(select_id=saved.id)
        if not self.select_partner(saved.id):  # filtered out: show it anyway
            self.show_partner(saved)

    def _show_conflict(self, error: ConflictError) -> None:
        theirs = error.theirs if isinstance(error.theirs, PartnerInfo) else None
        text = error.message
        if theirs is not None:
            text += "\n" + self.tr(
                "Version enregistrée : {name} — {service}, tél. {phone}."
            ).format(name=theirs.name, service=theirs.service or "—", phone=theirs.phone or "—")
        self.conflict_label.setText(text)
        self.conflict_label.show()
        self.reload_button.show()
        self._conflict_theirs = theirs

    def _reload_current(self) -> None:
        theirs = self._conflict_theirs
        partner_id = theirs.id if theirs else (self.current.id if self.current else None)
        if partner_id is None:
            return
        try:
            fresh = self._partners.get(self._actor, partner_id)
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            return
        self.show_partner(fresh)

    def toggle_active(self) -> None:
        if self.current is None or not self.can_edit:
            return
        try:
            saved = self._partners.set_active(self._actor, self.current.id, not self.current.active)
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            return
        if not saved.active:
            self.inactive_filter.setChecked(True)  # keep it in sight, marked « désactivé »
        self.reload(select_id=saved.id)

    # ---- contacts -----------------------------------------------------------------------
    def selected_contact(self) -> PartnerContactInfo | None:
        rows = self.contacts_table.selectionModel().selectedRows()
        return self.contacts_model.row_at(rows[0].row()) if rows else None

    def _contact_selected(self) -> None:
        contact = self.selected_contact()
        if contact is None:
            return
        self.current_contact = contact
        self.contact_errors.clear()
        self.contact_name.setText(contact.name)
        self.contact_title.setText(contact.title)
        self.contact_phone.setText(contact.phone)
        self.contact_email.setText(contact.email)
        self.contact_social.setChecked(contact.social_worker)
        self.save_contact_button.setText(self.tr("Enre&gistrer le contact"))
        self.contact_active_button.setEnabled(True)
        self.contact_active_button.setText(
            self.tr("Réac&tiver le contact")
            if not contact.active
            else self.tr("Désac&tiver le contact")
        )

    def new_contact(self) -> None:
        self.current_contact = None
        self.contacts_table.clearSelection()
        self.contact_errors.clear()
        for edit in (self.contact_name, self.contact_title, self.contact_phone, self.contact_email):
            edit.clear()
        self.contact_social.setChecked(False)
        self.save_contact_button.setText(self.tr("&Ajouter le contact"))
        self.contact_active_button.setEnabled(False)

    def save_contact(self) -> None:
        if self.current is None or not self.can_edit:
            return
        data = PartnerContactInput(
            self.contact_name.text(),
            self.contact_title.text(),
            self.contact_phone.text(),
            self.contact_email.text(),
            self.contact_social.isChecked(),
        )
        partner, contact = self.current, self.current_contact
        if self.contact_errors.succeeds(
            lambda: (
                self._partners.add_contact(self._actor, partner.id, data)
                if contact is None
                else self._partners.update_contact(self._actor, contact.id, data, contact.version)
            )
        ):
            self._reload_current()

    def toggle_contact_active(self) -> None:
        contact = self.current_contact
        if contact is None or not self.can_edit:
            return
        try:
            self._partners.set_contact_active(self._actor, contact.id, not contact.active)
        except RelaisError as exc:
            self.contact_errors.show_general(exc.message)
            return
        self._reload_current()


__all__ = ["ContactsModel", "PartnersDialog", "PartnersModel"]
