"""The audit trail's vocabulary: the action codes every service writes and their French labels."""

from __future__ import annotations


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


ACTION_LABELS: dict[str, str] = {
    AuditAction.LOGIN: "Connexion",
    AuditAction.LOGIN_FAILED: "Échec de connexion",
    AuditAction.LOGIN_THROTTLED: "Connexion bloquée (trop de tentatives)",
    AuditAction.LOGOUT: "Déconnexion",
    AuditAction.UNLOCK: "Déverrouillage",
    AuditAction.UNLOCK_FAILED: "Échec de déverrouillage",
    AuditAction.REAUTHENTICATE: "Confirmation du mot de passe",
    AuditAction.READ: "Consultation",
    AuditAction.CREATE: "Création",
    AuditAction.UPDATE: "Modification",
    AuditAction.CONFLICT: "Conflit de modification",
    AuditAction.SEARCH: "Recherche",
    AuditAction.ACCOUNT_CREATE: "Création de compte",
    AuditAction.ACCOUNT_UPDATE: "Modification de compte",
    AuditAction.ACCOUNT_DISABLE: "Désactivation de compte",
    AuditAction.ACCOUNT_ENABLE: "Réactivation de compte",
    AuditAction.PASSWORD_RESET: "Réinitialisation du mot de passe",
    AuditAction.PASSWORD_CHANGE: "Changement de mot de passe",
    AuditAction.SECOND_FACTOR_ENROL: "Activation de la double authentification",
    AuditAction.SECOND_FACTOR_REMOVE: "Retrait de la double authentification",
    AuditAction.CLINIC_SETUP: "Installation",
    AuditAction.CLINIC_UPDATE: "Paramètres modifiés",
    AuditAction.KEY_GRANT: "Transmission d'une clé de volet",
    AuditAction.KEY_GRANT_BREAK_GLASS: "Préparation de la clé d'accès exceptionnel",
    AuditAction.KEY_RECOVER: "Restauration des clés (clé de secours)",
    AuditAction.BREAK_GLASS: "Accès exceptionnel",
    AuditAction.PRINT: "Impression d'un document",
    AuditAction.EXPORT: "Export du dossier patient",
    AuditAction.ARCHIVE: "Archivage du dossier",
    AuditAction.UNARCHIVE: "Désarchivage du dossier",
    AuditAction.AUDIT_SEARCH: "Consultation du journal d'audit",
    AuditAction.AUDIT_VERIFY: "Vérification du journal d'audit",
    AuditAction.AUDIT_HEAD: "Export de l'empreinte du journal",
    AuditAction.BACKUP: "Sauvegarde",
    AuditAction.BACKUP_VERIFY: "Vérification d'une sauvegarde",
    AuditAction.RESTORE: "Restauration d'une sauvegarde",
    AuditAction.INBOX_READ: "Messages marqués comme lus",
    AuditAction.CONSENT_RECORD: "Consentement enregistré",
    AuditAction.PARTNER_CREATE: "Ajout à l'annuaire des partenaires",
    AuditAction.PARTNER_UPDATE: "Modification de l'annuaire des partenaires",
    AuditAction.REFERRAL_CREATE: "Orientation créée (brouillon)",
    AuditAction.REFERRAL_UPDATE: "Brouillon d'orientation modifié",
    AuditAction.REFERRAL_SEND: "Orientation envoyée",
    AuditAction.REFERRAL_PATIENT_REFUSAL: "Orientation refusée par le patient",
    AuditAction.REFERRAL_ACKNOWLEDGE: "Orientation reçue",
    AuditAction.REFERRAL_BOOK: "Rendez-vous fixé pour une orientation",
    AuditAction.REFERRAL_SEEN: "Patient reçu (orientation)",
    AuditAction.REFERRAL_CLOSE: "Orientation clôturée",
    AuditAction.REFERRAL_REORIENT: "Réorientation (erreur d'orientation)",
    AuditAction.REFERRAL_CANCEL: "Orientation annulée",
    AuditAction.REFERRAL_FEEDBACK: "Retour d'orientation",
    AuditAction.REFERRAL_UNBOOK: "Rendez-vous de l'orientation annulé ou manqué",
    AuditAction.HOME_CARE_CREATE: "Demande de soins à domicile créée",
    AuditAction.HOME_CARE_UPDATE: "Demande de soins à domicile modifiée",
    AuditAction.HOME_CARE_STEP: "Suivi d'une demande de soins à domicile",
    AuditAction.DISCHARGE_CREATE: "Plan de sortie d'hospitalisation créé",
    AuditAction.DISCHARGE_UPDATE: "Plan de sortie d'hospitalisation modifié",
    AuditAction.DISCHARGE_FOLLOW_UP: "Suivi de sortie d'hospitalisation fait",
    AuditAction.SESSION_CREATE: "Permanence créée",
    AuditAction.SESSION_UPDATE: "Permanence modifiée",
    AuditAction.SESSION_EXCEPTION: "Date de permanence annulée ou ajoutée",
    AuditAction.APPOINTMENT_BOOK: "Rendez-vous fixé",
    AuditAction.APPOINTMENT_CONFIRM: "Rendez-vous confirmé",
    AuditAction.APPOINTMENT_CANCEL: "Rendez-vous annulé",
    AuditAction.APPOINTMENT_NO_SHOW: "Absence au rendez-vous",
    AuditAction.APPOINTMENT_SEEN: "Patient reçu en rendez-vous",
    AuditAction.APPOINTMENT_CALL: "Patient appelé (rappel du rendez-vous)",
    AuditAction.WAITING_LIST_ADD: "Inscription en liste d'attente",
    AuditAction.WAITING_LIST_REMOVE: "Retrait de la liste d'attente",
    AuditAction.AGENDA_EXPORT: "Export de l'agenda (iCalendar)",
}

OUTCOME_LABELS: dict[str, str] = {"ok": "Effectué", "refused": "Refusé", "failed": "Échec"}
