"""Printed referral documents: the pure builders (``referral_form_pdf``,
``feedback_letter_pdf``, ``consent_form_pdf``) that lay out plain sheets (reportlab through
``app.services.kernel.pdf``, A4, French). They print exactly what the sheet holds."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from app.i18n import _
from app.lazy import mm, on_first_use
from app.services.kernel.timefmt import fmt_date, fmt_datetime
from app.services.referrals.sheets import (
    URGENCY_LABELS,
    ConsentSheet,
    FeedbackSheet,
    PatientIdentity,
    Professional,
    ReferralSheet,
    consent_statement,
)

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from app.services.kernel import pdf
else:
    pdf = on_first_use("app.services.kernel.pdf")  # reportlab, loaded with the first document


def _patient_section(patient: PatientIdentity) -> list[Flowable]:
    return pdf.section("Patient", [pdf.key_values(patient.lines())])


def referral_form_body(sheet: ReferralSheet, today: datetime) -> list[Flowable]:
    sender = [
        (_("Nom"), sheet.sender.name),
        (_("Profession"), sheet.sender.profession),
        (_("N° RPPS"), sheet.sender.rpps),
    ]
    if sheet.sender.organisation:
        sender.append((_("Structure"), sheet.sender.organisation))
    body: list[Flowable] = [
        pdf.columns(
            [
                [pdf.heading(_("Émetteur")), pdf.half_width_key_values(sender)],
                [pdf.heading(_("Destinataire")), pdf.half_width_key_values(sheet.receiver.lines())],
            ]
        )
    ]
    body += _patient_section(sheet.patient)
    body += pdf.section(
        _("Motif de l'orientation"),
        [
            pdf.key_values(
                [
                    (_("Motif"), sheet.reason_label),
                    *([(_("Axe"), sheet.axis_label)] if sheet.axis_label else []),
                    (_("Urgence"), URGENCY_LABELS.get(sheet.urgency, sheet.urgency)),
                    *([(_("Envoyée le"), fmt_datetime(sheet.sent_at))] if sheet.sent_at else []),
                ]
            )
        ],
    )
    body += _items_section(sheet)
    if sheet.withheld:
        body.append(
            pdf.text(
                _("Éléments retenus (le patient a retiré son accord depuis l'envoi) : ")
                + ", ".join(sheet.withheld)
                + ".",
                "muted",
            )
        )
    if sheet.message.strip():
        body += pdf.section(_("Message"), pdf.paragraphs(sheet.message.strip()))
    # The statement and the signature stay together (never a signature alone on a page).
    body += pdf.section(
        _("Consentement du patient"),
        [
            pdf.text(
                consent_statement(sheet.consent_on, sheet.consent_method, sheet.consent_status)
            ),
            pdf.Spacer(1, 3 * mm),
            pdf.signature_boxes(
                [
                    _("Fait le {today} — {name}").format(
                        today=fmt_date(today), name=sheet.sender.name
                    ),
                    _("Signature et cachet de l'émetteur"),
                ]
            ),
        ],
    )
    return body


def referral_form_pdf(meta: pdf.DocumentMeta, sheet: ReferralSheet) -> bytes:
    return pdf.render(meta, referral_form_body(sheet, meta.created_at))


def feedback_letter_body(sheet: FeedbackSheet, today: datetime) -> list[Flowable]:
    body: list[Flowable] = [
        pdf.key_values(
            [
                (_("De"), _who(sheet.author)),
                ("À", _who(sheet.recipient)),
                ("Patient", sheet.patient.display_name),
                (_("Né(e) le"), fmt_date(sheet.patient.birth_date)),
            ]
        ),
        pdf.Spacer(1, 3 * mm),
        pdf.text(
            _("Suite à l'orientation")
            + (f" du {fmt_date(sheet.sent_at)}" if sheet.sent_at else "")
            + _(" (motif : « {value} »), voici ce qu'il en est advenu.").format(
                value=sheet.reason_label or "—"
            )
        ),
    ]
    rows = [(_("Issue"), sheet.outcome_label or sheet.summary or "—")]
    rows += [(fmt_datetime(at), label) for at, label in sheet.events]
    body += pdf.section(_("Suivi"), [pdf.key_values(rows)])
    if sheet.feedback is not None and sheet.feedback.strip():
        body += pdf.section(_("Retour"), pdf.paragraphs(sheet.feedback.strip()))
    else:
        body += pdf.section(
            _("Retour"),
            [
                pdf.text(
                    _("Situation : {value}.").format(
                        value=sheet.summary or sheet.outcome_label or "—"
                    )
                ),
                pdf.text(
                    _(
                        "Le patient n'a pas donné (ou a retiré) son accord au "
                        "partage d'informations "
                        "entre son médecin et le service social : ce retour se limite donc à "
                        "indiquer si l'orientation a été prise en charge ou clôturée."
                    ),
                    "muted",
                ),
            ],
        )
    body += [
        pdf.Spacer(1, 3 * mm),
        pdf.signature_boxes(
            [
                _("Fait le {today} — {name}").format(today=fmt_date(today), name=sheet.author.name),
                _("Signature"),
            ]
        ),
    ]
    return body


def feedback_letter_pdf(meta: pdf.DocumentMeta, sheet: FeedbackSheet) -> bytes:
    return pdf.render(meta, feedback_letter_body(sheet, meta.created_at))


def _who(p: Professional) -> str:
    parts = [p.name]
    if p.profession:
        parts.append(p.profession)
    if p.rpps:
        parts.append(f"RPPS {p.rpps}")
    return " — ".join(parts)


def consent_texts(sheet: ConsentSheet) -> dict[str, str]:
    """The plain-words paragraphs of the consent form, by heading (tested on their own)."""
    sw = sheet.social_worker or _("l'assistante sociale de la CARSAT")
    partner = sheet.partner_name + (f" ({sheet.partner_service})" if sheet.partner_service else "")
    if sheet.scope == "liaison":
        what = _(
            "Votre médecin et les soignants de la maison de santé d'une part, et "
            "{sw}, qui tient des permanences à la maison de santé d'autre part, "
            "pourront échanger les informations utiles pour vous aider : les "
            "difficultés que vous avez signalées (santé, logement, ressources, "
            "travail, vie à la maison), les démarches en cours et leurs suites. "
            "Ces échanges sont écrits dans une partie de votre dossier que seuls "
            "ces professionnels peuvent lire. Les détails médicaux restent chez "
            "votre médecin, les détails sociaux chez l'assistante sociale."
        ).format(sw=sw)
        why = _(
            "Pour que vous n'ayez pas à tout raconter plusieurs fois, et pour que votre médecin "
            "et l'assistante sociale puissent vous accompagner ensemble (accès aux soins, "
            "accès à vos droits, retour à domicile, maintien dans l'emploi…)."
        )
        whom = _(
            "Votre médecin, les soignants de la maison de santé qui vous suivent, et {sw}."
        ).format(sw=sw)
    elif sheet.scope == "referral_carsat":
        what = _(
            "Le professionnel qui vous oriente transmet à {sw} votre identité, le "
            "motif de l'orientation et seulement les éléments de votre dossier "
            "qu'il juge strictement nécessaires (par exemple vos coordonnées ou "
            "votre situation de travail). Il vous dit lesquels."
        ).format(sw=sw)
        why = _(
            "Pour que l'assistante sociale puisse vous recevoir, étudier votre situation et vous "
            "aider dans vos démarches (droits, soins, arrêt de travail, retour à domicile…)."
        )
        whom = _("{sw} (service social de la CARSAT), à la maison de santé.").format(
            sw=_capital(sw)
        )
    else:
        what = _(
            "Le professionnel qui vous oriente transmet à {value} votre identité, "
            "le motif de l'orientation et seulement les éléments de votre dossier "
            "qu'il juge strictement nécessaires. Il vous dit lesquels. Ce "
            "partenaire peut ensuite dire à la maison de santé ce qu'il a pu faire "
            "pour vous."
        ).format(value=partner or _("ce partenaire"))
        why = _(
            "Pour que ce service puisse vous recevoir et vous aider, sans que vous ayez à tout "
            "expliquer de nouveau."
        )
        whom = _("{value}, et les professionnels de la maison de santé qui vous suivent.").format(
            value=partner or _("Le partenaire nommé")
        )
    return {
        "Ce qui est partagé": what,
        "Avec qui": whom,
        "Pourquoi": why,
        "Vous pouvez refuser": (
            _(
                "Vous êtes libre d'accepter ou de refuser. Si vous refusez, "
                "vous serez soigné(e) et "
                "accompagné(e) exactement de la même façon : votre refus n'a aucune conséquence "
                "sur vos soins."
            )
        ),
        "Vous pouvez changer d'avis": (
            _(
                "Vous pouvez retirer votre accord à tout moment, sans avoir à vous justifier : "
                "il suffit de le dire à votre médecin, à l'assistante sociale ou à l'accueil de la "
                "maison de santé, ou de l'écrire. Le retrait prend effet immédiatement : plus rien "
                "n'est partagé à partir de ce moment."
            )
        ),
        "Vos droits": (
            _(
                "Vous pouvez demander à voir ce qui a été partagé et qui l'a consulté. Les "
                "professionnels qui reçoivent ces informations sont tenus au secret "
                "professionnel."
            )
        ),
    }


def _capital(value: str) -> str:
    return value[:1].upper() + value[1:]


def consent_form_body(sheet: ConsentSheet, today: datetime) -> list[Flowable]:
    body: list[Flowable] = [
        pdf.key_values(
            [
                (
                    "Patient",
                    _("{display_name}, né(e) le {birth_date}").format(
                        display_name=sheet.patient.display_name,
                        birth_date=fmt_date(sheet.patient.birth_date),
                    ),
                ),
                (_("Proposé par"), _who(sheet.professional)),
            ]
        ),
        pdf.Spacer(1, 2 * mm),
    ]
    for title, paragraph in consent_texts(sheet).items():
        body += pdf.section(title, [pdf.text(paragraph)])
    for line in sheet.extra:
        body.append(pdf.text(line))
    decision = pdf.section(
        _("Votre décision"),
        [
            pdf.checkboxes(["J'accepte", _("Je refuse")]),
            pdf.signature_boxes(
                [
                    _("Date et signature du patient (ou de son représentant)"),
                    _("Date et signature du professionnel — {name}").format(
                        name=sheet.professional.name
                    ),
                ],
                height=22 * mm,
            ),
            pdf.text(
                _("Formulaire édité le {today}. Cochez une seule case.").format(
                    today=fmt_date(today)
                ),
                "muted",
            ),
        ],
    )
    body += decision
    return body


def consent_form_pdf(meta: pdf.DocumentMeta, sheet: ConsentSheet) -> bytes:
    return pdf.render(meta, consent_form_body(sheet, meta.created_at))


def _items_section(sheet: ReferralSheet) -> list[Flowable]:
    """The items the sender chose: short ones as rows, long ones (liaison notes) as text."""
    body: list[Flowable] = []
    if sheet.items:
        # Short items as label/value rows; long ones (liaison notes) as text that can flow
        # across pages (a table row cannot be split).
        short = [(label, value) for label, value in sheet.items if len(value) <= 300]
        long = [(label, value) for label, value in sheet.items if len(value) > 300]
        items: list[Flowable] = [
            pdf.text(
                _(
                    "Éléments du dossier choisis par l'émetteur comme strictement nécessaires à "
                    "cette orientation (rien d'autre n'est transmis) :"
                ),
                "muted",
            )
        ]
        if short:
            items.append(pdf.key_values(short))
        for label, value in long:
            items.append(pdf.text(label, "label"))
            items.extend(pdf.paragraphs(value))
        body += pdf.section(_("Éléments transmis"), items)
    else:
        body += pdf.section(
            _("Éléments transmis"),
            [pdf.text(_("Aucun élément du dossier n'accompagne cette orientation."), "muted")],
        )
    return body
