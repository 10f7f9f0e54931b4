"""Two workstations (two processes) editing the same patient and the same note at once
(issue 10 §5): every attempt is saved or refused with the French conflict and both versions,
never another exception, and the rows, the versions and the audit trail agree with what the
workstations were told. Re-run on PostgreSQL by tests/integration/test_pg_concurrent_edits.py.
"""

from __future__ import annotations

import pytest
from concurrent_editor import error_summary, run_two_editors

from app.services.kernel.audit_actions import AuditAction

pytestmark = pytest.mark.slow

ROUNDS = 200  # per workstation, for the patient and for the note
# At most that many seconds between reading a record and saving it (a random pause): the
# other workstation's saves land there as well as inside the saving unit of work (without
# it, SQLite's busy handler lets one workstation run many units of work in a row, and few
# edits meet).
THINK = 0.008


def test_two_workstations_edit_the_same_patient_and_note(
    db_url, services, team, make_patient, audit_log, helpers
):
    patient_id = make_patient("Concurrence", "Alice")
    note = services.notes.add(team.gp, patient_id, "medical", "Première version.")
    patient_before = services.patients.get(team.secretary, patient_id, audit_open=False)
    last_audit = audit_log.last_id()

    patient, notes, outcomes = run_two_editors(
        db_url,
        audit_key=services.audit.key,
        password=helpers.password,
        users=(("sec.roux", "dr.durand"), ("as.moreau", "dr.lefevre")),
        patient_id=patient_id,
        note_patient_id=patient_id,
        note_id=note.id,
        rounds=ROUNDS,
        think=THINK,
    )
    print(f"\n{db_url.split(':')[0]}: patient {patient}; note {notes}")

    # Never anything but « saved » or the conflict.
    assert not error_summary(outcomes), error_summary(outcomes)
    assert patient.saved + patient.conflicts == 2 * ROUNDS
    assert notes.saved + notes.conflicts == 2 * ROUNDS
    assert patient.saved > 0 and notes.saved > 0
    for o in outcomes:
        if o["outcome"] == "conflict":
            assert "quelqu'un d'autre" in o["message"]
            assert "Votre version n'a pas été enregistrée" in o["message"]
            # Both versions: theirs as saved, mine as typed.
            assert o["theirs"] == ("PatientRecord" if o["kind"] == "patient" else "str")
            assert o["theirs_version"] is not None and o["mine"]

    # The note: one version per saved edit, holding the last saved text.
    final_note = next(
        n for n in services.notes.list(team.gp, patient_id, "medical") if n.id == note.id
    )
    assert final_note.version == note.version + notes.saved == 1 + notes.saved
    assert final_note.text == notes.last_value
    assert notes.saved_versions == list(range(2, notes.saved + 2))

    # The patient: one version per saved identity edit (a saved note records the file's last
    # activity without a new identity version), holding the last saved city.
    final = services.patients.get(team.secretary, patient_id, audit_open=False)
    assert final.version == patient_before.version + patient.saved
    assert final.city == patient.last_value
    assert len(set(patient.saved_versions)) == patient.saved

    # The audit trail tells the same story, and its chain still holds.
    def count(action: str, object_type: str, object_id: int) -> int:
        return len(
            audit_log.since(last_audit, action=action, object_type=object_type, object_id=object_id)
        )

    assert count(AuditAction.UPDATE, "patient", patient_id) == patient.saved
    assert count(AuditAction.CONFLICT, "patient", patient_id) == patient.conflicts
    assert count(AuditAction.UPDATE, "note", note.id) == notes.saved
    assert count(AuditAction.CONFLICT, "note", note.id) == notes.conflicts
    assert services.audit_log.verify(team.coordinator).ok
