"""Two workstations editing the same patient and the same note at once (issue 10 §5).

Run as a script, this module is one workstation: it logs in, waits for « go » on its standard
input, then loops ``rounds`` times: read the patient's identity, save it with a new city and the
version it read; read the note, save a new text with the version it read. Every outcome (saved,
conflict, or anything else) is written as one JSON document on its standard output.

Imported, :func:`run_two_editors` starts two such processes on one database and checks what
they did: every attempt was saved or refused with a ``ConflictError`` carrying both versions,
never another exception, and the rows tell the same story (versions, last saved content, audit).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent


class TickingClock:
    """The suite's instant, a few microseconds later at each call: a workstation's clock moves
    on (a saved note then changes the patient's last activity), and the two workstations
    never give the same instant (A: even microseconds, B: odd ones)."""

    def __init__(self, start: datetime, label: str) -> None:
        self._now = start + timedelta(microseconds=0 if label == "A" else 1)

    def __call__(self) -> datetime:
        self._now += timedelta(microseconds=2)
        return self._now


def _main(spec: dict) -> None:
    from argon2 import PasswordHasher
    from suite_clock import suite_now

    from app.container import Services
    from app.models.db import Database
    from app.services.kernel.errors import ConflictError
    from app.services.patient_file.records import NoteView, PatientRecord
    from app.services.security.crypto import KdfParams

    database = Database.open(spec["url"], upgrade=False)
    services = Services.build(
        database,
        clock=TickingClock(suite_now(), spec["label"]),
        hasher=PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1),
        kdf=KdfParams(time_cost=1, memory_cost=8 * 1024, parallelism=1),
    )
    identity_actor = services.auth.login(spec["identity_user"], spec["password"])
    note_actor = services.auth.login(spec["note_user"], spec["password"])
    patient_id, note_id, label = spec["patient_id"], spec["note_id"], spec["label"]
    print(json.dumps({"ready": True}), flush=True)
    sys.stdin.readline()  # « go »: both workstations start together

    outcomes: list[dict] = []
    pause = random.Random(label)

    def attempt(kind: str, save) -> None:
        try:
            version, content = save()
            outcomes.append(
                {"kind": kind, "outcome": "saved", "version": version, "value": content}
            )
        except ConflictError as exc:
            mine = exc.mine if isinstance(exc.mine, str) else getattr(exc.mine, "city", "")
            outcomes.append(
                {
                    "kind": kind,
                    "outcome": "conflict",
                    "message": exc.message,
                    "theirs": type(exc.theirs).__name__,
                    "theirs_version": _version(exc),
                    "mine": mine,
                }
            )
        except Exception as exc:  # what the test counts
            outcomes.append(
                {
                    "kind": kind,
                    "outcome": "error",
                    "error": type(exc).__name__,
                    "module": type(exc).__module__,
                    "detail": "".join(traceback.format_exception_only(exc)).strip()[:300],
                }
            )

    def _version(exc: ConflictError) -> int | None:
        if isinstance(exc.theirs, PatientRecord):
            return exc.theirs.version
        note = exc.extra.get("note")
        return note.version if isinstance(note, NoteView) else None

    def edit_patient(i: int):
        record = services.patients.get(identity_actor, patient_id, audit_open=False)
        city = f"{label}-{i}"
        data = replace(record.as_input(), city=city)
        time.sleep(pause.uniform(0, spec["think"]))  # the user types
        saved = services.patients.update(identity_actor, patient_id, data, record.version)
        return saved.version, saved.city

    def edit_note(i: int):
        (note,) = [
            n
            for n in services.notes.list(note_actor, spec["note_patient_id"], "medical")
            if n.id == note_id
        ]
        text = f"Note écrite par {label}, passage {i}."
        time.sleep(pause.uniform(0, spec["think"]))
        saved = services.notes.edit(note_actor, note_id, text, note.version)
        return saved.version, saved.text

    for i in range(spec["rounds"]):
        attempt("patient", lambda i=i: edit_patient(i))
        attempt("note", lambda i=i: edit_note(i))
    database.dispose()
    print(json.dumps({"outcomes": outcomes}), flush=True)


@dataclass
class Tally:
    """What two workstations' attempts came to, per record."""

    saved: int
    conflicts: int
    errors: list[dict]
    last_value: str | None
    saved_versions: list[int]

    def __str__(self) -> str:
        return f"{self.saved} saved, {self.conflicts} conflicts, {len(self.errors)} other errors"


def _tally(outcomes: list[dict], kind: str) -> Tally:
    mine = [o for o in outcomes if o["kind"] == kind]
    saved = [o for o in mine if o["outcome"] == "saved"]
    last = max(saved, key=lambda o: o["version"]) if saved else None
    return Tally(
        saved=len(saved),
        conflicts=sum(o["outcome"] == "conflict" for o in mine),
        errors=[o for o in mine if o["outcome"] == "error"],
        last_value=last["value"] if last else None,
        saved_versions=sorted(o["version"] for o in saved),
    )


def run_two_editors(
    url: str,
    *,
    audit_key: bytes | None,
    password: str,
    users: tuple[tuple[str, str], tuple[str, str]],
    patient_id: int,
    note_patient_id: int,
    note_id: int,
    rounds: int,
    think: float = 0.0,
    timeout: float = 600,
) -> tuple[Tally, Tally, list[dict]]:
    """Start two workstations on ``url``; return the patient's and the note's tallies (and
    every outcome). ``think``: at most that many seconds between reading a record and saving
    it (a random pause: other saves land before the saving unit of work, or inside it)."""
    env = dict(os.environ)
    if audit_key is not None:
        env["RELAIS_AUDIT_KEY"] = audit_key.hex()
    procs = []
    for label, (identity_user, note_user) in zip(("A", "B"), users, strict=True):
        spec = {
            "url": url,
            "password": password,
            "identity_user": identity_user,
            "note_user": note_user,
            "patient_id": patient_id,
            "note_patient_id": note_patient_id,
            "note_id": note_id,
            "rounds": rounds,
            "think": think,
            "label": label,
        }
        procs.append(
            subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), json.dumps(spec)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=HERE,
            )
        )
    try:
        for proc in procs:
            line = proc.stdout.readline()
            assert line and json.loads(line) == {"ready": True}, proc.stderr.read()
        for proc in procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        outcomes: list[dict] = []
        for proc in procs:
            out, err = proc.communicate(timeout=timeout)
            assert proc.returncode == 0, err
            outcomes += json.loads(out.strip().splitlines()[-1])["outcomes"]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return _tally(outcomes, "patient"), _tally(outcomes, "note"), outcomes


def error_summary(outcomes: list[dict]) -> Counter:
    return Counter(
        f"{o['kind']}: {o['module']}.{o['error']}" for o in outcomes if o["outcome"] == "error"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    _main(json.loads(sys.argv[1]))
