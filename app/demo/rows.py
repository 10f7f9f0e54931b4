"""Row builders of the demo generator: one patient, its search tokens, notes and audit entries.

Plain dictionaries ready for SQLAlchemy Core ``insert()``; every random draw comes from the one
``random.Random`` handed in, so the same seed gives the same data. Search tokens and the sort key
come from ``app.services.patient_file.identity`` (the same functions the patient service
uses), note contents sealed as ``ContentCodec.seal`` seals them, as their author (``sealing``).
"""

from __future__ import annotations

import random
import re
from bisect import bisect
from datetime import date, datetime, timedelta
from itertools import accumulate

from stdnum.fr import nir as stdnum_nir

from app.demo.names import (
    ADDRESS_COMPLEMENTS,
    COMMUNES,
    CORSICA_BIRTH_PLACES,
    FAMILY_NAMES,
    FIRST_NAMES,
    FOREIGN_BIRTH_PLACES,
    OVERSEAS_BIRTH_PLACES,
    PARIS_BIRTH_PLACES,
    STREETS,
)
from app.demo.sealing import NoteSealer
from app.demo.texts import (
    GP_FINDINGS,
    GP_PLANS,
    GP_REASONS,
    LIAISON_NOTES,
    MIDWIFE_NOTES,
    NURSE_NOTES,
    PHYSIO_NOTES,
    SOCIAL_NEXT_STEPS,
    SOCIAL_OPENINGS,
    SOCIAL_SITUATIONS,
)
from app.models.enums import (
    AuditOutcome,
    Compartment,
    IdentityDocument,
    IdentityStatus,
    Profession,
    Role,
)
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.text import search_key
from app.services.kernel.timefmt import local
from app.services.patient_file.identity_checks import (
    name_prefixes,
    name_words,
    patient_tokens,
    sort_key,
)
from app.services.patient_file.records import ConsentMethod, ConsentScope, ConsentStatus
from app.services.security.codec import ContentCodec, note_context

FIRST_BIRTH = date(1930, 1, 1)
LAST_BIRTH = date(2024, 12, 31)
HISTORY_DAYS = 8 * 365  # patient files were opened during the last eight years
_EMAIL_CHARS = re.compile(r"[^a-z0-9]+")
_COMMUNE_WEIGHTS = list(accumulate(c[4] for c in COMMUNES))
_WORKSTATIONS = {
    Role.SECRETARY: "ACCUEIL-01",
    Role.COORDINATOR: "COORDINATION",
    Role.SOCIAL_WORKER: "BUREAU-AS",
    Role.PARAMEDICAL: "SALLE-SOINS",
}


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


class RowFactory:
    def __init__(
        self,
        *,
        rng: random.Random,
        actors: dict[str, Actor],
        codec: ContentCodec,
        now: datetime,
        used_nirs: set[str],
        referent_contacts: tuple[int, ...] = (),
    ) -> None:
        self.rng = rng
        # Social workers of partners (directory contacts) named as some patients' référent.
        self.referent_contacts = referent_contacts
        self.codec = codec
        self.sealer = NoteSealer(codec)
        self.now = now
        self.today = local(now).date()
        self.used_nirs = used_nirs
        self.by_id: dict[int, Actor] = {
            a.user_id: a for a in actors.values() if a.user_id is not None
        }
        by_profession = {a.profession: a for a in actors.values()}
        self.gps = [a for a in actors.values() if a.role == Role.GP]
        self.secretary = next(a for a in actors.values() if a.role == Role.SECRETARY)
        self.social_worker = by_profession[Profession.SOCIAL_WORKER]
        self.nurse = by_profession[Profession.NURSE]
        self.physio = by_profession[Profession.PHYSIOTHERAPIST]
        self.midwife = by_profession[Profession.MIDWIFE]
        self.last_birth = min(LAST_BIRTH, self.today)

    # ---- identity ----------------------------------------------------------------------
    def _birth_date(self) -> date:
        span = (self.last_birth - FIRST_BIRTH).days
        return FIRST_BIRTH + timedelta(days=self.rng.randrange(span + 1))

    def _first_names(self, sex: str, birth: date) -> str:
        era = "old" if birth.year < 1960 else "mid" if birth.year < 1990 else "young"
        pool = FIRST_NAMES[era][sex]
        count = self.rng.choices((1, 2, 3), (55, 35, 10))[0]
        names: list[str] = []
        while len(names) < count:
            name = self.rng.choice(pool)
            if name not in names:
                names.append(name)
        return " ".join(names)

    def _names(self, sex: str, age: int) -> tuple[str, str]:
        rng = self.rng
        birth_name = rng.choice(FAMILY_NAMES)
        used_name = ""
        if sex == "F" and age >= 22 and rng.random() < 0.55:
            spouse = rng.choice(FAMILY_NAMES)
            if spouse != birth_name:
                used_name = f"{spouse}-{birth_name}" if rng.random() < 0.15 else spouse
        elif age >= 18 and rng.random() < 0.02:
            used_name = f"{birth_name}-{rng.choice(FAMILY_NAMES)}"
        return birth_name, used_name

    def _birth_place(self, birth: date) -> str:
        r = self.rng.random()
        if r < 0.72:
            return self.rng.choice(COMMUNES)[1]
        if r < 0.82:
            return self.rng.choice(PARIS_BIRTH_PLACES)
        if r < 0.85 and birth.year >= 1976:  # 2A/2B exist since 1976
            return self.rng.choice(CORSICA_BIRTH_PLACES)
        if r < 0.88:
            return self.rng.choice(OVERSEAS_BIRTH_PLACES)
        return self.rng.choice(FOREIGN_BIRTH_PLACES)

    def _nir(self, sex: str, birth: date, place: str) -> str:
        head = f"{1 if sex == 'M' else 2}{birth.year % 100:02d}{birth.month:02d}{place}"
        while True:
            body = f"{head}{self.rng.randrange(1, 1000):03d}"
            nir = body + stdnum_nir.calc_check_digits(body)
            if nir not in self.used_nirs:
                self.used_nirs.add(nir)
                return nir

    def _phone(self, landline: str) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.05:
            return ""
        pairs = " ".join(f"{rng.randrange(100):02d}" for _ in range(3))
        if r < 0.7:
            kind, pair = rng.choice("67"), rng.randrange(10, 100)
            # Allotted metropolitan mobiles: 073 to 079; 0639 and 069x belong overseas.
            if kind == "7":
                pair = 73 + pair % 7
            elif pair == 39 or pair >= 90:
                pair = 60 + pair % 10
            return f"0{kind} {pair} {pairs}"
        return f"{landline} {pairs}"

    def patient(self) -> dict:
        rng = self.rng
        sex = "F" if rng.random() < 0.53 else "M"
        birth = self._birth_date()
        age = _age(birth, self.today)
        birth_name, used_name = self._names(sex, age)
        first_names = self._first_names(sex, birth)
        place = self._birth_place(birth)
        nir = self._nir(sex, birth, place) if rng.random() < 0.97 else None
        validated = nir is not None and rng.random() < 0.7
        document = None
        if validated:
            if age < 12:
                document = IdentityDocument.BIRTH_CERTIFICATE
            elif place.startswith("99") and rng.random() < 0.6:
                document = IdentityDocument.RESIDENCE_PERMIT
            else:
                document = rng.choices(
                    (IdentityDocument.NATIONAL_ID_CARD, IdentityDocument.PASSPORT), (4, 1)
                )[0]
        city, _, postal_code, landline, _ = COMMUNES[
            bisect(_COMMUNE_WEIGHTS, rng.random() * _COMMUNE_WEIGHTS[-1])
        ]
        number = f"{rng.randrange(1, 180)}{' bis' if rng.random() < 0.04 else ''}"
        address = f"{rng.choice(ADDRESS_COMPLEMENTS)}{number} {rng.choice(STREETS)}"
        email = ""
        if 18 <= age <= 75 and rng.random() < 0.3:
            local = _EMAIL_CHARS.sub("-", search_key(f"{first_names.split()[0]}.{birth_name}"))
            email = f"{local}{rng.randrange(100)}@example.org"  # RFC 2606: reserved for examples
        gp = rng.choice(self.gps) if rng.random() < 0.95 else None
        followed = rng.random() < (0.35 if age >= 70 else 0.2)
        contact = None
        if not followed and self.referent_contacts and rng.random() < 0.05:
            contact = rng.choice(self.referent_contacts)
        history = min(HISTORY_DAYS * 86_400, int((self.today - birth).days * 86_400) + 3_600)
        created = self.now - timedelta(seconds=rng.randrange(3_600, max(3_601, history)))
        return {
            "birth_name": birth_name,
            "used_name": used_name,
            "first_names": first_names,
            "sex": sex,
            "birth_date": birth,
            "birth_place_code": place,
            "identity_status": str(
                IdentityStatus.VALIDATED if validated else IdentityStatus.PROVISIONAL
            ),
            "identity_document": str(document) if document else None,
            "nir": nir,
            "phone": self._phone(landline),
            "email": email,
            "address": address,
            "postal_code": postal_code,
            "city": city,
            "attending_gp_id": gp.user_id if gp else None,
            "attending_gp_other": "" if gp else "Dr Lemarchand (hors maison de santé)",
            "social_referent_id": self.social_worker.user_id if followed else None,
            "social_referent_contact_id": contact,
            "sort_key": sort_key(birth_name, used_name, first_names),
            "created_at": created,
            "updated_at": created,
            "last_activity_at": created,
            "archived_at": None,
            "version": 1,
        }

    # ---- dependents ----------------------------------------------------------------------
    def dependents(
        self, ids: list[int], rows: list[dict], per_patient: int
    ) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
        """Search tokens, notes, consents and audit entries of freshly inserted patients."""
        tokens: list[dict] = []
        notes: list[dict] = []
        consents: list[dict] = []
        audit: list[dict] = []
        for patient_id, row in zip(ids, rows, strict=True):
            for token in patient_tokens(row["birth_name"], row["used_name"], row["first_names"]):
                tokens.append({"patient_id": patient_id, "token": token})
            audit.append(
                self._audit(
                    self.secretary,
                    AuditAction.CREATE,
                    row["created_at"],
                    patient_id,
                    Compartment.ADMINISTRATIVE,
                    "patient",
                    patient_id,
                )
            )
            liaison = self._consents(patient_id, row, consents, audit)
            self._notes(patient_id, row, per_patient, notes, audit, liaison)
        return tokens, notes, consents, audit

    def _consents(
        self, patient_id: int, row: dict, consents: list[dict], audit: list[dict]
    ) -> bool:
        """The patient's word on sharing; True when liaison notes were ever allowed (given,
        possibly withdrawn since: the notes then stay, hidden from all but their author)."""
        rng = self.rng
        followed = row["social_referent_id"] is not None
        created: datetime = row["created_at"]
        liaison_given = False
        plans: list[tuple[ConsentScope, tuple[ConsentStatus, ...]]] = []
        r = rng.random()
        if followed or r < 0.2:
            r = rng.random()
            if r < 0.78:
                plans.append((ConsentScope.LIAISON, (ConsentStatus.GIVEN,)))
            elif r < 0.9:
                plans.append((ConsentScope.LIAISON, (ConsentStatus.REFUSED,)))
            else:
                plans.append((ConsentScope.LIAISON, (ConsentStatus.GIVEN, ConsentStatus.WITHDRAWN)))
            if followed:
                status = ConsentStatus.GIVEN if rng.random() < 0.85 else ConsentStatus.REFUSED
                plans.append((ConsentScope.REFERRAL_CARSAT, (status,)))
        span = max(1, int((self.now - created).total_seconds()))
        for scope, statuses in plans:
            at = created + timedelta(seconds=rng.randrange(min(span, 86_400 * 30)))
            for index, status in enumerate(statuses):
                if index:  # a withdrawal, some time after the consent
                    at += timedelta(
                        seconds=rng.randrange(1, max(2, int((self.now - at).total_seconds())))
                    )
                recorder = rng.choice((self.secretary, self.social_worker, *self.gps))
                method = (
                    ConsentMethod.SIGNED_FORM
                    if status is ConsentStatus.GIVEN and rng.random() < 0.4
                    else ConsentMethod.ORAL
                )
                consents.append(
                    {
                        "patient_id": patient_id,
                        "scope": str(scope),
                        "partner_id": None,
                        "status": str(status),
                        "decided_on": local(at).date(),
                        "method": str(method),
                        "document_id": None,
                        "recorded_by_id": recorder.user_id,
                        "recorded_at": at,
                    }
                )
                audit.append(
                    self._audit(
                        recorder,
                        AuditAction.CONSENT_RECORD,
                        at,
                        patient_id,
                        Compartment.ADMINISTRATIVE,
                        "consent",
                    )
                )
                if scope is ConsentScope.LIAISON and status is ConsentStatus.GIVEN:
                    liaison_given = True
        return liaison_given

    def _notes(
        self,
        patient_id: int,
        row: dict,
        count: int,
        notes: list[dict],
        audit: list[dict],
        liaison: bool = True,
    ) -> None:
        rng = self.rng
        created: datetime = row["created_at"]
        span = max(1, int((self.now - created).total_seconds()))
        times = sorted(created + timedelta(seconds=rng.randrange(span)) for _ in range(count))
        gp = self.by_id.get(row["attending_gp_id"]) or self.gps[0]
        followed = row["social_referent_id"] is not None
        age = _age(row["birth_date"], self.today)
        for at in times:
            compartment = Compartment.MEDICAL
            if followed:
                compartment = rng.choices(
                    (Compartment.MEDICAL, Compartment.SOCIAL, Compartment.LIAISON), (55, 30, 15)
                )[0]
                if compartment is Compartment.LIAISON and not liaison:
                    compartment = Compartment.SOCIAL  # no sharing without the patient's word
            author, text = self._text(compartment, gp, row["sex"], age)
            notes.append(
                {
                    "patient_id": patient_id,
                    "compartment": str(compartment),
                    "author_id": author.user_id,
                    "created_at": at,
                    "updated_at": at,
                    "updated_by_id": author.user_id,
                    "content": self.sealer.seal(
                        author, compartment, text, context=note_context(patient_id)
                    ),
                    "version": 1,
                }
            )
            audit.append(
                self._audit(author, AuditAction.CREATE, at, patient_id, compartment, "note", None)
            )
        if count and rng.random() < 0.4:  # the médecin traitant reread the file later
            at = times[-1] + timedelta(days=rng.randrange(1, 60))
            if at < self.now:
                audit.append(
                    self._audit(gp, AuditAction.READ, at, patient_id, Compartment.MEDICAL, "note")
                )

    def _text(self, compartment: Compartment, gp: Actor, sex: str, age: int) -> tuple[Actor, str]:
        rng = self.rng
        if compartment is Compartment.SOCIAL:
            parts = (SOCIAL_OPENINGS, SOCIAL_SITUATIONS, SOCIAL_NEXT_STEPS)
            return self.social_worker, " ".join(rng.choice(p) for p in parts)
        if compartment is Compartment.LIAISON:
            author = gp if rng.random() < 0.5 else self.social_worker
            return author, rng.choice(LIAISON_NOTES)
        r = rng.random()
        if r < 0.75:
            author = gp if rng.random() < 0.85 else rng.choice(self.gps)
            text = f"{rng.choice(GP_REASONS)} {rng.choice(GP_FINDINGS)} {rng.choice(GP_PLANS)}"
            return author, text
        if sex == "F" and 18 <= age <= 45 and r < 0.82:
            return self.midwife, rng.choice(MIDWIFE_NOTES)
        if r < 0.9:
            return self.nurse, rng.choice(NURSE_NOTES)
        return self.physio, rng.choice(PHYSIO_NOTES)

    def _audit(
        self,
        actor: Actor,
        action: str,
        at: datetime,
        patient_id: int,
        compartment: Compartment,
        object_type: str,
        object_id: int | None = None,
    ) -> dict:
        return {
            "at": at,
            "user_id": actor.user_id,
            "username": actor.username,
            "role": str(actor.role),
            "action": action,
            "outcome": str(AuditOutcome.OK),
            "patient_id": patient_id,
            "compartment": str(compartment),
            "object_type": object_type,
            "object_id": object_id,
            "workstation": _WORKSTATIONS.get(actor.role, f"CABINET-{actor.user_id}"),
            "detail": "",
            "mac": None,
        }


def name_prefix_rows(ids: list[int], rows: list[dict], tokens: list[dict]) -> list[dict]:
    """The ``patient_name_prefix`` rows of freshly inserted patients (``tokens``: their
    ``patient_token`` rows)."""
    words: dict[int, list[str]] = {}
    for token in tokens:
        words.setdefault(token["patient_id"], []).append(token["token"])
    return [
        {"prefix": prefix, "sort_key": row["sort_key"], "patient_id": patient_id, "words": text}
        for patient_id, row in zip(ids, rows, strict=True)
        for text in [name_words(words.get(patient_id, ()))]
        for prefix in sorted(name_prefixes(words.get(patient_id, ())))
    ]
