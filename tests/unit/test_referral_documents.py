"""Printed referral documents: the referral form, the feedback letter and the consent form.

Every PDF is read back with pypdf: the text a reader gets is what is checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from suite_clock import TODAY, dmy

from app.services.kernel import pdf
from app.services.kernel.errors import PermissionDenied, ValidationError
from app.services.kernel.validation import format_nir
from app.services.referrals.documents import PrintingCancelled
from app.services.referrals.forms import consent_form_pdf, feedback_letter_pdf, referral_form_pdf
from app.services.referrals.sheets import (
    REFERRAL_CONFIDENTIAL,
    ConsentSheet,
    FeedbackSheet,
    PatientIdentity,
    Professional,
    Receiver,
    ReferralSheet,
)

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
LETTERHEAD = pdf.Letterhead("MSP des Tilleuls", "12 rue des Tilleuls, 76000 Rouen")
RPPS = "10000000017"
WORD = re.compile(r"(début|fin|élève|cœur|œuvre|coût|12€|hôpital|reçu|façade|Noël)\d+")


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def flat(value: str) -> str:
    return " ".join(value.split())


def meta(title: str = "Fiche d'orientation", number: str = "REL-2026-000001") -> pdf.DocumentMeta:
    return pdf.DocumentMeta(
        title, number, "Paul Durand", NOW, LETTERHEAD, confidentiality=REFERRAL_CONFIDENTIAL
    )


def long_message(words: int = 5000) -> str:
    """``words`` words, with accents, « œ » and « € », in paragraphs and one very long line."""
    vocabulary = ["élève", "cœur", "œuvre", "coût", "12€", "hôpital", "reçu", "façade", "Noël"]
    out = [f"début{0}"]
    for i in range(1, words - 1):
        out.append(f"{vocabulary[i % len(vocabulary)]}{i}")
        if i % 700 == 0:
            out.append("\n\n")
    out.append(f"fin{words - 1}")
    return " ".join(out)


def sheet(**changes) -> ReferralSheet:
    values = dict(
        patient=PatientIdentity("Dupré", "Jean Marc", "M", date(1960, 3, 4), used_name="Martin"),
        sender=Professional("Paul Durand", "Médecin généraliste", RPPS),
        receiver=Receiver("Sophie Moreau", "Assistante sociale (CARSAT)"),
        reason_label="Complémentaire santé (C2S, mutuelle)",
        axis_label="Accès aux droits",
        urgency="urgent",
        items=[("Adresse", "3 rue du Nord, 76000 Rouen")],
        message="Merci de recevoir M. Dupré : il renonce à ses soins dentaires (coût 850 €).",
        consent_on=date(2026, 11, 20),
        consent_method="oral",
        sent_at=NOW,
    )
    values.update(changes)
    return ReferralSheet(**values)


# ---- referral form (pure builder) -----------------------------------------------------------
def test_referral_form_prints_sender_receiver_identity_reason_and_consent():
    text = flat("\n".join(pages(referral_form_pdf(meta(), sheet()))))
    for expected in (
        "MSP des Tilleuls",
        "Fiche d'orientation",
        "REL-2026-000001",
        "Page 1 / 1",
        "Paul Durand",
        "Médecin généraliste",
        RPPS,
        "Sophie Moreau",
        "Assistante sociale (CARSAT)",
        "DUPRÉ",
        "MARTIN",
        "Jean Marc",
        "Masculin",
        "04/03/1960",
        "Complémentaire santé (C2S, mutuelle)",
        "Accès aux droits",
        "Urgente",
        "3 rue du Nord, 76000 Rouen",
        "coût 850 €",
        "Le patient a donné son accord pour cette orientation le 20/11/2026 (accord oral).",
        "secret professionnel",
    ):
        assert expected in text, expected


def test_referral_form_prints_no_nir_unless_chosen():
    without = flat("\n".join(pages(referral_form_pdf(meta(), sheet()))))
    assert "sécurité sociale" not in without
    chosen = sheet(
        patient=PatientIdentity("Dupré", "Jean", "M", date(1960, 3, 4), nir="160037512345678")
    )
    assert "160037512345678" in flat("\n".join(pages(referral_form_pdf(meta(), chosen))))


def test_referral_form_to_a_partner_names_its_service_and_contact():
    partner = Receiver(
        "CCAS de Rouen",
        organisation="CCAS de Rouen",
        service="Aide sociale facultative",
        contact="Mme Lemoine (conseillère)",
        phone="02 35 11 22 33",
    )
    text = flat("\n".join(pages(referral_form_pdf(meta(), sheet(receiver=partner)))))
    for expected in ("CCAS de Rouen", "Aide sociale facultative", "Mme Lemoine", "02 35 11 22 33"):
        assert expected in text, expected


def test_signed_form_and_missing_consent_statements():
    signed = sheet(consent_method="signed_form")
    assert "(formulaire signé)" in flat("\n".join(pages(referral_form_pdf(meta(), signed))))
    missing = sheet(consent_on=None, consent_method="")
    assert "n'est pas enregistré" in flat("\n".join(pages(referral_form_pdf(meta(), missing))))


def test_long_message_flows_across_pages_and_every_word_is_printed():
    message = long_message()
    data = referral_form_pdf(meta(), sheet(message=message))
    texts = pages(data)
    assert len(texts) >= 4
    for n, page in enumerate(texts, start=1):
        assert f"Page {n} / {len(texts)}" in page
        assert "REL-2026-000001" in page
    printed = " ".join(texts).split()
    expected = message.split()
    found = [w for w in printed if WORD.fullmatch(w)]
    assert found == expected
    assert found[0] == "début0" and found[-1] == "fin4999"
    assert "œuvre2" in printed and "12€4" in printed
    # The consent statement and the signature come after the whole message, together.
    last = flat(texts[-1])
    assert "Le patient a donné son accord" in last and "Signature et cachet" in last


# ---- feedback letter and consent form (pure builders) ------------------------------------
def feedback(**changes) -> FeedbackSheet:
    values = dict(
        patient=PatientIdentity("Dupré", "Jean Marc", "M", date(1960, 3, 4)),
        author=Professional("Sophie Moreau", "Assistante sociale (CARSAT)"),
        recipient=Professional("Paul Durand", "Médecin généraliste", RPPS),
        reason_label="Complémentaire santé (C2S, mutuelle)",
        sent_at=NOW,
        outcome_label="Droits ouverts",
        feedback="C2S accordée le 15/12 ; rendez-vous dentaire pris.",
        summary="clôturé",
        events=[(NOW, "Reçue (Sophie Moreau)")],
    )
    values.update(changes)
    return FeedbackSheet(**values)


def test_feedback_letter_with_and_without_the_feedback_text():
    with_text = flat(
        "\n".join(pages(feedback_letter_pdf(meta("Retour d'orientation"), feedback())))
    )
    assert "C2S accordée le 15/12" in with_text and "Droits ouverts" in with_text
    assert "Sophie Moreau" in with_text and "Paul Durand" in with_text
    reduced = feedback(feedback=None, outcome_label="")
    text = flat("\n".join(pages(feedback_letter_pdf(meta("Retour d'orientation"), reduced))))
    assert "C2S accordée" not in text and "Droits ouverts" not in text
    assert "Situation : clôturé." in text


def consent(scope: str, **changes) -> ConsentSheet:
    values = dict(
        patient=PatientIdentity("Dupré", "Jean Marc", "M", date(1960, 3, 4)),
        professional=Professional("Paul Durand", "Médecin généraliste", RPPS),
        clinic_name="MSP des Tilleuls",
        scope=scope,
    )
    values.update(changes)
    return ConsentSheet(**values)


@pytest.mark.parametrize("scope", ["liaison", "referral_carsat", "partner"])
def test_consent_form_in_plain_words_on_one_page(scope):
    partner = {"partner_name": "CCAS de Rouen", "partner_service": "Aide sociale"}
    data = consent_form_pdf(
        meta("Formulaire de consentement"),
        consent(scope, **(partner if scope == "partner" else {})),
    )
    texts = pages(data)
    assert len(texts) == 1  # one sheet to sign
    text = flat(texts[0])
    for expected in (
        "Ce qui est partagé",
        "Avec qui",
        "Pourquoi",
        "aucune conséquence sur vos soins",
        "retirer votre accord à tout moment",
        "prend effet immédiatement",
        "☐ J'accepte",
        "☐ Je refuse",
        "Date et signature du patient",
        "Date et signature du professionnel",
        "DUPRÉ Jean Marc",
    ):
        assert expected in text, expected
    assert ("CCAS de Rouen (Aide sociale)" in text) is (scope == "partner")


# ---- the service: printing, refusals, archive, audit ---------------------------------------
MEDICAL = "Diabète suivi CANARI-MEDICAL-7731"
CHOSEN_NOTE = "Logement humide, voir APL CANARI-CHOSEN-1180"
OTHER_NOTE = "Conflit avec l'employeur CANARI-UNCHOSEN-5521"
MESSAGE = "Bonjour Sophie, M. Dupré renonce à ses soins dentaires (devis 850 €) ; merci."


@pytest.fixture
def patient(services, team, make_patient, helpers):
    patient_id = make_patient(
        "Dupré",
        "Jean Marc",
        phone="06 12 34 56 78",
        address="3 rue du Nord",
        postal_code="76000",
        city="Rouen",
        nir=helpers.make_nir("M", 1960, 3),
    )
    services.consents.record(team.gp, patient_id, "liaison", "given")
    services.notes.add(team.gp, patient_id, "medical", MEDICAL)
    return patient_id


def make_referral(
    services, team, patient_id, *, items=(), note_ids=(), message=MESSAGE, sender=None
):
    from app.services.referrals.records import ReferralInput

    sender = sender or team.gp
    draft = services.referrals.create(
        sender,
        ReferralInput(
            patient_id=patient_id,
            reason="complementary_insurance",
            urgency="urgent",
            message=message,
            receiver_id=team.social_worker.user_id,
            items=frozenset(items),
            note_ids=tuple(note_ids),
        ),
    )
    return services.referrals.send(sender, draft.id, patient_agrees=True)


def stored(services, document_id):
    from app.models import Document

    with services.db.session(write=False) as session:
        return session.get(Document, document_id)


def test_referral_form_carries_the_chosen_items_only(services, team, patient, audit_log):
    chosen = services.notes.add(team.gp, patient, "liaison", CHOSEN_NOTE)
    services.notes.add(team.gp, patient, "liaison", OTHER_NOTE)
    referral = make_referral(
        services, team, patient, items={"address", "liaison_notes"}, note_ids=[chosen.id]
    )
    since = audit_log.last_id()
    document = services.referral_documents.referral_form(team.gp, referral.id)
    text = flat("\n".join(pages(document.pdf)))
    for expected in (
        "Fiche d'orientation",
        document.number,
        "Paul Durand",
        "Médecin généraliste",
        team_rpps(services, team.gp),
        "Sophie Moreau",
        "DUPRÉ",
        "Jean Marc",
        "Complémentaire santé (C2S, mutuelle)",
        "Accès aux droits",
        "Urgente",
        "3 rue du Nord, 76000 Rouen",  # address chosen
        "CANARI-CHOSEN-1180",  # the chosen liaison note
        "devis 850 €",
        f"Le patient a donné son accord pour cette orientation le {dmy(TODAY)} (accord oral).",
        "Page 1 / 1",
    ):
        assert expected in text, expected
    nir = services.patients.get(team.gp, patient).nir
    for absent in (
        "CANARI-UNCHOSEN",  # a liaison note not selected
        "CANARI-MEDICAL",  # nothing else from the file
        nir,
        nir[:1] + " " + nir[1:3],  # NIR not chosen, in any spacing
        "sécurité sociale",
        "06 12 34 56 78",  # contact not chosen
        "Date de naissance",  # birth date not chosen
    ):
        assert absent not in text, absent
    printed = [r for r in audit_log.since(since) if r.action == "print"]
    assert [(r.outcome, r.compartment, r.object_id) for r in printed] == [
        ("ok", "liaison", document.id)
    ]
    assert document.number in printed[0].detail and "CANARI" not in printed[0].detail
    assert MESSAGE not in printed[0].detail


def team_rpps(services, actor) -> str:
    return services.accounts.own_account(actor).rpps


def test_referral_form_prints_the_nir_when_chosen(services, team, patient):
    referral = make_referral(services, team, patient, items={"nir", "birth_date"})
    text = flat(
        "\n".join(pages(services.referral_documents.referral_form(team.gp, referral.id).pdf))
    )
    nir = services.patients.get(team.gp, patient).nir
    assert "N° de sécurité sociale" in text
    assert nir.replace(" ", "") in text.replace(" ", "")
    assert format_nir(nir) in text  # grouped as on the carte Vitale, not 15 digits in a row
    assert "Date de naissance" in text


def test_archived_referral_form_is_sealed_under_the_referrals_own_key(services, team, patient):
    referral = make_referral(services, team, patient, items={"address"})
    document = services.referral_documents.referral_form(team.social_worker, referral.id)
    row = stored(services, document.id)
    assert (row.kind, row.compartment, row.patient_id) == ("referral_form", "liaison", patient)
    assert row.content.startswith(b"R1:") and MESSAGE.encode() not in row.content
    assert row.title == "" and row.sealed_title.startswith(b"R1:")
    assert row.sha256 == hashlib.sha256(document.pdf).hexdigest() and row.size == len(document.pdf)
    assert services.documents.open_document(team.gp, document.id) == document.pdf


@pytest.mark.parametrize("who", ["gp2", "secretary", "coordinator", "paramedical"])
def test_third_parties_may_not_print_a_referral(services, team, patient, audit_log, who):
    referral = make_referral(services, team, patient, items={"address"})
    since = audit_log.last_id()
    for call in (
        services.referral_documents.referral_form,
        services.referral_documents.feedback_letter,
    ):
        with pytest.raises(PermissionDenied) as raised:
            call(getattr(team, who), referral.id)
        assert raised.value.message == (
            "Seuls l'émetteur et le destinataire de cette orientation peuvent imprimer ses "
            "documents."
        )
    refused = audit_log.since(since)
    assert [(r.action, r.outcome, r.object_type, r.object_id) for r in refused] == [
        ("print", "refused", "referral", referral.id)
    ] * 2
    assert [d.kind for d in all_documents(services)] == []


def all_documents(services):
    from sqlalchemy import select

    from app.models import Document

    with services.db.session(write=False) as session:
        return list(session.scalars(select(Document)))


def test_longest_message_flows_across_pages_through_the_service(services, team, patient):
    words = []
    while len(" ".join(words)) < 19_900:
        words.append(f"cœur€{len(words)}")
    message = " ".join(words)
    referral = make_referral(services, team, patient, message=message)
    texts = pages(services.referral_documents.referral_form(team.gp, referral.id).pdf)
    assert len(texts) >= 3
    for n, page in enumerate(texts, start=1):
        assert f"Page {n} / {len(texts)}" in page
    printed = [w for w in " ".join(texts).split() if w.startswith("cœur€")]
    assert printed == words


def close_with_feedback(services, team, referral_id, feedback="C2S accordée CANARI-FEEDBACK-3"):
    from app.services.referrals.errors import FeedbackNotShared

    services.referrals.acknowledge(team.social_worker, referral_id)
    with contextlib.suppress(FeedbackNotShared):
        services.referrals.close(
            team.social_worker, referral_id, outcome="Droits ouverts", feedback=feedback
        )


def test_feedback_letter_with_liaison_consent_carries_the_feedback(
    services, team, patient, audit_log
):
    referral = make_referral(services, team, patient)
    close_with_feedback(services, team, referral.id)
    letter = services.referral_documents.feedback_letter(team.social_worker, referral.id)
    text = flat("\n".join(pages(letter.pdf)))
    for expected in ("Retour d'orientation", "Sophie Moreau", "Paul Durand", "Droits ouverts"):
        assert expected in text, expected
    assert "CANARI-FEEDBACK-3" in text
    row = stored(services, letter.id)
    assert (row.kind, row.compartment) == ("feedback_letter", "liaison")
    assert row.content.startswith(b"R1:")
    # The sender may print it too.
    assert services.referral_documents.feedback_letter(team.gp, referral.id).number != letter.number


def test_feedback_letter_without_liaison_consent_says_only_closed(services, team, patient):
    referral = make_referral(services, team, patient)
    close_with_feedback(services, team, referral.id)
    services.consents.record(team.gp, patient, "liaison", "withdrawn")
    text = flat(
        "\n".join(pages(services.referral_documents.feedback_letter(team.gp, referral.id).pdf))
    )
    assert "CANARI-FEEDBACK" not in text and "Droits ouverts" not in text
    assert "Situation : clôturé." in text


def test_feedback_letter_needs_a_step_from_the_receiver(services, team, patient):
    referral = make_referral(services, team, patient)
    with pytest.raises(ValidationError):
        services.referral_documents.feedback_letter(team.gp, referral.id)


def test_consent_form_names_the_partner_and_links_to_the_signed_record(
    services, team, patient, audit_log
):
    from app.services.partners.records import PartnerInput

    partner = services.partners.create(
        team.secretary, PartnerInput("CCAS de Rouen", "ccas", service="Aide sociale facultative")
    )
    since = audit_log.last_id()
    form = services.referral_documents.consent_form(
        team.secretary, patient, "partner", partner_id=partner.id
    )
    text = flat("\n".join(pages(form.pdf)))
    assert "CCAS de Rouen (Aide sociale facultative)" in text
    assert "retirer votre accord à tout moment" in text and "☐ J'accepte" in text
    row = stored(services, form.id)
    assert (row.kind, row.compartment) == ("consent_form", "administrative")
    assert row.content.startswith(b"E1:") and form.pdf not in row.content  # sealed too
    assert [(r.action, r.outcome, r.object_id) for r in audit_log.since(since)] == [
        ("print", "ok", form.id)
    ]
    assert services.documents.open_document(team.secretary, form.id) == form.pdf
    record = services.consents.record(
        team.secretary,
        patient,
        "partner",
        "given",
        method="signed_form",
        partner_id=partner.id,
        document_id=form.id,
    )
    assert record.document_id == form.id


def test_consent_form_refused_to_the_coordination(services, team, patient, audit_log):
    since = audit_log.last_id()
    with pytest.raises(PermissionDenied):
        services.referral_documents.consent_form(team.coordinator, patient, "liaison")
    assert [(r.action, r.outcome) for r in audit_log.since(since)] == [("print", "refused")]


def test_partner_consent_form_needs_the_partner(services, team, patient):
    with pytest.raises(ValidationError):
        services.referral_documents.consent_form(team.gp, patient, "partner")


@pytest.mark.parametrize("who", ["gp2", "paramedical"])
def test_archived_referral_form_opens_for_the_parties_only(services, team, patient, audit_log, who):
    """Holding the liaison key is not enough: the archived form is the referral's content."""
    from app.services.kernel.errors import PermissionDenied

    referral = make_referral(services, team, patient, items={"address"})
    document = services.referral_documents.referral_form(team.gp, referral.id)
    other = getattr(team, who)
    listed = [d.id for d in services.documents.list_documents(other, patient)]
    assert document.id not in listed
    assert document.id in [d.id for d in services.documents.list_documents(team.gp, patient)]
    assert document.id in [
        d.id for d in services.documents.list_documents(team.social_worker, patient)
    ]
    before = audit_log.last_id()
    with pytest.raises(PermissionDenied) as refused:
        services.documents.open_document(other, document.id)
    assert refused.value.message  # French, shown as is
    entries = audit_log.since(before)
    assert [(e.action, e.outcome, e.user_id) for e in entries] == [
        ("read", "refused", other.user_id)
    ]
    assert services.documents.open_document(team.social_worker, document.id) == document.pdf


# ---- a batch of forms ------------------------------------------------------------------------
def test_a_batch_prints_every_form_in_order_with_progress(services, team, patient, audit_log):
    referrals = [make_referral(services, team, patient, items={"address"}) for _ in range(3)]
    ids = [r.id for r in referrals]
    steps: list[tuple[int, int]] = []
    since = audit_log.last_id()
    documents = services.referral_documents.referral_forms(
        team.social_worker, [*ids, ids[0]], progress=lambda d, t: steps.append((d, t))
    )
    assert steps == [(1, 3), (2, 3), (3, 3)]  # each once
    numbers = [d.number for d in documents]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3  # in the order given
    for document in documents:
        assert "Fiche d'orientation" in flat(pages(document.pdf)[0])
    with services.db.session(write=False) as session:
        from app.models import Document

        assert [session.get(Document, d.id).referral_id for d in documents] == ids
    printed = [r for r in audit_log.since(since) if r.action == "print"]
    assert sorted(r.object_id for r in printed) == sorted(d.id for d in documents)
    assert len(all_documents(services)) == 3


def test_a_cancelled_batch_archives_nothing(services, team, patient, audit_log):
    ids = [make_referral(services, team, patient, items={"address"}).id for _ in range(3)]
    steps: list[int] = []
    since = audit_log.last_id()
    with pytest.raises(PrintingCancelled) as raised:
        services.referral_documents.referral_forms(
            team.gp, ids, progress=lambda d, t: steps.append(d), cancelled=lambda: len(steps) >= 2
        )
    assert raised.value.message == "Impression annulée : aucune fiche n'a été archivée."
    assert steps == [1, 2]  # stopped before the third form
    assert all_documents(services) == []
    assert [r for r in audit_log.since(since) if r.action == "print"] == []


def test_a_batch_with_a_referral_not_theirs_prints_nothing(services, team, patient, audit_log):
    mine = make_referral(services, team, patient, items={"address"})
    theirs = make_referral(services, team, patient, items={"address"}, sender=team.gp2)
    since = audit_log.last_id()
    with pytest.raises(PermissionDenied) as raised:  # the second is the other GP's
        services.referral_documents.referral_forms(team.gp, [mine.id, theirs.id])
    assert raised.value.message.startswith("Seuls l'émetteur et le destinataire")
    with pytest.raises(PermissionDenied):  # the secretary is party to neither
        services.referral_documents.referral_forms(team.secretary, [mine.id])
    refused = [(r.outcome, r.object_id) for r in audit_log.since(since) if r.action == "print"]
    assert refused == [("refused", theirs.id), ("refused", mine.id)]
    assert all_documents(services) == []
