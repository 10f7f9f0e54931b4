"""The audit trail's vocabulary: the action codes every service writes and their French labels."""

from __future__ import annotations

from app.i18n import N_, Labels


class AuditAction:
    """Action codes written in the audit trail (``AuditEntry.action``)."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGIN_THROTTLED = "login_throttled"
    LOGOUT = "logout"
    UNLOCK = "unlock"
    UNLOCK_FAILED = "unlock_failed"
    REAUTHENTICATE = "reauthenticate"
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    CONFLICT = "conflict"
    SEARCH = "search"
    ACCOUNT_CREATE = "account_create"
    ACCOUNT_UPDATE = "account_update"
    ACCOUNT_DISABLE = "account_disable"
    ACCOUNT_ENABLE = "account_enable"
    PASSWORD_RESET = "password_reset"
    PASSWORD_CHANGE = "password_change"
    SECOND_FACTOR_ENROL = "second_factor_enrol"
    SECOND_FACTOR_REMOVE = "second_factor_remove"
    CLINIC_SETUP = "clinic_setup"
    CLINIC_UPDATE = "clinic_update"
    KEY_GRANT = "key_grant"
    KEY_GRANT_BREAK_GLASS = "key_grant_break_glass"
    KEY_RECOVER = "key_recover"
    BREAK_GLASS = "break_glass"
    PRINT = "print"
    EXPORT = "export"
    ARCHIVE = "archive"
    UNARCHIVE = "unarchive"
    AUDIT_SEARCH = "audit_search"
    AUDIT_VERIFY = "audit_verify"
    AUDIT_HEAD = "audit_head"
    BACKUP = "backup"
    BACKUP_VERIFY = "backup_verify"
    RESTORE = "restore"
    INBOX_READ = "inbox_read"
    CONSENT_RECORD = "consent_record"
    PARTNER_CREATE = "partner_create"
    PARTNER_UPDATE = "partner_update"
    REFERRAL_CREATE = "referral_create"
    REFERRAL_UPDATE = "referral_update"
    REFERRAL_SEND = "referral_send"
    REFERRAL_PATIENT_REFUSAL = "referral_patient_refusal"
    REFERRAL_ACKNOWLEDGE = "referral_acknowledge"
    REFERRAL_BOOK = "referral_book"
    REFERRAL_SEEN = "referral_seen"
    REFERRAL_CLOSE = "referral_close"
    REFERRAL_REORIENT = "referral_reorient"
    REFERRAL_CANCEL = "referral_cancel"
    REFERRAL_FEEDBACK = "referral_feedback"
    REFERRAL_UNBOOK = "referral_unbook"
    HOME_CARE_CREATE = "home_care_create"
    HOME_CARE_UPDATE = "home_care_update"
    HOME_CARE_STEP = "home_care_step"
    DISCHARGE_CREATE = "discharge_create"
    DISCHARGE_UPDATE = "discharge_update"
    DISCHARGE_FOLLOW_UP = "discharge_follow_up"
    SESSION_CREATE = "session_create"
    SESSION_UPDATE = "session_update"
    SESSION_EXCEPTION = "session_exception"
    APPOINTMENT_BOOK = "appointment_book"
    APPOINTMENT_CONFIRM = "appointment_confirm"
    APPOINTMENT_CANCEL = "appointment_cancel"
    APPOINTMENT_NO_SHOW = "appointment_no_show"
    APPOINTMENT_SEEN = "appointment_seen"
    APPOINTMENT_CALL = "appointment_call"
    WAITING_LIST_ADD = "waiting_list_add"
    WAITING_LIST_REMOVE = "waiting_list_remove"
    AGENDA_EXPORT = "agenda_export"


ACTION_LABELS: dict[str, str] = Labels(
    {
        AuditAction.LOGIN: N_("Connexion"),
        AuditAction.LOGIN_FAILED: N_("Échec de connexion"),
        AuditAction.LOGIN_THROTTLED: N_("Connexion bloquée (trop de tentatives)"),
        AuditAction.LOGOUT: N_("Déconnexion"),
        AuditAction.UNLOCK: N_("Déverrouillage"),
        AuditAction.UNLOCK_FAILED: N_("Échec de déverrouillage"),
        AuditAction.REAUTHENTICATE: N_("Confirmation du mot de passe"),
        AuditAction.READ: N_("Consultation"),
        AuditAction.CREATE: N_("Création"),
        AuditAction.UPDATE: N_("Modification"),
        AuditAction.CONFLICT: N_("Conflit de modification"),
        AuditAction.SEARCH: N_("Recherche"),
        AuditAction.ACCOUNT_CREATE: N_("Création de compte"),
        AuditAction.ACCOUNT_UPDATE: N_("Modification de compte"),
        AuditAction.ACCOUNT_DISABLE: N_("Désactivation de compte"),
        AuditAction.ACCOUNT_ENABLE: N_("Réactivation de compte"),
        AuditAction.PASSWORD_RESET: N_("Réinitialisation du mot de passe"),
        AuditAction.PASSWORD_CHANGE: N_("Changement de mot de passe"),
        AuditAction.SECOND_FACTOR_ENROL: N_("Activation de la double authentification"),
        AuditAction.SECOND_FACTOR_REMOVE: N_("Retrait de la double authentification"),
        AuditAction.CLINIC_SETUP: N_("Installation"),
        AuditAction.CLINIC_UPDATE: N_("Paramètres modifiés"),
        AuditAction.KEY_GRANT: N_("Transmission d'une clé de volet"),
        AuditAction.KEY_GRANT_BREAK_GLASS: N_("Préparation de la clé d'accès exceptionnel"),
        AuditAction.KEY_RECOVER: N_("Restauration des clés (clé de secours)"),
        AuditAction.BREAK_GLASS: N_("Accès exceptionnel"),
        AuditAction.PRINT: N_("Impression d'un document"),
        AuditAction.EXPORT: N_("Export du dossier patient"),
        AuditAction.ARCHIVE: N_("Archivage du dossier"),
        AuditAction.UNARCHIVE: N_("Désarchivage du dossier"),
        AuditAction.AUDIT_SEARCH: N_("Consultation du journal d'audit"),
        AuditAction.AUDIT_VERIFY: N_("Vérification du journal d'audit"),
        AuditAction.AUDIT_HEAD: N_("Export de l'empreinte du journal"),
        AuditAction.BACKUP: N_("Sauvegarde"),
        AuditAction.BACKUP_VERIFY: N_("Vérification d'une sauvegarde"),
        AuditAction.RESTORE: N_("Restauration d'une sauvegarde"),
        AuditAction.INBOX_READ: N_("Messages marqués comme lus"),
        AuditAction.CONSENT_RECORD: N_("Consentement enregistré"),
        AuditAction.PARTNER_CREATE: N_("Ajout à l'annuaire des partenaires"),
        AuditAction.PARTNER_UPDATE: N_("Modification de l'annuaire des partenaires"),
        AuditAction.REFERRAL_CREATE: N_("Orientation créée (brouillon)"),
        AuditAction.REFERRAL_UPDATE: N_("Brouillon d'orientation modifié"),
        AuditAction.REFERRAL_SEND: N_("Orientation envoyée"),
        AuditAction.REFERRAL_PATIENT_REFUSAL: N_("Orientation refusée par le patient"),
        AuditAction.REFERRAL_ACKNOWLEDGE: N_("Orientation reçue"),
        AuditAction.REFERRAL_BOOK: N_("Rendez-vous fixé pour une orientation"),
        AuditAction.REFERRAL_SEEN: N_("Patient reçu (orientation)"),
        AuditAction.REFERRAL_CLOSE: N_("Orientation clôturée"),
        AuditAction.REFERRAL_REORIENT: N_("Réorientation (erreur d'orientation)"),
        AuditAction.REFERRAL_CANCEL: N_("Orientation annulée"),
        AuditAction.REFERRAL_FEEDBACK: N_("Retour d'orientation"),
        AuditAction.REFERRAL_UNBOOK: N_("Rendez-vous de l'orientation annulé ou manqué"),
        AuditAction.HOME_CARE_CREATE: N_("Demande de soins à domicile créée"),
        AuditAction.HOME_CARE_UPDATE: N_("Demande de soins à domicile modifiée"),
        AuditAction.HOME_CARE_STEP: N_("Suivi d'une demande de soins à domicile"),
        AuditAction.DISCHARGE_CREATE: N_("Plan de sortie d'hospitalisation créé"),
        AuditAction.DISCHARGE_UPDATE: N_("Plan de sortie d'hospitalisation modifié"),
        AuditAction.DISCHARGE_FOLLOW_UP: N_("Suivi de sortie d'hospitalisation fait"),
        AuditAction.SESSION_CREATE: N_("Permanence créée"),
        AuditAction.SESSION_UPDATE: N_("Permanence modifiée"),
        AuditAction.SESSION_EXCEPTION: N_("Date de permanence annulée ou ajoutée"),
        AuditAction.APPOINTMENT_BOOK: N_("Rendez-vous fixé"),
        AuditAction.APPOINTMENT_CONFIRM: N_("Rendez-vous confirmé"),
        AuditAction.APPOINTMENT_CANCEL: N_("Rendez-vous annulé"),
        AuditAction.APPOINTMENT_NO_SHOW: N_("Absence au rendez-vous"),
        AuditAction.APPOINTMENT_SEEN: N_("Patient reçu en rendez-vous"),
        AuditAction.APPOINTMENT_CALL: N_("Patient appelé (rappel du rendez-vous)"),
        AuditAction.WAITING_LIST_ADD: N_("Inscription en liste d'attente"),
        AuditAction.WAITING_LIST_REMOVE: N_("Retrait de la liste d'attente"),
        AuditAction.AGENDA_EXPORT: N_("Export de l'agenda (iCalendar)"),
    }
)

OUTCOME_LABELS: dict[str, str] = Labels(
    {"ok": N_("Effectué"), "refused": N_("Refusé"), "failed": N_("Échec")}
)
