"""« Imprimer les fiches… » in the « Orientations en cours » window: the forms of the selected
referrals made on the task runner, with progress and « Annuler », merged into one document."""

from __future__ import annotations

import io
import threading

from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox, QPushButton

from app.services.referrals.records import ReferralInput, ReferralReason
from tests.gui.gui_helpers import login


def _send(services, team, patient, reason=ReferralReason.HOUSING):
    view = services.referrals.create(
        team.gp,
        ReferralInput(
            patient,
            reason,
            message="Loyers impayés",
            receiver_id=team.social_worker.user_id,
        ),
    )
    return services.referrals.send(team.gp, view.id, patient_agrees=True)


def _archived(services) -> int:
    from sqlalchemy import func, select

    from app.models import Document

    with services.db.session(write=False) as session:
        return session.scalar(select(func.count()).select_from(Document))


def _orientations(qtbot, window, services, team, make_patient, passwords, count=3):
    patients = [make_patient(f"Lot{i}", "Jeanne") for i in range(count)]
    for patient in patients:
        _send(services, team, patient)
    social = login(qtbot, window, "as.moreau", passwords("as.moreau"))
    social.open_orientations()
    dialog = social.orientations_dialog
    assert dialog is not None and dialog.model.rowCount() == count
    return dialog


def test_the_selected_forms_are_printed_as_one_document(
    qtbot, window, services, team, make_patient, passwords
):
    dialog = _orientations(qtbot, window, services, team, make_patient, passwords)
    threads: list[threading.Thread] = []
    real = services.referral_documents.referral_forms

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    services.referral_documents.referral_forms = recording
    try:
        dialog.table.selectRow(0)
        assert dialog.print_forms_button.isEnabled()
        dialog.table.selectAll()  # Ctrl+A
        assert len(dialog.printable_selection()) == 3
        assert dialog.print_forms_button.text().replace("&", "") == "Imprimer les fiches (3)…"
        dialog.print_forms_button.click()
        qtbot.waitUntil(lambda: dialog.preview is not None, timeout=30_000)
    finally:
        del services.referral_documents.referral_forms
    assert threads and threads[0] is not threading.main_thread()
    preview = dialog.preview
    assert preview.windowTitle() == "Fiches d'orientation (3)"
    reader = PdfReader(io.BytesIO(preview._data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert text.count("Fiche d'orientation") >= 3
    for i in range(3):
        assert f"LOT{i}" in text
    assert _archived(services) == 3
    preview.reject()


def test_cancelling_the_batch_archives_nothing_and_says_so(
    qtbot, window, services, team, make_patient, passwords
):
    dialog = _orientations(qtbot, window, services, team, make_patient, passwords, count=2)
    started, proceed = threading.Event(), threading.Event()
    real = services.referral_documents.referral_forms

    def held(*args, **kwargs):
        started.set()
        proceed.wait(10)
        return real(*args, **kwargs)

    services.referral_documents.referral_forms = held
    try:
        dialog.table.selectAll()
        dialog.print_forms_button.click()
        qtbot.waitUntil(started.is_set)
        progress = dialog.batch.dialog
        assert progress is not None and progress.objectName() == "referralFormsProgress"
        progress.findChild(QPushButton).click()  # « Annuler »
        proceed.set()
        qtbot.waitUntil(lambda: dialog.findChild(QMessageBox) is not None, timeout=30_000)
    finally:
        proceed.set()
        del services.referral_documents.referral_forms
    box = dialog.findChild(QMessageBox)
    assert box.text() == "Impression annulée : aucune fiche n'a été archivée."
    assert dialog.preview is None and _archived(services) == 0
    box.accept()


def test_the_secretary_cannot_print_the_forms(
    qtbot, window, services, team, make_patient, passwords
):
    patient = make_patient("Lot", "Jeanne")
    _send(services, team, patient)
    secretary = login(qtbot, window, "sec.roux", passwords("sec.roux"))
    secretary.open_orientations()
    dialog = secretary.orientations_dialog
    dialog.table.selectAll()
    assert dialog.printable_selection() == []  # she may not read the content
    assert not dialog.print_forms_button.isEnabled()
