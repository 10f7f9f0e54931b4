"""What a copied database shows: every column of every table, sealed or readable, and why.

One classification for the whole schema. A test walks the SQLAlchemy metadata and fails on any
column missing here, so that a new column cannot leak unnoticed; the table of
``docs/security.md`` (« What a copied database reveals ») is generated from it
(``python -m app.services.security.classification --write``). The kinds (:class:`Sealed`,
:class:`Readable`, :class:`Legacy`) are described in ``classification_kinds``.
"""

from __future__ import annotations

import argparse
import sys

from app.services.security import classification_doc as doc
from app.services.security import sealed_fields as sf
from app.services.security.classification_doc import KEY_LABELS, SECURITY_DOC
from app.services.security.classification_kinds import (
    KEY,
    LINK,
    VERSION,
    WHEN,
    Legacy,
    R,
    Readable,
    Sealed,
    Why,
    sealed_columns,
)

__all__ = ["CLASSIFICATION", "KEY_LABELS", "SECURITY_DOC", "Legacy", "Readable", "Sealed", "Why"]

CLASSIFICATION: dict[str, dict[str, Readable | Sealed | Legacy]] = {
    "patient": {
        "id": KEY,
        "birth_name": R(Why.SEARCH),
        "used_name": R(Why.SEARCH),
        "first_names": R(Why.SEARCH),
        "sex": R(Why.SEARCH, "INS identity trait"),
        "birth_date": R(Why.SEARCH),
        "birth_place_code": R(Why.SEARCH, "INS identity trait"),
        "identity_status": R(Why.SEARCH, "INS: provisional or validated"),
        "identity_document": R(Why.SEARCH, "kind of paper seen at the desk"),
        "nir": R(Why.SEARCH),
        "phone": R(Why.SEARCH, "contact: the secretariat calls"),
        "email": R(Why.SEARCH, "contact"),
        "address": R(Why.SEARCH, "contact; partners filtered by commune"),
        "postal_code": R(Why.SEARCH),
        "city": R(Why.SEARCH),
        "attending_gp_id": LINK,
        "attending_gp_other": R(Why.SEARCH, "name of an outside attending GP"),
        "social_referent_id": LINK,
        "social_referent_contact_id": LINK,
        "sort_key": R(Why.SEARCH, "normalised name: the search index"),
        "created_at": WHEN,
        "updated_at": WHEN,
        "archived_at": R(Why.DATES, "retention"),
        "last_activity_at": R(Why.DATES, "retention"),
        "version": VERSION,
    },
    "patient_token": {
        "patient_id": LINK,
        "token": R(Why.SEARCH, "words of the name, NIR and birth date: the search index"),
    },
    "patient_name_prefix": {
        "prefix": R(Why.SEARCH, "prefixes of the name words: the search index, in sort order"),
        "sort_key": R(Why.SEARCH, "the patient's normalised name: the search's order"),
        "patient_id": LINK,
        "words": R(Why.SEARCH, "the patient's name words: a search's other words, checked"),
    },
    "patient_name_prefix_count": {
        "prefix": R(Why.SEARCH, "prefixes of the name words: which word a search walks"),
        "patients": R(Why.SEARCH, "how many patients have a name word with the prefix"),
    },
    "note": {
        "id": KEY,
        "patient_id": LINK,
        "compartment": R(Why.STATUS, "which tab: its readers are public in the policy table"),
        "author_id": LINK,
        "created_at": WHEN,
        "updated_at": WHEN,
        "updated_by_id": LINK,
        "content": Sealed("the note's compartment", "medical, social or liaison"),
        "version": VERSION,
    },
    "consent": {
        "id": KEY,
        "patient_id": LINK,
        "scope": R(Why.CONSENT, "liaison, referral to CARSAT, a named partner"),
        "partner_id": R(Why.CONSENT, "the partner a consent names"),
        "status": R(Why.CONSENT),
        "decided_on": R(Why.CONSENT),
        "method": R(Why.CONSENT, "oral or signed form"),
        "document_id": LINK,
        "recorded_by_id": LINK,
        "recorded_at": WHEN,
    },
    "referral": {
        "id": KEY,
        "patient_id": LINK,
        "sender_id": LINK,
        "receiver_id": LINK,
        "partner_id": R(Why.LINK, "destination: every role sees who a patient is sent to"),
        "partner_contact_id": LINK,
        "reason": Legacy("referral", "sealed in the content since 0005"),
        "reason_category": R(
            Why.STATISTICS,
            "rights and care / employment / living conditions: urgent situations (violence, "
            "a child in danger) fall with housing, family and the return home",
        ),
        "urgency": R(Why.STATUS, "urgent first in the lists to schedule"),
        "status": R(Why.STATUS),
        "content": Sealed("referral", "reason, message, shared items, notes, outcome"),
        "feedback": Sealed("referral", "the receiver's feedback"),
        "feedback_summary": R(Why.STATUS, "« pris en charge », « clôturé », « réorienté »"),
        "outcome": R(Why.STATUS, "only « renseignée »: the outcome text is sealed"),
        "reoriented_to_id": R(Why.STATISTICS, "orientation errors: to which service"),
        "orientation_error_rule": R(Why.STATISTICS, "orientation errors: the guide's rule"),
        "from_guide": R(
            Why.STATISTICS,
            "guide use: written from the orientation guide's proposal, yes or no (the rule "
            "stays sealed)",
        ),
        "created_at": WHEN,
        "sent_at": WHEN,
        "received_at": WHEN,
        "booked_at": WHEN,
        "seen_at": WHEN,
        "closed_at": WHEN,
        "updated_at": WHEN,
        "sender_seen_at": R(Why.STATUS, "unread marker"),
        "receiver_seen_at": R(Why.STATUS, "unread marker"),
        "version": VERSION,
    },
    "referral_event": {
        "id": KEY,
        "referral_id": LINK,
        "from_status": R(Why.STATUS),
        "to_status": R(Why.STATUS),
        "at": WHEN,
        "actor_id": LINK,
        "detail": R(
            Why.STATUS,
            "fixed phrases and appointment times (older rows: sealed by keys encrypt-existing)",
        ),
        "sealed_detail": Sealed("referral", "shared items, guide rule, reorientation"),
    },
    "record_key": {
        "id": KEY,
        "scope": R(Why.KEYS, "« referral »"),
        "record_id": LINK,
        "recovery_wrap": R(Why.KEYS, "sealed to the recovery public key"),
        "created_at": WHEN,
    },
    "record_key_grant": {
        "id": KEY,
        "record_key_id": LINK,
        "user_id": LINK,
        "wrapped_key": R(Why.KEYS, "sealed to the user's public key"),
        "granted_at": WHEN,
    },
    "appointment": {
        "id": KEY,
        "patient_id": LINK,
        "professional_id": LINK,
        "session_id": LINK,
        "referral_id": LINK,
        "starts_at": R(Why.SCHEDULING),
        "ends_at": R(Why.SCHEDULING),
        "slot_key": R(Why.SCHEDULING, "one occupant per slot (unique index)"),
        "place": R(Why.SCHEDULING),
        "room": R(Why.SCHEDULING),
        "reason": Legacy("referral", "the referral's reason, read through its key since 0005"),
        "status": R(Why.STATUS),
        **sealed_columns(sf.APPOINTMENT),
        "booked_by_id": LINK,
        "booked_at": WHEN,
        "confirmed_at": WHEN,
        "called_at": WHEN,
        "status_at": WHEN,
        "status_by_id": LINK,
        "freed_notice_read_at": R(Why.STATUS, "inbox"),
        "version": VERSION,
    },
    "consultation_session": {
        "id": KEY,
        "professional_id": LINK,
        "label": R(Why.CLINIC, "« Permanence CARSAT »"),
        "place": R(Why.SCHEDULING),
        "room": R(Why.SCHEDULING),
        "weekday": R(Why.SCHEDULING),
        "opens": R(Why.SCHEDULING),
        "closes": R(Why.SCHEDULING),
        "slot_minutes": R(Why.SCHEDULING),
        "every_weeks": R(Why.SCHEDULING),
        "first_date": R(Why.SCHEDULING),
        "last_date": R(Why.SCHEDULING),
        "active": R(Why.SCHEDULING),
        "created_by_id": LINK,
        "created_at": WHEN,
        "version": VERSION,
    },
    "session_exception": {
        "id": KEY,
        "session_id": LINK,
        "day": R(Why.SCHEDULING),
        "kind": R(Why.SCHEDULING, "cancelled or added"),
        "reason": R(Why.CLINIC, "why the clinic closes a day (« Formation »): no patient"),
        "created_by_id": LINK,
        "created_at": WHEN,
    },
    "waiting_list_entry": {
        "id": KEY,
        "patient_id": LINK,
        "professional_id": LINK,
        "referral_id": LINK,
        "urgency": R(Why.STATUS, "order of the list"),
        **sealed_columns(sf.WAITING_LIST_ENTRY),
        "status": R(Why.STATUS),
        "appointment_id": LINK,
        "created_by_id": LINK,
        "created_at": WHEN,
        "updated_at": WHEN,
        "version": VERSION,
    },
    "social_assessment": {
        "id": KEY,
        "patient_id": LINK,
        "author_id": LINK,
        "appointment_id": LINK,
        "created_at": WHEN,
        "content": Sealed("social", "the whole assessment"),
    },
    "social_action": {
        "id": KEY,
        "patient_id": LINK,
        "owner_id": LINK,
        **sealed_columns(sf.SOCIAL_ACTION),
        "detail": Sealed("social", "the step's free detail"),
        "status": R(Why.STATUS, "reminders"),
        "due_on": R(Why.DATES, "reminders"),
        "remind_on": R(Why.DATES, "reminders"),
        "created_at": WHEN,
        "updated_at": WHEN,
        "done_at": WHEN,
        "reminder_seen_at": R(Why.STATUS, "inbox"),
        "version": VERSION,
    },
    "home_care_request": {
        "id": KEY,
        "patient_id": LINK,
        "created_by_id": LINK,
        "discharge_plan_id": LINK,
        "previous_id": LINK,
        "care_kind": R(
            Why.STATISTICS,
            "nurse, physiotherapist or midwife: the partner filter and the statistics",
        ),
        **sealed_columns(sf.HOME_CARE_REQUEST),
        "start_date": R(Why.DATES, "overdue requests"),
        "partner_id": R(Why.LINK, "the partner it is addressed to"),
        "partner_contact_id": LINK,
        "status": R(Why.STATUS),
        "created_at": WHEN,
        "updated_at": WHEN,
        "sent_at": WHEN,
        "accepted_at": WHEN,
        "started_at": WHEN,
        "finished_at": WHEN,
        "refused_at": WHEN,
        "reminder_seen_at": R(Why.STATUS, "inbox"),
        "version": VERSION,
    },
    "home_care_event": {
        "id": KEY,
        "request_id": LINK,
        "from_status": R(Why.STATUS),
        "to_status": R(Why.STATUS),
        "at": WHEN,
        "actor_id": LINK,
        **sealed_columns(sf.HOME_CARE_EVENT),
    },
    "discharge_plan": {
        "id": KEY,
        "patient_id": LINK,
        "created_by_id": LINK,
        **sealed_columns(sf.DISCHARGE_PLAN),
        "target_date": R(Why.DATES, "orders the plans; dates the follow-ups"),
        "destination": R(Why.STATISTICS, "home, EHPAD, SMR or HAD"),
        "ardh_eligible": R(Why.STATISTICS, "ARDH eligibility, without its inputs"),
        "status": R(Why.STATUS),
        "created_at": WHEN,
        "updated_at": WHEN,
        "version": VERSION,
    },
    "discharge_follow_up": {
        "id": KEY,
        "plan_id": LINK,
        "owner_id": LINK,
        "due_on": R(Why.DATES, "reminders"),
        "label": R(Why.STATUS, "« Suivi à J+7 »"),
        "done_at": WHEN,
        "reminder_seen_at": R(Why.STATUS, "inbox"),
    },
    "document": {
        "id": KEY,
        "number": R(Why.KEY, "« REL-2026-000042 », printed on the paper"),
        "kind": R(Why.STATUS, "which kind of paper: the list and retention"),
        "title": Legacy("the document's key"),
        "sealed_title": Sealed("the document's key", "its compartment's, or its referral's"),
        "patient_id": LINK,
        "compartment": R(Why.STATUS, "who may open it"),
        "author_id": LINK,
        "referral_id": LINK,
        "created_at": WHEN,
        "sha256": R(Why.INTEGRITY, "of the whole PDF"),
        "size": R(Why.INTEGRITY),
        "content": Sealed("the document's key", "its compartment's, or its referral's"),
    },
    "exceptional_access": {
        "id": KEY,
        "user_id": LINK,
        "patient_id": LINK,
        "compartment": R(Why.AUDIT),
        **sealed_columns(sf.EXCEPTIONAL_ACCESS),
        "started_at": WHEN,
        "expires_at": WHEN,
    },
    "notification": {
        "id": KEY,
        "user_id": LINK,
        "kind": R(Why.STATUS),
        "patient_id": LINK,
        "text": R(Why.STATUS, "written by Relais: who opened which compartment, never a content"),
        "created_at": WHEN,
        "read_at": R(Why.STATUS),
    },
    "partner": {
        "id": KEY,
        **{
            name: R(Why.CLINIC)
            for name in (
                "name",
                "kind",
                "service",
                "address",
                "phone",
                "email",
                "communes",
                "handles",
                "active",
            )
        },
        "created_at": WHEN,
        "version": VERSION,
    },
    "partner_contact": {
        "id": KEY,
        "partner_id": LINK,
        **{
            name: R(Why.CLINIC)
            for name in ("name", "title", "phone", "email", "social_worker", "active")
        },
        "version": VERSION,
    },
    "user_account": {
        "id": KEY,
        **{
            name: R(Why.CLINIC)
            for name in (
                "username",
                "first_name",
                "last_name",
                "role",
                "profession",
                "rpps",
                "active",
                "must_change_password",
                "failed_logins",
                "locked_until",
                "last_login_at",
            )
        },
        "password_hash": R(Why.CIPHERTEXT, "Argon2id"),
        "created_at": WHEN,
        "version": VERSION,
    },
    "user_key": {
        "user_id": LINK,
        "public_key": R(Why.KEYS),
        "sealed_private_key": Sealed("password", "under a key derived from the password"),
        "kdf_salt": R(Why.KEYS),
        "kdf_params": R(Why.KEYS),
        "created_at": WHEN,
    },
    "compartment_key": {
        "id": KEY,
        "compartment": R(Why.KEYS, "which sealing domain"),
        "recovery_wrap": R(Why.KEYS, "sealed to the recovery public key"),
        "created_at": WHEN,
        "created_by_id": LINK,
    },
    "key_grant": {
        "id": KEY,
        "user_id": LINK,
        "compartment_key_id": LINK,
        "kind": R(Why.KEYS, "role or break-glass"),
        "wrapped_key": R(Why.KEYS, "sealed to the user's public key"),
        "granted_by_id": LINK,
        "granted_at": WHEN,
    },
    "recovery_key": {
        "id": KEY,
        "public_key": R(Why.KEYS),
        "fingerprint": R(Why.KEYS),
        "created_at": WHEN,
    },
    "second_factor": {
        "user_id": LINK,
        "sealed_secret": Sealed("password", "the TOTP secret"),
        "enrolled_at": WHEN,
        "last_counter": R(Why.INTEGRITY, "replay protection"),
    },
    "recovery_code": {
        "id": KEY,
        "user_id": LINK,
        "code_hash": R(Why.CIPHERTEXT, "Argon2id"),
        "used_at": WHEN,
    },
    "clinic": {
        "id": KEY,
        **{
            name: R(Why.CLINIC)
            for name in (
                "name",
                "address",
                "finess",
                "phone",
                "demo",
                "inactivity_minutes",
                "installation_id",
                "require_totp",
                "session_hours",
                "break_glass_enabled",
                "break_glass_minutes",
                "retention_years",
                "backup_dir",
                "backup_keep",
                "referral_overdue_days",
                "language",
            )
        },
        "created_at": WHEN,
        "version": VERSION,
    },
    "audit_entry": {
        "id": KEY,
        "at": R(Why.AUDIT),
        "user_id": R(Why.AUDIT),
        "username": R(Why.AUDIT),
        "role": R(Why.AUDIT),
        "action": R(Why.AUDIT),
        "outcome": R(Why.AUDIT),
        "patient_id": R(Why.AUDIT),
        "compartment": R(Why.AUDIT),
        "object_type": R(Why.AUDIT),
        "object_id": R(Why.AUDIT),
        "workstation": R(Why.AUDIT),
        "detail": R(Why.AUDIT, "transitions and counts, never a content, a reason or a kind"),
        "seq": R(Why.AUDIT, "chain order"),
        "mac": R(Why.CIPHERTEXT, "keyed chain hash"),
    },
    "audit_head": {
        "id": KEY,
        "seq": R(Why.AUDIT),
        "mac": R(Why.CIPHERTEXT, "keyed chain hash"),
    },
}


def markdown_table() -> str:
    """The classification as the Markdown table of docs/security.md."""
    return doc.markdown_table(CLASSIFICATION)


def render_into(text: str) -> str:
    """``text`` (docs/security.md) with the generated table between its markers."""
    return doc.render_into(text, CLASSIFICATION)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite docs/security.md")
    args = parser.parse_args(argv)
    if args.write:
        SECURITY_DOC.write_text(render_into(SECURITY_DOC.read_text("utf-8")), "utf-8")
    else:
        sys.stdout.write(markdown_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
