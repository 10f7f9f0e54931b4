"""The detail of a home-care request or a discharge plan, as HTML for the tab's browser."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QObject

from app.services.home_care.records import DischargePlanRecord, HomeCareRecord
from app.services.home_care.rules import availability_lines
from app.views.common.labels import date_fr, datetime_fr


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _rows(rows: list[tuple[str, str]]) -> str:
    return (
        "<table cellspacing='0' cellpadding='2'>"
        + "".join(
            f"<tr><td style='color:#455a64; padding-right:10px'>{_esc(k)}</td>"
            f"<td><b>{_esc(v)}</b></td></tr>"
            for k, v in rows
            if v
        )
        + "</table>"
    )


class HomeCareWords(QObject):
    """Counted words (Qt plural forms need a ``tr`` with a count)."""

    def days(self, n: int) -> str:
        return self.tr("%n jour(s)", "", n)


def _days(n: int | None) -> str:
    if not n:
        return QCoreApplication.translate("HomeCareTab", "à préciser")
    return HomeCareWords().days(n)


def request_html(r: HomeCareRecord) -> str:
    rows = [
        (
            QCoreApplication.translate("HomeCareTab", "Statut"),
            r.status_label + (f" — {r.overdue}" if r.overdue else ""),
        ),
        (QCoreApplication.translate("HomeCareTab", "Soins"), r.care_label),
        (QCoreApplication.translate("HomeCareTab", "Actes"), ", ".join(r.act_labels)),
        (QCoreApplication.translate("HomeCareTab", "Précisions"), r.care_detail),
        (
            QCoreApplication.translate("HomeCareTab", "Partenaire"),
            r.partner_name + (f" ({r.partner_contact_name})" if r.partner_contact_name else ""),
        ),
        (QCoreApplication.translate("HomeCareTab", "Acceptée par"), r.accepted_by),
        (QCoreApplication.translate("HomeCareTab", "Motif du refus"), r.refusal_reason),
        (QCoreApplication.translate("HomeCareTab", "Début"), date_fr(r.start_date)),
        (QCoreApplication.translate("HomeCareTab", "Fréquence"), r.frequency_label),
        (
            QCoreApplication.translate("HomeCareTab", "Durée"),
            _days(r.duration_days),
        ),
        (
            QCoreApplication.translate("HomeCareTab", "Prescripteur"),
            f"{r.prescriber_name} — RPPS {r.prescriber_rpps}",
        ),
        (QCoreApplication.translate("HomeCareTab", "Adresse"), r.address),
        (QCoreApplication.translate("HomeCareTab", "Téléphone"), r.phone),
        (
            QCoreApplication.translate("HomeCareTab", "Code porte / étage"),
            " — ".join(x for x in (r.door_code, r.floor) if x),
        ),
        (QCoreApplication.translate("HomeCareTab", "Accès"), r.access_notes),
        (
            QCoreApplication.translate("HomeCareTab", "Sortie d'hospitalisation"),
            date_fr(r.discharge_date) if r.discharge_date else "",
        ),
        (
            QCoreApplication.translate("HomeCareTab", "Établissement"),
            " — ".join(x for x in (r.hospital, r.ward) if x),
        ),
        (
            QCoreApplication.translate("HomeCareTab", "Créée par"),
            QCoreApplication.translate("HomeCareTab", "{created_by_name}, le {created_at}").format(
                created_by_name=r.created_by_name, created_at=datetime_fr(r.created_at)
            ),
        ),
    ]
    parts = [_rows(rows)]
    lines = availability_lines(r.availability)
    if lines:
        parts.append(
            QCoreApplication.translate("HomeCareTab", "<h4>Disponibilités</h4>") + _rows(lines)
        )
    if r.events:
        parts.append(
            QCoreApplication.translate("HomeCareTab", "<h4>Étapes</h4><ul>")
            + "".join(
                f"<li>{_esc(datetime_fr(e.at))} — {_esc(e.to_label)}"
                + (f" ({_esc(e.actor_name)})" if e.actor_name else "")
                + (f" : {_esc(e.detail)}" if e.detail else "")
                + "</li>"
                for e in r.events
            )
            + "</ul>"
        )
    return "".join(parts)


def plan_html(p: DischargePlanRecord) -> str:
    rows = [
        (QCoreApplication.translate("HomeCareTab", "Statut"), p.status_label),
        (QCoreApplication.translate("HomeCareTab", "Sortie prévue le"), date_fr(p.target_date)),
        (
            QCoreApplication.translate("HomeCareTab", "Entrée le"),
            date_fr(p.admitted_on) if p.admitted_on else "",
        ),
        (
            QCoreApplication.translate("HomeCareTab", "Établissement"),
            " — ".join(x for x in (p.hospital, p.ward) if x),
        ),
        (
            QCoreApplication.translate("HomeCareTab", "Destination"),
            p.destination_label + (f" — {p.destination_detail}" if p.destination_detail else ""),
        ),
        (
            QCoreApplication.translate("HomeCareTab", "Aides"),
            ", ".join(p.aid_labels) or QCoreApplication.translate("HomeCareTab", "aucune"),
        ),
        (QCoreApplication.translate("HomeCareTab", "Garde d'enfants"), p.child_care),
        (QCoreApplication.translate("HomeCareTab", "Équipement"), ", ".join(p.equipment)),
        (QCoreApplication.translate("HomeCareTab", "Commentaire"), p.comments),
    ]
    parts = [_rows(rows), f"<h4>{_esc(p.ardh.label)}</h4><ul>"]
    parts += [f"<li>{_esc(r)}</li>" for r in p.ardh.reasons]
    parts.append("</ul>")
    if p.ardh.missing:
        parts.append(
            QCoreApplication.translate("HomeCareTab", "<p>À renseigner : {value}.</p>").format(
                value=_esc(", ".join(p.ardh.missing))
            )
        )
    if p.requests:
        parts.append(
            QCoreApplication.translate("HomeCareTab", "<h4>Demandes de soins liées</h4><ul>")
            + "".join(
                f"<li>{_esc(r.care_label)} — {_esc(r.partner_name or '—')} — "
                f"{_esc(r.status_label)}</li>"
                for r in p.requests
            )
            + "</ul>"
        )
    if p.follow_ups:
        parts.append(
            QCoreApplication.translate("HomeCareTab", "<h4>Suivi</h4><ul>")
            + "".join(
                "<li>"
                + _esc(
                    QCoreApplication.translate("HomeCareTab", "{label} le {date}").format(
                        label=f.label, date=date_fr(f.due_on)
                    )
                )
                + (QCoreApplication.translate("HomeCareTab", " — fait") if f.done else "")
                + "</li>"
                for f in p.follow_ups
            )
            + "</ul>"
        )
    return "".join(parts)
