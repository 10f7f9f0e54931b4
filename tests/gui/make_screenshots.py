"""Save a screenshot of every screen to screenshots/ (run by hand, not collected by pytest).

QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui/make_screenshots.py
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from argon2 import PasswordHasher
from PySide6.QtWidgets import QApplication, QWidget

from app.models.db import Database
from app.models.enums import Compartment
from app.services import demo
from app.services.container import Services
from app.views.main_window import MainWindow
from app.views.setup_wizard import SetupDialog

OUT = Path(__file__).resolve().parents[2] / "screenshots"


def shot(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    widget.grab().save(str(OUT / f"{name}.png"))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    app = QApplication([])
    app.setStyle("Fusion")
    tmp = Path(tempfile.mkdtemp())
    fast = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)

    empty = Services.build(Database.open(f"sqlite:///{tmp / 'vide.sqlite'}"), hasher=fast)
    wizard = SetupDialog(empty.clinic)
    wizard.show()
    shot(wizard, "01-assistant-installation")
    wizard.save_button.click()
    shot(wizard, "02-assistant-erreurs")

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
    shot(window, "04-connexion-erreur")
    by_role = {a.role: a for a in demo.DEMO_ACCOUNTS}
    from app.models.enums import Role

    window.login.username.setText(by_role[Role.GP].username)
    window.login.password.setText(demo.DEMO_PASSWORD)
    window.login.attempt()
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
    secretary = window.current
    assert secretary is not None
    secretary.open_patient(patient_id)
    shot(window, "13-dossier-secretariat")
    secretary.switch_button.click()
    window.login.username.setText(by_role[Role.COORDINATOR].username)
    window.login.password.setText(demo.DEMO_PASSWORD)
    window.login.attempt()
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
    shot(form, "16-compte-rpps-errone")
    form.reject()
    window.accounts_dialog.accept()
    window.open_settings()
    shot(window.settings_dialog, "17-parametres")
    window.settings_dialog.reject()
    window._force_close = True
    window.close()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
