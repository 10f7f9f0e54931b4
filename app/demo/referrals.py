"""Demo referrals: a showcase in every state, made through the real referral service (consent
at sending, sealed message and shared items, timestamped events, feedback), so that the demo
shows the whole GP ↔ social worker workflow and every inbox item."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.models import Consent, Partner
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.patient_file.records import ConsentScope, ConsentStatus
from app.services.referrals.records import ReferralInput, ReferralReason, SharedItem, Urgency

if TYPE_CHECKING:
    from app.container import Services

MESSAGES = {
    ReferralReason.COMPLEMENTARY_INSURANCE: (
        "Patient sans complémentaire santé depuis la fin de son contrat de travail ; renonce à "
        "ses soins dentaires. Merci de l'aider pour la complémentaire santé solidaire."
    ),
    ReferralReason.JOB_RETENTION: (
        "Arrêt de travail depuis quatre mois après une intervention ; s'inquiète pour son poste. "
        "Pouvez-vous voir la prévention de la désinsertion professionnelle ?"
    ),
    ReferralReason.RETURN_HOME: (
        "Sortie d'hospitalisation prévue la semaine prochaine, vit seul(e) au 3e étage sans "
        "ascenseur. Aide au retour à domicile à organiser."
    ),
    ReferralReason.CARE_COST: (
        "Reporte ses examens pour raison financière (reste à charge). Merci d'étudier les aides "
        "possibles."
    ),
    ReferralReason.HOUSING: "Logement humide et trop petit depuis la naissance du 2e enfant.",
    ReferralReason.AUTONOMY: "Perte d'autonomie progressive, aidant épuisé. Quelles aides ?",
}
FEEDBACKS = (
    "Vue en permanence : dossier de complémentaire santé solidaire déposé, réponse attendue "
    "sous deux mois.",
    "Rencontré(e) avec son employeur et le service de santé au travail : reprise à temps "
    "partiel thérapeutique envisagée.",
    "ARDH accordée pour trois mois : aide ménagère deux fois par semaine à partir de la sortie.",
)
# How far each showcase referral goes: 0 draft … 7 refused by the patient.
PLAN = ("sent", "sent", "received", "booked", "seen", "closed", "closed", "reoriented", "refused")


def create_demo_referrals(
    services: Services, actors: dict[str, Actor], *, count: int, seed: int = 2026
) -> int:
    """Up to ``count`` referrals for patients whose liaison consent is given; returns how many."""
    rng = random.Random(f"relais-demo-referrals:{seed}")
    gps = [a for a in actors.values() if a.role == "gp"]
    social_worker = next(a for a in actors.values() if a.role == "social_worker")
    with services.db.session(write=False) as session:
        patient_ids = session.scalars(
            select(Consent.patient_id)
            .where(
                Consent.scope == str(ConsentScope.LIAISON),
                Consent.status == str(ConsentStatus.GIVEN),
            )
            .order_by(Consent.patient_id)
            .limit(count)
        ).all()
        partner_ids = session.scalars(select(Partner.id).where(Partner.kind == "ccas")).all()
    made = 0
    for index, patient_id in enumerate(patient_ids):
        gp = gps[index % len(gps)]
        reason = list(MESSAGES)[index % len(MESSAGES)]
        step = PLAN[index % len(PLAN)]
        try:
            view = services.referrals.create(
                gp,
                ReferralInput(
                    patient_id=patient_id,
                    reason=reason,
                    urgency=Urgency.URGENT if rng.random() < 0.2 else Urgency.NORMAL,
                    message=MESSAGES[reason],
                    receiver_id=social_worker.user_id,
                    items=frozenset({SharedItem.CONTACT, SharedItem.ATTENDING_GP}),
                ),
            )
            referral_id = view.summary.id
            services.referrals.send(gp, referral_id, patient_agrees=step != "refused")
            made += 1
            if step in ("sent", "refused"):
                continue
            services.referrals.acknowledge(social_worker, referral_id)
            if step == "reoriented" and partner_ids:
                services.referrals.reorient(
                    social_worker,
                    referral_id,
                    partner_id=partner_ids[0],
                    reason="Aide facultative de la commune : relève du CCAS.",
                    rule="R1",
                )
                continue
            if step in ("received", "booked"):
                continue  # booked through the agenda (demo_scheduling): a real appointment
            services.referrals.book(social_worker, referral_id)
            services.referrals.record_seen(social_worker, referral_id)
            if step == "seen":
                continue
            services.referrals.close(
                social_worker,
                referral_id,
                outcome="Droits ouverts",
                feedback=FEEDBACKS[index % len(FEEDBACKS)],
            )
        except RelaisError:
            continue  # a demo patient whose situation does not allow this step: skip it
    return made
