"""Save a screenshot of every screen to screenshots/ (run by hand, not collected by pytest).

QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/make_screenshots.py
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from argon2 import PasswordHasher
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.container import Services
from app.demo import generator as demo
from app.models.db import Database
from app.models.enums import Compartment
from app.views.common.language import install_language
from app.views.common.tasks import runner_of
from app.views.shell.main_window import MainWindow
from app.views.shell.setup_wizard import SetupDialog

OUT = Path(__file__).resolve().parents[2] / "screenshots"


def settle(window: MainWindow) -> None:
    """Let the background work started by the screen (and what it starts in turn) finish."""
    while window.runner.pending:
        window.runner.wait()
        QCoreApplication.processEvents()


def settled(widget: QWidget) -> None:
    """Let the background work of ``widget``'s window finish, and what it shows be laid out:
    a screen is taken (or checked) as the user sees it once the work is done."""
    runner = runner_of(widget)
    while runner is not None and runner.pending:
        runner.wait()
        QCoreApplication.processEvents()
    for _ in range(6):  # a page adapts to its width one layout request at a time
        QCoreApplication.processEvents()


def shot(widget: QWidget, name: str) -> None:
    settled(widget)
    widget.grab().save(str(OUT / f"{name}.png"))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    app = QApplication([])
    install_language(app, "fr")  # French plural forms (« 2 notes », not « 2 note(s) »)
    app.setStyle("Fusion")
    tmp = Path(tempfile.mkdtemp())
    fast = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)

    empty = Services.build(Database.open(f"sqlite:///{tmp / 'vide.sqlite'}"), hasher=fast)
    wizard = SetupDialog(empty.clinic, empty.documents)
    wizard.show()
    shot(wizard, "01-assistant-installation")
    wizard.save_button.click()
    shot(wizard, "02-assistant-erreurs")
    wizard.clinic_name.setText("MSP des Tilleuls")
    wizard.first_name.setText("Anne")
    wizard.last_name.setText("Martin")
    wizard.username.setText("coordination")
    wizard.password.setText("une-phrase-de-passe-solide")
    wizard.confirm.setText("une-phrase-de-passe-solide")
    wizard.save_button.click()
    wizard.adjustSize()
    shot(wizard, "18-cle-de-secours")
    from app.services.clinic.records import SetupResult

    no_keyring = SetupResult(
        wizard.setup_result.clinic,
        wizard.setup_result.coordinator,
        wizard.setup_result.recovery_key,
        "3f" * 32,
    )
    wizard.show_recovery(no_keyring)
    wizard.adjustSize()
    shot(wizard, "19-cle-de-secours-et-cle-audit")
    empty.audit.key = None
    unsealed = MainWindow(empty)
    unsealed.show()
    shot(unsealed, "20-bandeau-cle-audit")
    unsealed._force_close = True
    unsealed.close()

    services = Services.build(Database.open(f"sqlite:///{tmp / 'demo.sqlite'}"), hasher=fast)
    demo.create_demo(services, patients=300, notes_per_patient=4)
    window = MainWindow(
        services, demo_accounts=demo.DEMO_ACCOUNTS, demo_password=demo.DEMO_PASSWORD
    )
    window.show()
    shot(window, "03-connexion-demo")
    window.login.username.setText(demo.DEMO_ACCOUNTS[1].username)
    window.login.password.setText("mauvais")
    window.login.attempt()
    settle(window)  # the password is checked in the background
    shot(window, "04-connexion-erreur")
    by_role = {a.role: a for a in demo.DEMO_ACCOUNTS}
    from app.models.enums import Role

    window.login.username.setText(by_role[Role.GP].username)
    window.login.password.setText(demo.DEMO_PASSWORD)
    window.login.attempt()
    settle(window)  # the password is checked in the background
    workspace = window.current
    assert workspace is not None
    workspace.search.search.setText("ma")
    workspace.search.run_search()
    shot(window, "05-recherche")
    patient_id = workspace.search.selected_patient_id()
    file = workspace.open_patient(patient_id)
    shot(window, "06-dossier-medecin-administratif")
    file.select_tab("medical")
    shot(window, "07-dossier-medecin-medical")
    tab = file.notes_tabs[Compartment.MEDICAL]
    tab.start_new()
    tab.editor.setPlainText("Brouillon de note : revoir le traitement dans 15 jours.")
    shot(window, "08-dossier-brouillon")
    tab.discard_draft()
    note = tab.model.note(0)
    if note is not None and note.can_edit:
        tab.table.selectRow(0)
        tab.start_edit()
        tab.editor.setPlainText(note.text + "\nAjout du Dr (ma version).")
        other = services.auth.login(demo.DEMO_ACCOUNTS[1].username, demo.DEMO_PASSWORD)
        services.notes.edit(other, note.id, note.text + "\nAjout d'un confrère.", note.version)
        tab.save()
        if tab.conflict_dialog is not None:
            shot(tab.conflict_dialog, "09-conflit-note")
            tab.conflict_dialog.keep_button.click()
    workspace.lock_button.click()
    shot(window, "10-verrouillage")
    window.lock_screen.password.setText(demo.DEMO_PASSWORD)
    window.lock_screen.attempt()
    settle(window)  # the password is checked in the background
    workspace.new_patient()
    dialog = workspace.identity_dialog
    dialog.birth_name.setText("Lefèvre")
    dialog.nir.setText("2 50 02 75 123 456 00")
    dialog.birth_date.setText("31/02/1950")
    dialog.save_button.click()
    shot(dialog, "11-identite-erreurs")
    dialog.reject()
    record = services.patients.get(workspace.actor, patient_id)
    dup = replace(record.as_input(), nir="")
    workspace.new_patient()
    dialog = workspace.identity_dialog
    dialog.fill(dup)
    dialog.save_button.click()
    if dialog.duplicate_dialog is not None:
        shot(dialog.duplicate_dialog, "12-doublon")
        dialog.duplicate_dialog.reject()
    dialog.reject()
    workspace.switch_button.click()

    window.login.username.setText(by_role[Role.SECRETARY].username)
    window.login.password.setText(demo.DEMO_PASSWORD)
    window.login.attempt()
    settle(window)  # the password is checked in the background
    secretary = window.current
    assert secretary is not None
    secretary.open_patient(patient_id)
    shot(window, "13-dossier-secretariat")
    secretary.switch_button.click()
    window.login.username.setText(by_role[Role.COORDINATOR].username)
    window.login.password.setText(demo.DEMO_PASSWORD)
    window.login.attempt()
    settle(window)  # the password is checked in the background
    coordination = window.current
    assert coordination is not None
    shot(window, "14-coordination")
    window.open_accounts()
    shot(window.accounts_dialog, "15-comptes")
    window.accounts_dialog.new_account()
    form = window.accounts_dialog.form
    form.first_name.setText("Hugo")
    form.last_name.setText("Roussel")
    form.username.setText("dr.roussel")
    form.select_role(Role.GP)
    form.rpps.setText("12345678901")
    form.save()
    settle(window)  # the account is checked and created on the task runner
    assert "rpps" in form.errors.messages(), "the wrong RPPS number must be refused"
    shot(form, "16-compte-rpps-errone")
    form.reject()
    window.accounts_dialog.accept()
    window.open_settings()
    shot(window.settings_dialog, "17-parametres")
    window.settings_dialog.reject()
    coordination.open_audit()
    shot(coordination.audit_dialog, "21-journal-audit")
    coordination.audit_dialog.verify()
    window.runner.wait()
    shot(coordination.audit_dialog, "22-journal-audit-verifie")
    coordination.audit_dialog.accept()
    coordination.open_archive()
    shot(coordination.archive_dialog, "23-archivage")
    coordination.archive_dialog.accept()
    file = coordination.open_patient(patient_id)
    file.select_tab("documents")
    file.documents_tab.access_report()
    window.runner.wait()  # the report is built through the task runner
    shot(window, "24-dossier-documents")
    if file.documents_tab.preview is not None:
        file.documents_tab.preview.wait_rendered()
        shot(file.documents_tab.preview, "25-apercu-rapport-acces")
        file.documents_tab.preview.accept()
    coordination.open_second_factor()

    # Exceptional access, as the social worker, then the GP's inbox.
    info = services.clinic.settings(coordination.actor)
    services.clinic.update(
        coordination.actor, replace(info.as_input(), break_glass_enabled=True), info.version
    )
    services.auth.grant_pending(services.auth.login(by_role[Role.GP].username, demo.DEMO_PASSWORD))
    coordination.switch_button.click()
    window.login.username.setText(by_role[Role.SOCIAL_WORKER].username)
    window.login.password.setText(demo.DEMO_PASSWORD)
    window.login.attempt()
    settle(window)  # the password is checked in the background
    social = window.current
    file = social.open_patient(patient_id)
    file.ask_exceptional()
    file.exceptional_dialog.justification.setPlainText(
        "Patient hospitalisé en urgence, besoin des traitements en cours"
    )
    shot(file.exceptional_dialog, "26-acces-exceptionnel")
    file.exceptional_dialog.ok.click()
    shot(window, "27-acces-exceptionnel-onglet")
    social.switch_button.click()
    window.login.username.setText(by_role[Role.GP].username)
    window.login.password.setText(demo.DEMO_PASSWORD)
    window.login.attempt()
    settle(window)  # the password is checked in the background
    gp = window.current
    gp.refresh_inbox()
    shot(window, "28-medecin-messages")
    gp.open_inbox()
    shot(gp.inbox_dialog, "29-messages")
    gp.inbox_dialog.accept()
    gp.open_second_factor()
    gp.second_factor_dialog.enrol_button.click()
    enrol = gp.second_factor_dialog.enrolment
    shot(enrol, "30-double-authentification")
    import pyotp

    enrol.password_field.setText(demo.DEMO_PASSWORD)
    enrol.code.setText(pyotp.TOTP(enrol.secret_label.text().replace(" ", "")).now())
    enrol.confirm()
    settle(window)  # checked in the background
    shot(enrol, "31-codes-de-secours")
    enrol.codes_page.confirm.setChecked(True)
    enrol.codes_page.done_button.click()
    gp.second_factor_dialog.accept()
    gp.logout_button.click()
    window.login.username.setText(by_role[Role.GP].username)
    window.login.password.setText(demo.DEMO_PASSWORD)
    window.login.attempt()
    settle(window)  # the password is checked in the background
    shot(window, "32-connexion-code")
    referral_screens(services, window, by_role, patient_id)
    scheduling_screens(services, window, by_role)
    follow_up_screens(services, window, by_role)
    window._force_close = True
    window.close()
    print(f"screenshots in {OUT}")


def _account(by_role, role):
    """The demo account to log in with: the GP enrolled a second factor in ``main``, the
    other demo GP has none."""
    from app.models.enums import Role

    if role == Role.GP:
        return next(
            a
            for a in demo.DEMO_ACCOUNTS
            if a.role == Role.GP and a.username != by_role[Role.GP].username
        )
    return by_role[role]


def referral_screens(services, window, by_role, patient_id: int) -> None:
    """Consent, the orientation guide, a referral from the GP to the social worker, the
    receiver's view, the secretary's view and the partners directory."""
    from app.models.enums import Role
    from app.services.referrals.orientation_guide import Need
    from app.services.referrals.records import ReferralAction

    def enter(role):
        if window.current is not None and window.stack.currentWidget() is window.current:
            window.current.switch_button.click()
        else:
            window.show_login()
        window.login.username.setText(by_role[role].username)
        window.login.password.setText(demo.DEMO_PASSWORD)
        window.login.attempt()
        settle(window)  # the password is checked in the background
        return window.current

    secretary = enter(Role.SECRETARY)
    file = secretary.open_patient(patient_id)
    file.select_tab("consents")
    tab = file.consents_tab
    dialog = tab.ask_record()
    shot(dialog, "33-consentement-saisie")
    dialog.save_button.click()
    shot(window, "34-consentements")
    tab.print_form("liaison")
    window.runner.wait()  # the form is generated on the task runner
    if tab.preview is not None:
        tab.preview.wait_rendered()
        shot(tab.preview, "35-formulaire-consentement")
        tab.preview.accept()
    other = enter(Role.PARAMEDICAL)
    file = other.open_patient(patient_id)
    file.open_guide()
    guide = file.guide_dialog
    guide.set_activity("retired")
    guide.set_gir(5)
    guide.need_boxes[Need.RETURN_HOME].setChecked(True)
    guide.need_boxes[Need.AUTONOMY].setChecked(True)
    shot(guide, "36-guide-orientation")
    guide.orient_button.click()
    dialog = file.referral_dialog
    settled(dialog)  # the form's lists are read on the task runner
    dialog.message.setPlainText(
        "Sortie d'hospitalisation prévue vendredi ; vit seul(e) au 3e sans ascenseur. "
        "Aide au retour à domicile à organiser."
    )
    # The reason ticked the items it needs; a liaison note is chosen one by one.
    if dialog.notes_list.count():
        dialog.notes_list.item(0).setCheckState(Qt.CheckState.Checked)
    shot(dialog, "37-orientation-saisie")
    dialog.send_button.click()  # « Envoyer — le patient est d'accord »: one action
    settle(window)  # sent on the task runner
    file.select_tab("referrals")
    shot(window, "39-orientation-envoyee")
    social = enter(Role.SOCIAL_WORKER)
    social.refresh_inbox()
    social.open_inbox()
    shot(social.inbox_dialog, "40-messages-orientation")
    social.inbox_dialog.accept()
    social.open_orientations()
    shot(social.orientations_dialog, "41-orientations")
    social.orientations_dialog._open()
    settle(window)  # the referral is read on the task runner
    file = social.file_for(patient_id)
    detail = file.referrals_tab.detail
    detail.action_buttons["acknowledge"].click()
    shot(window, "42-orientation-recue")
    settle(window)  # acknowledged on the task runner
    detail.run_action(ReferralAction.CLOSE)
    close = detail.step_dialog
    close.outcome.setEditText("Prise en charge")
    close.feedback.setPlainText("ARDH demandée, aide à domicile 2 h par semaine dès lundi.")
    shot(close, "43-cloture-retour")
    close.ok.click()
    shot(window, "44-orientation-cloturee")
    social.open_partners()
    shot(social.partners_dialog, "45-annuaire-partenaires")
    social.partners_dialog.accept()
    secretary = enter(Role.SECRETARY)
    file = secretary.open_patient(patient_id)
    file.select_tab("referrals")
    shot(window, "46-orientation-secretariat")


def scheduling_screens(services, window, by_role) -> None:
    """The agenda (secretariat, social worker, GP), booking from a free slot and from a
    referral, the slip, an appointment's actions and the freed slot, the call list, the
    sessions editor and the patient's « Rendez-vous » tab."""
    import contextlib
    from datetime import time as clock_time
    from datetime import timedelta

    from app.models.enums import Role
    from app.services.kernel.errors import RelaisError
    from app.services.kernel.timefmt import local
    from app.services.scheduling.records import AppointmentAction, SessionInput

    def enter(role):
        if window.current is not None and window.stack.currentWidget() is window.current:
            window.current.switch_button.click()
        else:
            window.show_login()
        window.login.username.setText(_account(by_role, role).username)
        window.login.password.setText(demo.DEMO_PASSWORD)
        window.login.attempt()
        settle(window)  # the password is checked in the background
        return window.current

    coordination = enter(Role.COORDINATOR)
    scheduling = services.scheduling
    coordinator = coordination.actor
    social_id = scheduling.professionals(coordinator)[0][0]
    today = local(services.clock()).date()
    if not scheduling.sessions(coordinator, professional_id=social_id):
        first = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
        scheduling.create_session(
            coordinator,
            SessionInput(
                social_id,
                "Permanence CARSAT",
                "MSP des Tilleuls",
                "salle 2",
                1,
                clock_time(9),
                clock_time(12, 30),
                30,
                2,
                first,
            ),
        )
    secretary = enter(Role.SECRETARY)
    actor = secretary.actor
    free = scheduling.free_slots(actor, social_id, start=today)
    day = local(free[0].starts_at).date()
    patients = services.patients.search(actor, "a", limit=12).patients
    for slot, patient in zip(free[1:4], patients, strict=False):
        try:
            scheduling.book(
                actor, patient_id=patient.id, professional_id=social_id, starts_at=slot.starts_at
            )
        except RelaisError:  # a demo patient already expected then: skip
            continue
    with contextlib.suppress(RelaisError):  # already waiting (demo data)
        scheduling.add_to_waiting_list(
            actor,
            patient_id=patients[5].id,
            professional_id=social_id,
            urgency="urgent",
            preferences="le mardi matin",
        )
    window.resize(1500, 860)
    agenda = secretary.open_agenda()
    agenda.go_to(day)
    shot(window, "47-agenda-jour-secretariat")
    agenda.set_mode("week")
    shot(window, "48-agenda-semaine")
    agenda.set_mode("day")
    booking = agenda.activate(agenda.row_for(free[0].starts_at))
    booking.search.search.setText(patients[6].birth_name[:4])
    booking.search.run_search()
    booking.sources.setCurrentIndex(booking.SEARCH)
    shot(booking, "49-fixer-rendez-vous-creneau")
    booking.book()
    shot(booking, "50-rendez-vous-fixe")
    booking.print_slip()
    if booking.preview is not None:
        booking.preview.wait_rendered()
        shot(booking.preview, "51-convocation")
        booking.preview.accept()
    booking.accept()
    if agenda.to_schedule_model.rowCount():
        picker = agenda.schedule_referral()
        shot(picker, "52-choix-creneau-orientation")
        picker.reject()
    dialog = agenda.activate(agenda.row_for(free[1].starts_at))
    if dialog is not None:
        dialog.run_action(AppointmentAction.CONFIRM)
        dialog.run_action(AppointmentAction.CANCEL)
        cancel = dialog.step_dialog
        cancel.by_clinic.setChecked(True)
        cancel.reason.setPlainText("Absence de l'assistante sociale (formation)")
        shot(cancel, "53-annulation-rendez-vous")
        cancel.ok.click()
        shot(dialog, "54-creneau-libere-candidats")
        dialog.accept()
    calls = agenda.open_calls()
    calls.day.setDate(day)
    shot(calls, "55-appels-de-la-veille")
    calls.accept()
    sessions = agenda.open_sessions()
    shot(sessions, "56-permanences")
    sessions.accept()
    social = enter(Role.SOCIAL_WORKER)
    agenda = social.open_agenda()
    agenda.go_to(day)
    shot(window, "57-agenda-assistante-sociale")
    sessions = agenda.open_sessions()
    sessions.new_session()
    form = sessions.form
    form.closes.setTime(form.opens.time().addSecs(-3600))
    form.save()
    shot(form, "58-permanence-erreurs")
    form.reject()
    sessions.accept()
    gp = enter(Role.GP)
    agenda = gp.open_agenda()
    agenda.go_to(day)
    shot(window, "59-agenda-medecin-lecture-seule")
    secretary = enter(Role.SECRETARY)
    file = secretary.open_patient(patients[6].id)
    file.select_tab("appointments")
    shot(window, "60-dossier-rendez-vous")


def follow_up_screens(services, window, by_role) -> None:
    """The social worker's consultation screen and « Suivi social » tab; the GP's « Soins à
    domicile » tab with a demo request and discharge plan."""
    from sqlalchemy import select

    from app.models import DischargePlan, SocialAssessment
    from app.models.enums import Role
    from app.views.social.consultation_screen import open_consultation
    from app.views.social.ports import SocialPorts

    with services.db.session(write=False) as session:
        assessed = session.scalar(select(SocialAssessment.patient_id).limit(1))
        planned = session.scalar(select(DischargePlan.patient_id).limit(1))

    def enter(role):
        window.current.switch_button.click()
        window.login.username.setText(_account(by_role, role).username)
        window.login.password.setText(demo.DEMO_PASSWORD)
        window.login.attempt()
        settle(window)  # the password is checked in the background
        return window.current

    social = enter(Role.SOCIAL_WORKER)
    if assessed is not None:
        dialog = open_consultation(social, SocialPorts.of(services), social.actor, assessed)
        dialog.resize(1400, 900)
        shot(dialog, "61-consultation-sociale")
        dialog.close()
        file = social.open_patient(assessed)
        file.select_tab("social_follow_up")
        shot(window, "62-suivi-social")
    gp = enter(Role.GP)
    if planned is not None:
        file = gp.open_patient(planned)
        file.select_tab("home_care")
        shot(window, "63-soins-a-domicile")
        tab = file.home_care_tab
        for button, name in (
            (tab.new_request_button, "64-demande-de-soins"),
            (tab.new_plan_button, "65-plan-de-sortie"),
        ):
            button.click()
            settled(tab.dialog)
            tab.dialog.resize(900, 1000)
            shot(tab.dialog, name)
            tab.dialog.reject()
            QCoreApplication.processEvents()


if __name__ == "__main__":
    main()
