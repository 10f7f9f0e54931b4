<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="fr_FR">
<context>
    <name></name>
    <message>
        <source>ex. : dr.durand (minuscules, sans accent)</source>
        <translation>e.g. dr.durand (lower case, no accents)</translation>
    </message>
    <message>
        <source>&amp;Générer</source>
        <translation>&amp;Generate</translation>
    </message>
    <message>
        <source>À transmettre à la personne : elle choisira son propre mot de passe à la connexion.</source>
        <translation>To give to the person: they will choose their own password when they log in.</translation>
    </message>
    <message>
        <source>Prénom</source>
        <translation>First name</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Last name</translation>
    </message>
    <message>
        <source>Identifiant</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Rôle</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Profession</source>
        <translation>Profession</translation>
    </message>
    <message>
        <source>N° RPPS</source>
        <translation>RPPS no.</translation>
    </message>
    <message>
        <source>Mot de passe provisoire</source>
        <translation>Temporary password</translation>
    </message>
    <message>
        <source>Tous les utilisateurs</source>
        <translation>All users</translation>
    </message>
    <message>
        <source>Toutes les actions</source>
        <translation>All actions</translation>
    </message>
    <message>
        <source>nom, date de naissance ou NIR, puis Entrée</source>
        <translation>name, date of birth or NIR, then Enter</translation>
    </message>
    <message>
        <source>Patient choisi parmi ceux trouvés</source>
        <translation>Patient chosen among those found</translation>
    </message>
    <message>
        <source>Tous les patients</source>
        <translation>All patients</translation>
    </message>
    <message>
        <source>&amp;Du</source>
        <translation>&amp;From</translation>
    </message>
    <message>
        <source>A&amp;fficher</source>
        <translation>S&amp;how</translation>
    </message>
    <message>
        <source>&amp;Utilisateur</source>
        <translation>&amp;User</translation>
    </message>
    <message>
        <source>A&amp;ction</source>
        <translation>A&amp;ction</translation>
    </message>
    <message>
        <source>&amp;Patient</source>
        <translation>&amp;Patient</translation>
    </message>
    <message>
        <source>&amp;Vérifier l&apos;intégrité</source>
        <translation>&amp;Verify integrity</translation>
    </message>
    <message>
        <source>&amp;Exporter l&apos;empreinte…</source>
        <translation>&amp;Export the fingerprint…</translation>
    </message>
    <message>
        <source>au</source>
        <translation>to</translation>
    </message>
    <message>
        <source>Filtres</source>
        <translation>Filters</translation>
    </message>
    <message>
        <source>Période</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Recalcule le chaînage de toutes les entrées : une entrée modifiée, supprimée, insérée ou déplacée est signalée.</source>
        <translation>Recomputes the chaining of every entry: a modified, deleted, inserted or moved entry is reported.</translation>
    </message>
    <message>
        <source>L&apos;empreinte résume tout le journal à cet instant ; conservez-la ailleurs (papier, autre support) pour détecter plus tard une suppression de la fin du journal.</source>
        <translation>The fingerprint sums up the whole log at this moment; keep it elsewhere (paper, another medium) to detect later a deletion of the end of the log.</translation>
    </message>
    <message>
        <source>tel qu&apos;à l&apos;état civil</source>
        <translation>as on the birth certificate</translation>
    </message>
    <message>
        <source>facultatif (ex. : nom d&apos;épouse)</source>
        <translation>optional (e.g. married name)</translation>
    </message>
    <message>
        <source>tous les prénoms, dans l&apos;ordre</source>
        <translation>all first names, in order</translation>
    </message>
    <message>
        <source>— choisir —</source>
        <translation>— choose —</translation>
    </message>
    <message>
        <source>jj/mm/aaaa</source>
        <translation>dd/mm/yyyy</translation>
    </message>
    <message>
        <source>ex. : 76540 ; 99xxx à l&apos;étranger</source>
        <translation>e.g. 76540; 99xxx abroad</translation>
    </message>
    <message>
        <source>— aucune —</source>
        <translation>— none —</translation>
    </message>
    <message>
        <source>15 caractères, clé comprise</source>
        <translation>15 characters, key included</translation>
    </message>
    <message>
        <source>numéro et rue</source>
        <translation>number and street</translation>
    </message>
    <message>
        <source>Dr Nom, ville</source>
        <translation>Dr Name, town</translation>
    </message>
    <message>
        <source>Identité (traits INS)</source>
        <translation>Identity (INS traits)</translation>
    </message>
    <message>
        <source>Nom de naissance *</source>
        <translation>Birth name *</translation>
    </message>
    <message>
        <source>Nom d&apos;usage</source>
        <translation>Used name</translation>
    </message>
    <message>
        <source>Prénom(s) *</source>
        <translation>First name(s) *</translation>
    </message>
    <message>
        <source>Sexe *</source>
        <translation>Sex *</translation>
    </message>
    <message>
        <source>Date de naissance *</source>
        <translation>Date of birth *</translation>
    </message>
    <message>
        <source>Lieu de naissance (INSEE)</source>
        <translation>Place of birth (INSEE)</translation>
    </message>
    <message>
        <source>Statut de l&apos;identité</source>
        <translation>Identity status</translation>
    </message>
    <message>
        <source>Pièce d&apos;identité</source>
        <translation>Identity document</translation>
    </message>
    <message>
        <source>NIR</source>
        <translation>NIR</translation>
    </message>
    <message>
        <source>Coordonnées et suivi</source>
        <translation>Contact and follow-up</translation>
    </message>
    <message>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Adresse</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Code postal</source>
        <translation>Postcode</translation>
    </message>
    <message>
        <source>Ville</source>
        <translation>Town</translation>
    </message>
    <message>
        <source>Médecin traitant</source>
        <translation>Attending GP</translation>
    </message>
    <message>
        <source>Référent social</source>
        <translation>Social referent</translation>
    </message>
    <message>
        <source>— non renseigné —</source>
        <translation>— not given —</translation>
    </message>
    <message>
        <source>Dr {name}</source>
        <translation>Dr {name}</translation>
    </message>
    <message>
        <source>Autre médecin (hors maison de santé)…</source>
        <translation>Other doctor (outside the clinic)…</translation>
    </message>
    <message>
        <source>Exiger pour les professionnels de santé et du social</source>
        <translation>Require for health and social professionals</translation>
    </message>
    <message>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <source>Au-delà, même une session active doit se reconnecter (mot de passe et code).</source>
        <translation>Beyond that, even an active session must log in again (password and code).</translation>
    </message>
    <message>
        <source>Autoriser l&apos;accès exceptionnel en cas d&apos;urgence</source>
        <translation>Allow exceptional access in an emergency</translation>
    </message>
    <message>
        <source>Justification obligatoire, durée limitée, tracé, titulaires du volet prévenus.</source>
        <translation>Mandatory justification, limited duration, logged, holders of the compartment notified.</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Sécurité</source>
        <translation>Security</translation>
    </message>
    <message>
        <source>Double authentification</source>
        <translation>Two-factor authentication</translation>
    </message>
    <message>
        <source>Durée maximale d&apos;une session</source>
        <translation>Maximum session length</translation>
    </message>
    <message>
        <source>Accès exceptionnel</source>
        <translation>Exceptional access</translation>
    </message>
    <message>
        <source>Durée d&apos;un accès</source>
        <translation>Length of an access</translation>
    </message>
    <message>
        <source> ans</source>
        <translation> years</translation>
    </message>
    <message>
        <source>Sans activité pendant cette durée, un dossier est proposé à l&apos;archivage (5 ans : recommandation de la CNIL pour les cabinets).</source>
        <translation>With no activity for this long, a file is offered for archiving (5 years: CNIL recommendation for practices).</translation>
    </message>
    <message>
        <source>dossier par défaut de Relais</source>
        <translation>Relais&apos;s default folder</translation>
    </message>
    <message>
        <source>C&amp;hoisir…</source>
        <translation>C&amp;hoose…</translation>
    </message>
    <message>
        <source> sauvegardes</source>
        <translation> backups</translation>
    </message>
    <message>
        <source>Conservation et sauvegardes</source>
        <translation>Retention and backups</translation>
    </message>
    <message>
        <source>Archivage après</source>
        <translation>Archive after</translation>
    </message>
    <message>
        <source>Dossier des sauvegardes</source>
        <translation>Backup folder</translation>
    </message>
    <message>
        <source>Sauvegardes gardées</source>
        <translation>Backups kept</translation>
    </message>
    <message>
        <source>Langue des documents imprimés</source>
        <translation>Language of printed documents</translation>
    </message>
    <message>
        <source>Relais sauvegarde (chiffré) à la fermeture et une fois par jour. Choisissez de préférence un disque externe ou un dossier réseau sauvegardé.</source>
        <translation>Relais makes an encrypted backup when it closes and once a day. Preferably choose an external disk or a backed-up network folder.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Bienvenue dans Relais.&lt;/b&gt; Cette base de données est vide. Renseignez la maison de santé et créez le premier compte de coordination.&lt;br&gt;&lt;br&gt;Il n&apos;existe &lt;b&gt;aucun compte par défaut&lt;/b&gt; ni mot de passe par défaut : le compte que vous créez ici est le seul moyen d&apos;entrer dans Relais. Il permettra ensuite de créer les comptes des autres professionnels.</source>
        <translation>&lt;b&gt;Welcome to Relais.&lt;/b&gt; This database is empty. Fill in the clinic and create the first coordination account.&lt;br&gt;&lt;br&gt;There is &lt;b&gt;no default account&lt;/b&gt; and no default password: the account you create here is the only way into Relais. It will then let you create the other professionals&apos; accounts.</translation>
    </message>
    <message>
        <source>ex. : Maison de santé des Tilleuls</source>
        <translation>e.g. Les Tilleuls health centre</translation>
    </message>
    <message>
        <source>numéro, rue, code postal, ville</source>
        <translation>number, street, postcode, town</translation>
    </message>
    <message>
        <source>9 caractères (facultatif)</source>
        <translation>9 characters (optional)</translation>
    </message>
    <message>
        <source>La maison de santé</source>
        <translation>The clinic</translation>
    </message>
    <message>
        <source>Nom *</source>
        <translation>Name *</translation>
    </message>
    <message>
        <source>N° FINESS</source>
        <translation>FINESS no.</translation>
    </message>
    <message>
        <source>ex. : coordination (minuscules, sans accent)</source>
        <translation>e.g. coordination (lower case, no accents)</translation>
    </message>
    <message>
        <source>12 caractères au moins</source>
        <translation>at least 12 characters</translation>
    </message>
    <message>
        <source>Premier compte : coordination</source>
        <translation>First account: coordination</translation>
    </message>
    <message>
        <source>Prénom *</source>
        <translation>First name *</translation>
    </message>
    <message>
        <source>Identifiant *</source>
        <translation>Username *</translation>
    </message>
    <message>
        <source>Mot de passe *</source>
        <translation>Password *</translation>
    </message>
    <message>
        <source>Confirmation *</source>
        <translation>Confirmation *</translation>
    </message>
    <message>
        <source>Créer la maison de santé et le compte</source>
        <translation>Create the clinic and the account</translation>
    </message>
    <message>
        <source>Quitter</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Clé de secours de la maison de santé</source>
        <translation>The clinic&apos;s recovery key</translation>
    </message>
    <message>
        <source>Les notes médicales, sociales et de liaison sont chiffrées : seuls les professionnels habilités peuvent les lire, avec leur mot de passe.&lt;br&gt;&lt;br&gt;&lt;b&gt;Si tous les titulaires d&apos;un volet perdent leur mot de passe, seule cette clé de secours permet de retrouver leurs notes. Sans elle, personne ne pourra les récupérer — ni la coordination, ni l&apos;éditeur de Relais.&lt;/b&gt;&lt;br&gt;&lt;br&gt;Elle n&apos;est affichée qu&apos;une seule fois et n&apos;est enregistrée nulle part sur cet ordinateur. Imprimez-la (ou notez-la) et rangez-la hors ligne, sous clé, par exemple dans le coffre de la maison de santé.</source>
        <translation>Medical, social and liaison notes are encrypted: only authorised professionals can read them, with their password.&lt;br&gt;&lt;br&gt;&lt;b&gt;If every holder of a compartment loses their password, only this recovery key can bring their notes back. Without it, nobody can recover them — neither the coordination nor Relais&apos;s publisher.&lt;/b&gt;&lt;br&gt;&lt;br&gt;It is shown only once and is stored nowhere on this computer. Print it (or write it down) and keep it offline, locked away, for example in the clinic&apos;s safe.</translation>
    </message>
    <message>
        <source>Clé de secours Relais</source>
        <translation>Relais recovery key</translation>
    </message>
    <message>
        <source>cle-de-secours-relais.pdf</source>
        <translation>relais-recovery-key.pdf</translation>
    </message>
    <message>
        <source>Clé d&apos;audit (aucun trousseau sécurisé sur ce poste)</source>
        <translation>Audit key (no secure keyring on this workstation)</translation>
    </message>
    <message>
        <source>Cet ordinateur n&apos;a pas de trousseau sécurisé (gestionnaire de mots de passe du système) où Relais pourrait garder la clé qui scelle le journal d&apos;audit. Notez-la aussi : elle doit être donnée à Relais à chaque démarrage par la variable d&apos;environnement &lt;b&gt;RELAIS_AUDIT_KEY&lt;/b&gt; (votre informaticien peut s&apos;en charger). Sans elle, le journal est écrit sans scellement.</source>
        <translation>This computer has no secure keyring (the system&apos;s password manager) where Relais could keep the key that seals the audit log. Write it down too: it must be given to Relais at every start through the environment variable &lt;b&gt;RELAIS_AUDIT_KEY&lt;/b&gt; (your IT person can do it). Without it, the log is written unsealed.</translation>
    </message>
    <message>
        <source>J&apos;ai imprimé ou noté la clé de secours et je la garde hors ligne</source>
        <translation>I have printed or written down the recovery key and keep it offline</translation>
    </message>
    <message>
        <source>Continuer</source>
        <translation>Continue</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>À propos de Relais</source>
        <translation>About Relais</translation>
    </message>
    <message>
        <source>Relais</source>
        <translation>Relais</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>Version {version}</translation>
    </message>
    <message>
        <source>Dossier partagé médico-social des maisons de santé pluriprofessionnelles : médecins, assistante sociale, paramédicaux, secrétariat et coordination, chacun ne voyant que ce que sa profession et le consentement du patient permettent.</source>
        <translation>Shared medical and social record for multi-professional health centres: doctors, social worker, paramedical staff, secretaries and coordination, each seeing only what their profession and the patient&apos;s consent allow.</translation>
    </message>
    <message>
        <source>application autonome</source>
        <translation>standalone application</translation>
    </message>
    <message>
        <source>installation Python</source>
        <translation>Python installation</translation>
    </message>
    <message>
        <source>Python {python}, Qt {qt} (PySide6 {pyside}), {kind}</source>
        <translation>Python {python}, Qt {qt} (PySide6 {pyside}), {kind}</translation>
    </message>
    <message>
        <source>Système : {system}</source>
        <translation>System: {system}</translation>
    </message>
    <message>
        <source>Journal de diagnostic : {folder}</source>
        <translation>Diagnostic log: {folder}</translation>
    </message>
</context>
<context>
    <name>AccountFormDialog</name>
    <message>
        <source>Nouveau compte</source>
        <translation>New account</translation>
    </message>
    <message>
        <source>&amp;Créer le compte</source>
        <translation>&amp;Create the account</translation>
    </message>
    <message>
        <source>Obligatoire : 11 chiffres (carte CPS).</source>
        <translation>Required: 11 digits (CPS card).</translation>
    </message>
    <message>
        <source>Sans objet pour cette profession.</source>
        <translation>Not applicable to this profession.</translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Comptes des utilisateurs</source>
        <translation>User accounts</translation>
    </message>
    <message>
        <source>Pour une personne qui a perdu son téléphone et ses codes de secours : elle enregistrera un nouveau téléphone à sa prochaine connexion.</source>
        <translation>For someone who lost their phone and backup codes: they will register a new phone at their next login.</translation>
    </message>
    <message>
        <source>&amp;Nouveau compte…</source>
        <translation>&amp;New account…</translation>
    </message>
    <message>
        <source>&amp;Désactiver</source>
        <translation>&amp;Deactivate</translation>
    </message>
    <message>
        <source>&amp;Réinitialiser le mot de passe…</source>
        <translation>&amp;Reset the password…</translation>
    </message>
    <message>
        <source>Retirer la double &amp;authentification…</source>
        <translation>Remove two-factor &amp;authentication…</translation>
    </message>
    <message>
        <source>&amp;Réactiver</source>
        <translation>&amp;Reactivate</translation>
    </message>
    <message>
        <source>Compte « {username} » créé. Mot de passe provisoire à lui transmettre.</source>
        <translation>Account “{username}” created. Temporary password to give them.</translation>
    </message>
    <message>
        <source>Compte « {u} » réactivé.</source>
        <translation>Account “{u}” enabled again.</translation>
    </message>
    <message>
        <source>Compte « {u} » désactivé : cette personne ne peut plus se connecter.</source>
        <translation>Account “{u}” disabled: this person can no longer log in.</translation>
    </message>
    <message>
        <source>Mot de passe de « {u} » réinitialisé.</source>
        <translation>Password of “{u}” reset.</translation>
    </message>
    <message>
        <source>Retirer la double authentification</source>
        <translation>Remove two-factor authentication</translation>
    </message>
    <message>
        <source>Retirer la double authentification de {name} ({username}) ? Vérifiez d&apos;abord son identité (en personne ou par téléphone) : son ancien téléphone et ses codes de secours ne fonctionneront plus.</source>
        <translation>Remove two-factor authentication for {name} ({username})? First check their identity (in person or by phone): their old phone and backup codes will stop working.</translation>
    </message>
    <message>
        <source>Retirer</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Double authentification retirée pour « {u} » : un nouveau téléphone sera enregistré à sa prochaine connexion.</source>
        <translation>Two-factor authentication removed for “{u}”: a new phone will be registered at their next login.</translation>
    </message>
</context>
<context>
    <name>AccountsModel</name>
    <message>
        <source>Oui</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>Non (désactivé)</source>
        <translation>No (disabled)</translation>
    </message>
    <message>
        <source>jamais</source>
        <translation>never</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <source>Nouvelle démarche</source>
        <translation>New step</translation>
    </message>
    <message>
        <source>Modifier la démarche</source>
        <translation>Edit the step</translation>
    </message>
    <message>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>— choisir —</source>
        <translation>— choose —</translation>
    </message>
    <message>
        <source>— aucun —</source>
        <translation>— none —</translation>
    </message>
    <message>
        <source>Échéance le</source>
        <translation>Due on</translation>
    </message>
    <message>
        <source>Me le rappeler le</source>
        <translation>Remind me on</translation>
    </message>
    <message>
        <source>Pièces demandées, interlocuteur, numéro de dossier… (visible de vous seule)</source>
        <translation>Documents requested, contact, case number… (visible to you only)</translation>
    </message>
    <message>
        <source>Démarche</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>Partenaire</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Échéance</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>Rappel</source>
        <translation>Reminder</translation>
    </message>
    <message>
        <source>Détail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Choisissez la démarche.</source>
        <translation>Choose the step.</translation>
    </message>
</context>
<context>
    <name>ActionPlanWidget</name>
    <message>
        <source>&amp;Afficher les démarches terminées ou abandonnées</source>
        <translation>&amp;Show finished or abandoned actions</translation>
    </message>
    <message>
        <source>&amp;Nouvelle démarche…</source>
        <translation>&amp;New action…</translation>
    </message>
    <message>
        <source>&amp;Modifier…</source>
        <translation>&amp;Edit…</translation>
    </message>
    <message>
        <source>Marquer &amp;terminée</source>
        <translation>Mark as &amp;done</translation>
    </message>
    <message>
        <source>Aucune démarche pour l&apos;instant.</source>
        <translation>No steps yet.</translation>
    </message>
    <message numerus="yes">
        <source>%n démarche(s) en cours</source>
        <translation>
            <numerusform>%n step in progress</numerusform>
            <numerusform>%n steps in progress</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, dont %n en retard</source>
        <translation>
            <numerusform>, %n of them overdue</numerusform>
            <numerusform>, %n of them overdue</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ActionsModel</name>
    <message>
        <source> — en retard</source>
        <translation> — overdue</translation>
    </message>
</context>
<context>
    <name>AdministrativeTab</name>
    <message>
        <source>&amp;Modifier l&apos;identité</source>
        <translation>&amp;Edit the identity</translation>
    </message>
    <message>
        <source>Identité (traits INS)</source>
        <translation>Identity (INS traits)</translation>
    </message>
    <message>
        <source>Coordonnées</source>
        <translation>Contact details</translation>
    </message>
    <message>
        <source>Suivi</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <source>Nom de naissance</source>
        <translation>Birth name</translation>
    </message>
    <message>
        <source>Nom d&apos;usage</source>
        <translation>Used name</translation>
    </message>
    <message>
        <source>Prénom(s)</source>
        <translation>First name(s)</translation>
    </message>
    <message>
        <source>Sexe</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>Date de naissance</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>Lieu de naissance (code INSEE)</source>
        <translation>Place of birth (INSEE code)</translation>
    </message>
    <message>
        <source>NIR</source>
        <translation>NIR</translation>
    </message>
    <message>
        <source>Statut de l&apos;identité</source>
        <translation>Identity status</translation>
    </message>
    <message>
        <source>Pièce d&apos;identité</source>
        <translation>Identity document</translation>
    </message>
    <message>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Adresse</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Code postal et ville</source>
        <translation>Postcode and town</translation>
    </message>
    <message>
        <source>Médecin traitant</source>
        <translation>Attending GP</translation>
    </message>
    <message>
        <source>Référent social</source>
        <translation>Social referent</translation>
    </message>
    <message>
        <source>{name} (hors maison de santé)</source>
        <translation>{name} (outside the clinic)</translation>
    </message>
</context>
<context>
    <name>Agenda</name>
    <message>
        <source>Semaine du {start} au {end}</source>
        <translation>Week of {start} to {end}</translation>
    </message>
</context>
<context>
    <name>AgendaDialogs</name>
    <message>
        <source>&amp;Annuler</source>
        <translation>&amp;Cancel</translation>
    </message>
</context>
<context>
    <name>AgendaSidePanel</name>
    <message>
        <source>Orientations à planifier</source>
        <translation>Referrals to schedule</translation>
    </message>
    <message>
        <source>Liste d&apos;attente</source>
        <translation>Waiting list</translation>
    </message>
    <message>
        <source>Fixer un &amp;rendez-vous…</source>
        <translation>Book an &amp;appointment…</translation>
    </message>
    <message>
        <source>I&amp;nscrire…</source>
        <translation>E&amp;nrol…</translation>
    </message>
    <message>
        <source>Fixer un rende&amp;z-vous…</source>
        <translation>Book an appointment (&amp;z)…</translation>
    </message>
    <message>
        <source>Re&amp;tirer de la liste</source>
        <translation>Remove from the lis&amp;t</translation>
    </message>
    <message>
        <source>Orientations à planifier ({n})</source>
        <translation>Referrals to schedule ({n})</translation>
    </message>
    <message>
        <source>Liste d&apos;attente ({n})</source>
        <translation>Waiting list ({n})</translation>
    </message>
</context>
<context>
    <name>AgendaWidget</name>
    <message>
        <source>Agenda &amp;de</source>
        <translation>Agenda &amp;of</translation>
    </message>
    <message>
        <source>&amp;Jour</source>
        <translation>&amp;Day</translation>
    </message>
    <message>
        <source>&amp;Semaine</source>
        <translation>&amp;Week</translation>
    </message>
    <message>
        <source>Jour ou semaine précédente (Alt+Gauche)</source>
        <translation>Previous day or week (Alt+Left)</translation>
    </message>
    <message>
        <source>Jour ou semaine précédente</source>
        <translation>Previous day or week</translation>
    </message>
    <message>
        <source>Aujourd&apos;&amp;hui</source>
        <translation>&amp;Today</translation>
    </message>
    <message>
        <source>Jour ou semaine suivante (Alt+Droite)</source>
        <translation>Next day or week (Alt+Right)</translation>
    </message>
    <message>
        <source>Date affichée</source>
        <translation>Date shown</translation>
    </message>
    <message>
        <source>Appels de la &amp;veille…</source>
        <translation>Calls the day &amp;before…</translation>
    </message>
    <message>
        <source>Per&amp;manences…</source>
        <translation>Sessions (&amp;m)…</translation>
    </message>
    <message>
        <source>E&amp;xporter (iCalendar)…</source>
        <translation>E&amp;xport (iCalendar)…</translation>
    </message>
    <message>
        <source>Jour ou semaine suivante</source>
        <translation>Next day or week</translation>
    </message>
    <message>
        <source>Entrée ou double-clic sur un créneau libre pour fixer un rendez-vous, sur un rendez-vous pour le confirmer, l&apos;annuler ou imprimer la convocation.</source>
        <translation>Return or double-click on a free slot to book an appointment, on an appointment to confirm it, cancel it or print the appointment slip.</translation>
    </message>
    <message>
        <source>Agenda en lecture seule. Entrée ou double-clic sur un rendez-vous pour le détail.</source>
        <translation>Read-only agenda. Return or double-click on an appointment for its details.</translation>
    </message>
    <message>
        <source>Créneaux du jour</source>
        <translation>The day&apos;s slots</translation>
    </message>
    <message>
        <source>Créneaux de la semaine</source>
        <translation>The week&apos;s slots</translation>
    </message>
    <message>
        <source>Aucune permanence n&apos;est encore définie.</source>
        <translation>No consultation session is defined yet.</translation>
    </message>
    <message>
        <source>Pas de permanence ce jour : {why}.</source>
        <translation>No session this day: {why}.</translation>
    </message>
    <message>
        <source>Aucune permanence ce jour.</source>
        <translation>No session this day.</translation>
    </message>
    <message numerus="yes">
        <source>{day} — %n créneau(x), {free}</source>
        <translation>
            <numerusform>{day} — %n slot, {free}</numerusform>
            <numerusform>{day} — %n slots, {free}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n libre(s)</source>
        <translation>
            <numerusform>%n free</numerusform>
            <numerusform>%n free</numerusform>
        </translation>
    </message>
    <message>
        <source>Pas de permanence le {day} : {why}.</source>
        <translation>No session on {day}: {why}.</translation>
    </message>
    <message>
        <source>Aucune permanence cette semaine.</source>
        <translation>No session this week.</translation>
    </message>
    <message>
        <source>Ce créneau est déjà passé.</source>
        <translation>This slot is already past.</translation>
    </message>
</context>
<context>
    <name>AppointmentDialog</name>
    <message>
        <source>&amp;Confirmer</source>
        <translation>&amp;Confirm</translation>
    </message>
    <message>
        <source>Patient &amp;reçu</source>
        <translation>Patient &amp;seen</translation>
    </message>
    <message>
        <source>Patient a&amp;bsent…</source>
        <translation>Patient a&amp;bsent…</translation>
    </message>
    <message>
        <source>&amp;Annuler le rendez-vous…</source>
        <translation>C&amp;ancel the appointment…</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>non renseigné</source>
        <translation>not given</translation>
    </message>
    <message>
        <source>Le</source>
        <translation>On</translation>
    </message>
    <message>
        <source>Avec</source>
        <translation>With</translation>
    </message>
    <message>
        <source>Lieu</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>, le {date}</source>
        <translation>, on {date}</translation>
    </message>
    <message>
        <source>Pris par</source>
        <translation>Booked by</translation>
    </message>
    <message>
        <source>Rappelé(e) le</source>
        <translation>Called on</translation>
    </message>
    <message>
        <source>Rendez-vous</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>&amp;Lui fixer ce créneau…</source>
        <translation>&amp;Give this slot…</translation>
    </message>
    <message>
        <source>&amp;Démarrer la consultation</source>
        <translation>Start the consultation (&amp;d)</translation>
    </message>
    <message>
        <source>&amp;Imprimer la convocation…</source>
        <translation>&amp;Print the appointment slip…</translation>
    </message>
    <message>
        <source>&amp;Ouvrir le dossier</source>
        <translation>&amp;Open the file</translation>
    </message>
    <message>
        <source>&amp;Fermer</source>
        <translation>C&amp;lose</translation>
    </message>
    <message numerus="yes">
        <source>Créneau libéré. %n patient(s) en liste d&apos;attente pourrai(en)t le prendre :</source>
        <translation>
            <numerusform>Slot freed. %n patient on the waiting list could take it:</numerusform>
            <numerusform>Slot freed. %n patients on the waiting list could take it:</numerusform>
        </translation>
    </message>
    <message>
        <source>Créneau libéré. Personne n&apos;attend en liste d&apos;attente.</source>
        <translation>Slot freed. Nobody is on the waiting list.</translation>
    </message>
    <message>
        <source>Créneau repris par {name}.</source>
        <translation>Slot taken again by {name}.</translation>
    </message>
</context>
<context>
    <name>AppointmentsTab</name>
    <message>
        <source>Fixer un &amp;rendez-vous…</source>
        <translation>Book an &amp;appointment…</translation>
    </message>
    <message>
        <source>Imprimer la con&amp;vocation…</source>
        <translation>Print the appointment sli&amp;p…</translation>
    </message>
    <message>
        <source>Dé&amp;tail / annuler…</source>
        <translation>De&amp;tails / cancel…</translation>
    </message>
    <message numerus="yes">
        <source>%n rendez-vous, dont {coming} à venir.</source>
        <translation>
            <numerusform>%n appointment, {coming} upcoming.</numerusform>
            <numerusform>%n appointments, {coming} upcoming.</numerusform>
        </translation>
    </message>
    <message>
        <source>Aucun rendez-vous pour ce patient.</source>
        <translation>No appointments for this patient.</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#b71c1c&apos;&gt;Absences non excusées : &lt;b&gt;{n}&lt;/b&gt;.&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#b71c1c&apos;&gt;Unexcused absences: &lt;b&gt;{n}&lt;/b&gt;.&lt;/span&gt;</translation>
    </message>
</context>
<context>
    <name>ArchiveDialog</name>
    <message>
        <source>Archivage des dossiers</source>
        <translation>Archiving files</translation>
    </message>
    <message>
        <source>Un dossier archivé n&apos;apparaît plus dans les recherches du quotidien et s&apos;ouvre en lecture seule. Désarchivez-le si le patient revient.</source>
        <translation>An archived file no longer appears in everyday searches and opens read-only. Unarchive it if the patient comes back.</translation>
    </message>
    <message>
        <source>À &amp;archiver</source>
        <translation>To &amp;archive</translation>
    </message>
    <message>
        <source>Dossiers archi&amp;vés</source>
        <translation>Archi&amp;ved files</translation>
    </message>
    <message>
        <source>Archiver la &amp;sélection</source>
        <translation>Archive the &amp;selection</translation>
    </message>
    <message>
        <source>&amp;Tout sélectionner</source>
        <translation>Select &amp;all</translation>
    </message>
    <message>
        <source>&amp;Désarchiver</source>
        <translation>&amp;Unarchive</translation>
    </message>
    <message numerus="yes">
        <source>%n dossier(s) sans aucune activité depuis la durée de conservation réglée dans les paramètres. Sélectionnez ceux à archiver.</source>
        <translation>
            <numerusform>%n file with no activity for the retention period set in the settings. Select those to archive.</numerusform>
            <numerusform>%n files with no activity for the retention period set in the settings. Select those to archive.</numerusform>
        </translation>
    </message>
    <message>
        <source>Aucun dossier à archiver : tous ont eu une activité récente.</source>
        <translation>No files to archive: all have had recent activity.</translation>
    </message>
    <message>
        <source>Archivage des dossiers…</source>
        <translation>Archiving files…</translation>
    </message>
    <message>
        <source>Archivage</source>
        <translation>Archiving</translation>
    </message>
    <message numerus="yes">
        <source>%n dossier(s) archivé(s).</source>
        <translation>
            <numerusform>%n file archived.</numerusform>
            <numerusform>%n files archived.</numerusform>
        </translation>
    </message>
    <message>
        <source>L&apos;archivage a échoué : {error}</source>
        <translation>Archiving failed: {error}</translation>
    </message>
    <message>
        <source>Dossier de {name} désarchivé.</source>
        <translation>{name}&apos;s file unarchived.</translation>
    </message>
</context>
<context>
    <name>AssessmentForm</name>
    <message>
        <source>&amp;Enregistrer une nouvelle version</source>
        <translation>&amp;Save a new version</translation>
    </message>
    <message>
        <source>&amp;Revenir à la dernière version</source>
        <translation>&amp;Revert to the latest version</translation>
    </message>
    <message>
        <source>Commentaire</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>— non renseigné —</source>
        <translation>— not given —</translation>
    </message>
    <message>
        <source>Aucune évaluation enregistrée : remplissez ce qui est connu.</source>
        <translation>No assessment saved: fill in what is known.</translation>
    </message>
    <message>
        <source>Version {n} du {when}, par {who}.</source>
        <translation>Version {n} of {when}, by {who}.</translation>
    </message>
    <message>
        <source> Vos saisies sont conservées dans le formulaire ; la version enregistrée est dans l&apos;historique. Enregistrez à nouveau pour la remplacer par la vôtre.</source>
        <translation> Your entries are kept in the form; the saved version is in the history. Save again to replace it with yours.</translation>
    </message>
</context>
<context>
    <name>AssessmentHistory</name>
    <message>
        <source>&lt;b&gt;Ce qui a changé&lt;/b&gt; par rapport à la version précédente</source>
        <translation>&lt;b&gt;What changed&lt;/b&gt; since the previous version</translation>
    </message>
    <message>
        <source>&lt;b&gt;Contenu de la version&lt;/b&gt;</source>
        <translation>&lt;b&gt;Content of the version&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Aucune version enregistrée.</source>
        <translation>No version saved.</translation>
    </message>
    <message numerus="yes">
        <source>%n version(s), de la plus récente à la plus ancienne.</source>
        <translation>
            <numerusform>%n version, newest first.</numerusform>
            <numerusform>%n versions, newest first.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Journal d&apos;audit</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>Tous les patients</source>
        <translation>All patients</translation>
    </message>
    <message>
        <source>Aucun patient trouvé — tous les patients</source>
        <translation>No patient found — all patients</translation>
    </message>
    <message>
        <source>Aucune entrée ne correspond à ces filtres.</source>
        <translation>No entry matches these filters.</translation>
    </message>
    <message>
        <source>{n} entrées affichées, les plus récentes d&apos;abord (faites défiler pour voir les suivantes).</source>
        <translation>{n} entries shown, newest first (scroll to see the next ones).</translation>
    </message>
    <message numerus="yes">
        <source>%n entrée(s), les plus récentes d&apos;abord.</source>
        <translation>
            <numerusform>%n entry, newest first.</numerusform>
            <numerusform>%n entries, newest first.</numerusform>
        </translation>
    </message>
    <message>
        <source>Vérification du journal en cours…</source>
        <translation>Checking the log…</translation>
    </message>
    <message>
        <source>Vérification du journal en cours… {n} entrées vérifiées</source>
        <translation>Checking the log… {n} entries checked</translation>
    </message>
    <message>
        <source>Empreinte du journal (copiée dans le presse-papiers) : {head}</source>
        <translation>Log fingerprint (copied to the clipboard): {head}</translation>
    </message>
    <message>
        <source>Empreinte du journal d&apos;audit Relais
{head}
Exportée le {when}
</source>
        <translation>Relais audit log fingerprint
{head}
Exported on {when}
</translation>
    </message>
    <message>
        <source>Fichier texte (*.txt)</source>
        <translation>Text file (*.txt)</translation>
    </message>
</context>
<context>
    <name>AuditKeyBanner</name>
    <message>
        <source>&lt;b&gt;Trousseau sécurisé indisponible :&lt;/b&gt; la clé d&apos;audit de ce poste est introuvable, le journal d&apos;audit est écrit &lt;b&gt;sans scellement&lt;/b&gt; et la vérification du journal signalera ces entrées, invérifiables. Saisissez la clé d&apos;audit (notée à l&apos;installation) pour cette session, ou demandez à votre informaticien de la fournir par RELAIS_AUDIT_KEY.</source>
        <translation>&lt;b&gt;Secure keyring unavailable:&lt;/b&gt; this workstation&apos;s audit key cannot be found, the audit log is written &lt;b&gt;unsealed&lt;/b&gt; and checking the log will report these entries as unverifiable. Enter the audit key (written down at installation) for this session, or ask your IT person to provide it through RELAIS_AUDIT_KEY.</translation>
    </message>
    <message>
        <source>64 caractères hexadécimaux</source>
        <translation>64 hexadecimal characters</translation>
    </message>
    <message>
        <source>Utiliser cette clé</source>
        <translation>Use this key</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>Date et heure</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <source>Utilisateur</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Rôle</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Résultat</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Volet</source>
        <translation>Compartment</translation>
    </message>
    <message>
        <source>Poste</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <source>Détail</source>
        <translation>Detail</translation>
    </message>
</context>
<context>
    <name>BackupRun</name>
    <message>
        <source>Sauvegarde</source>
        <translation>Backup</translation>
    </message>
    <message>
        <source>Sauvegarde chiffrée en cours…</source>
        <translation>Encrypted backup in progress…</translation>
    </message>
    <message>
        <source>Sauvegarde chiffrée enregistrée :
{path}</source>
        <translation>Encrypted backup saved:
{path}</translation>
    </message>
    <message>
        <source>La sauvegarde a échoué : {error}</source>
        <translation>The backup failed: {error}</translation>
    </message>
</context>
<context>
    <name>BookDialog</name>
    <message>
        <source>Rendez-vous pris</source>
        <translation>Appointment booked</translation>
    </message>
    <message>
        <source>&amp;Enregistrer</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>&amp;Noter la date du rendez-vous</source>
        <translation>&amp;Note the appointment date</translation>
    </message>
    <message>
        <source>Rendez-vous &amp;le</source>
        <translation>Appointment &amp;on</translation>
    </message>
</context>
<context>
    <name>BookSlotDialog</name>
    <message>
        <source>Fixer un rendez-vous</source>
        <translation>Book an appointment</translation>
    </message>
    <message>
        <source>&lt;b&gt;{when}&lt;/b&gt; — {who}</source>
        <translation>&lt;b&gt;{when}&lt;/b&gt; — {who}</translation>
    </message>
    <message>
        <source>&amp;Orientations à planifier</source>
        <translation>&amp;Referrals to schedule</translation>
    </message>
    <message>
        <source>&amp;Liste d&apos;attente</source>
        <translation>&amp;Waiting list</translation>
    </message>
    <message>
        <source>Au&amp;tre patient</source>
        <translation>O&amp;ther patient</translation>
    </message>
    <message>
        <source>&amp;Orientations à planifier ({n})</source>
        <translation>&amp;Referrals to schedule ({n})</translation>
    </message>
    <message>
        <source>&amp;Liste d&apos;attente ({n})</source>
        <translation>&amp;Waiting list ({n})</translation>
    </message>
    <message>
        <source>Choisissez le patient.</source>
        <translation>Choose the patient.</translation>
    </message>
</context>
<context>
    <name>BookingDialogBase</name>
    <message>
        <source>&amp;Fixer ce rendez-vous</source>
        <translation>&amp;Book this appointment</translation>
    </message>
    <message>
        <source>✔ Rendez-vous fixé</source>
        <translation>✔ Appointment booked</translation>
    </message>
    <message>
        <source>&amp;Imprimer la convocation…</source>
        <translation>&amp;Print the appointment slip…</translation>
    </message>
    <message>
        <source>Fer&amp;mer</source>
        <translation>C&amp;lose</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;{patient}&lt;/b&gt;&lt;br&gt;{line}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;{patient}&lt;/b&gt;&lt;br&gt;{line}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Documents à apporter :&lt;/p&gt;&lt;ul&gt;{items}&lt;/ul&gt;</source>
        <translation>&lt;p&gt;Documents to bring:&lt;/p&gt;&lt;ul&gt;{items}&lt;/ul&gt;</translation>
    </message>
</context>
<context>
    <name>CallListDialog</name>
    <message>
        <source>Appels de la veille</source>
        <translation>Calls for tomorrow</translation>
    </message>
    <message>
        <source>Non joint(e) / message laissé</source>
        <translation>Not reached / message left</translation>
    </message>
    <message>
        <source>Rendez-vous annulés par la maison de santé : prévenir</source>
        <translation>Appointments cancelled by the clinic: let them know</translation>
    </message>
    <message>
        <source>Rendez-vous &amp;du</source>
        <translation>Appointments &amp;of</translation>
    </message>
    <message>
        <source>Patients à appeler</source>
        <translation>Patients to call</translation>
    </message>
    <message>
        <source>&amp;Joint : rendez-vous confirmé</source>
        <translation>&amp;Reached: appointment confirmed</translation>
    </message>
    <message>
        <source>&amp;Non joint / message laissé</source>
        <translation>&amp;Not reached / message left</translation>
    </message>
    <message>
        <source>Patients à prévenir</source>
        <translation>Patients to tell</translation>
    </message>
    <message>
        <source>Patient &amp;prévenu</source>
        <translation>Patient &amp;told</translation>
    </message>
    <message>
        <source>&amp;Fermer</source>
        <translation>C&amp;lose</translation>
    </message>
    <message numerus="yes">
        <source>{day} : %n rendez-vous, {left}</source>
        <translation>
            <numerusform>{day}: %n appointment, {left}</numerusform>
            <numerusform>{day}: %n appointments, {left}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n patient(s) à appeler</source>
        <translation>
            <numerusform>%n patient to call</numerusform>
            <numerusform>%n patients to call</numerusform>
        </translation>
    </message>
    <message>
        <source>{day} : aucun rendez-vous</source>
        <translation>{day}: no appointments</translation>
    </message>
    <message>
        <source>Patient prévenu de l&apos;annulation</source>
        <translation>Patient informed of the cancellation</translation>
    </message>
</context>
<context>
    <name>CallListModel</name>
    <message>
        <source>(pas de téléphone)</source>
        <translation>(no phone)</translation>
    </message>
    <message>
        <source>à appeler</source>
        <translation>to call</translation>
    </message>
</context>
<context>
    <name>CancelAppointmentDialog</name>
    <message>
        <source>Annuler le rendez-vous</source>
        <translation>Cancel the appointment</translation>
    </message>
    <message>
        <source>Ne pas annuler</source>
        <translation>Do not cancel</translation>
    </message>
    <message>
        <source>par le pa&amp;tient</source>
        <translation>by the pa&amp;tient</translation>
    </message>
    <message>
        <source>par la maison de &amp;santé</source>
        <translation>by the &amp;clinic</translation>
    </message>
    <message>
        <source>&amp;Motif de l&apos;annulation</source>
        <translation>&amp;Reason for cancelling</translation>
    </message>
    <message>
        <source>ex. : patient hospitalisé ; absence de l&apos;assistante sociale</source>
        <translation>e.g. patient in hospital; social worker absent</translation>
    </message>
    <message>
        <source>Annulé</source>
        <translation>Cancelled</translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <source>Annuler l&apos;orientation</source>
        <translation>Cancel the referral</translation>
    </message>
    <message>
        <source>Annuler l&apos;&amp;orientation</source>
        <translation>Cancel the &amp;referral</translation>
    </message>
    <message>
        <source>Pourquoi (facultatif)</source>
        <translation>Why (optional)</translation>
    </message>
    <message>
        <source>&amp;Motif</source>
        <translation>&amp;Reason</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Nouveau mot de passe</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>Votre mot de passe est provisoire : choisissez-en un nouveau, connu de vous seul(e) (12 caractères au moins ; une phrase de passe est idéale).</source>
        <translation>Your password is temporary: choose a new one, known only to you (at least 12 characters; a passphrase is ideal).</translation>
    </message>
    <message>
        <source>Choisissez un nouveau mot de passe (12 caractères au moins ; une phrase de passe est idéale).</source>
        <translation>Choose a new password (at least 12 characters; a passphrase is ideal).</translation>
    </message>
    <message>
        <source>Mot de passe actuel</source>
        <translation>Current password</translation>
    </message>
    <message>
        <source>Confirmation</source>
        <translation>Confirmation</translation>
    </message>
    <message>
        <source>Enregistrer le mot de passe</source>
        <translation>Save the password</translation>
    </message>
    <message>
        <source>Se déconnecter</source>
        <translation>Log out</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Les deux mots de passe ne sont pas identiques.</source>
        <translation>The two passwords are not the same.</translation>
    </message>
</context>
<context>
    <name>ChangedBanner</name>
    <message>
        <source>Actualiser</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Modifié par {who} à {at}</source>
        <translation>Changed by {who} at {at}</translation>
    </message>
    <message>
        <source>Modifié par {who}</source>
        <translation>Changed by {who}</translation>
    </message>
    <message>
        <source>Ce dossier a peut-être été modifié sur un autre poste</source>
        <translation>This record may have been changed on another computer</translation>
    </message>
    <message>
        <source>{what} — cliquez sur « Actualiser » pour le voir.</source>
        <translation>{what} — click “Refresh” to see it.</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <source>Prise en charge</source>
        <translation>Taken on</translation>
    </message>
    <message>
        <source>Droits ouverts</source>
        <translation>Rights opened</translation>
    </message>
    <message>
        <source>Aide mise en place</source>
        <translation>Help put in place</translation>
    </message>
    <message>
        <source>Orienté vers un autre service</source>
        <translation>Referred to another service</translation>
    </message>
    <message>
        <source>Patient non venu</source>
        <translation>Patient did not come</translation>
    </message>
    <message>
        <source>Sans suite</source>
        <translation>No further action</translation>
    </message>
    <message>
        <source>Clôturer l&apos;orientation</source>
        <translation>Close the referral</translation>
    </message>
    <message>
        <source>&amp;Clôturer</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>&amp;Issue</source>
        <translation>&amp;Outcome</translation>
    </message>
    <message>
        <source>&amp;Retour d&apos;orientation</source>
        <translation>&amp;Referral feedback</translation>
    </message>
    <message>
        <source>Issue (choisir ou écrire)</source>
        <translation>Outcome (choose or type)</translation>
    </message>
    <message>
        <source>Retour à l&apos;émetteur (facultatif) : ce qui a été fait, ce qui reste à faire.</source>
        <translation>Feedback to the sender (optional): what was done, what remains to do.</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Modification concurrente</source>
        <translation>Concurrent change</translation>
    </message>
    <message>
        <source>un autre utilisateur</source>
        <translation>another user</translation>
    </message>
    <message>
        <source>Version enregistrée par {who} le {when}</source>
        <translation>Version saved by {who} on {when}</translation>
    </message>
    <message>
        <source>Version enregistrée par {who}</source>
        <translation>Version saved by {who}</translation>
    </message>
    <message>
        <source>Votre version (non enregistrée)</source>
        <translation>Your version (not saved)</translation>
    </message>
    <message>
        <source>Copier ma version</source>
        <translation>Copy my version</translation>
    </message>
    <message>
        <source>Garder la version enregistrée</source>
        <translation>Keep the saved version</translation>
    </message>
    <message>
        <source>Remplacer par ma version</source>
        <translation>Replace with my version</translation>
    </message>
    <message>
        <source>Votre version est copiée dans le presse-papiers.</source>
        <translation>Your version is copied to the clipboard.</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <source>nouvel essai dans {n} s</source>
        <translation>retrying in {n} s</translation>
    </message>
    <message>
        <source>nouvel essai en cours…</source>
        <translation>retrying…</translation>
    </message>
    <message>
        <source>Connexion au serveur perdue — {wait}. Ce que vous avez saisi est conservé ; enregistrez de nouveau une fois la connexion rétablie.</source>
        <translation>Connection to the server lost — {wait}. What you typed is kept; save again once the connection is back.</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Connexion au serveur</source>
        <translation>Server connection</translation>
    </message>
    <message>
        <source>ex. : serveur.msp.local</source>
        <translation>e.g. server.clinic.local</translation>
    </message>
    <message>
        <source>Conserver le mot de passe dans le trousseau du système</source>
        <translation>Keep the password in the system&apos;s keyring</translation>
    </message>
    <message>
        <source>Ce poste n&apos;a pas de trousseau de mots de passe : Relais ne conservera pas le mot de passe du serveur (jamais en clair sur le disque) et vous le demandera à chaque démarrage.</source>
        <translation>This computer has no password keyring: Relais will not keep the server&apos;s password (never in plain text on disk) and will ask for it at every start.</translation>
    </message>
    <message>
        <source>Serveur</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Base de données</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>Utilisateur</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Chiffrement (TLS)</source>
        <translation>Encryption (TLS)</translation>
    </message>
    <message>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Se connecter</source>
        <translation>Connect</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <source>— choisir —</source>
        <translation>— choose —</translation>
    </message>
    <message>
        <source>Enregistrer un consentement</source>
        <translation>Record a consent</translation>
    </message>
    <message>
        <source>Partage concerné</source>
        <translation>Sharing concerned</translation>
    </message>
    <message>
        <source>Partenaire</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>Décision du patient</source>
        <translation>Patient&apos;s decision</translation>
    </message>
    <message>
        <source>Recueilli</source>
        <translation>Collected</translation>
    </message>
    <message>
        <source>Date de la décision</source>
        <translation>Date of the decision</translation>
    </message>
    <message>
        <source>Le refus est enregistré comme tel : il sera respecté et compté. Un retrait prend effet immédiatement, y compris pour les orientations pas encore reçues.</source>
        <translation>A refusal is recorded as such: it will be respected and counted. A withdrawal takes effect immediately, including for referrals not yet received.</translation>
    </message>
    <message>
        <source>&amp;Enregistrer</source>
        <translation>&amp;Save</translation>
    </message>
</context>
<context>
    <name>ConsentFormDialog</name>
    <message>
        <source>Imprimer le formulaire de consentement</source>
        <translation>Print the consent form</translation>
    </message>
    <message>
        <source>Partage concerné</source>
        <translation>Sharing concerned</translation>
    </message>
    <message>
        <source>Partenaire</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>&amp;Aperçu du formulaire</source>
        <translation>&amp;Preview the form</translation>
    </message>
</context>
<context>
    <name>Consents</name>
    <message>
        <source>Liaison</source>
        <translation>Liaison</translation>
    </message>
    <message>
        <source>Orientation CARSAT</source>
        <translation>CARSAT referral</translation>
    </message>
    <message>
        <source>Partenaire</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>accord donné le {when} ({method})</source>
        <translation>agreed on {when} ({method})</translation>
    </message>
    <message>
        <source>refus le {when}</source>
        <translation>refused on {when}</translation>
    </message>
    <message>
        <source>accord retiré le {when}</source>
        <translation>withdrawn on {when}</translation>
    </message>
    <message>
        <source>non recueilli</source>
        <translation>not asked</translation>
    </message>
</context>
<context>
    <name>ConsentsTab</name>
    <message>
        <source>Formulaire signé reçu</source>
        <translation>Signed form received</translation>
    </message>
    <message>
        <source>Enregistre l&apos;accord du patient sur le formulaire imprimé (le lien est gardé).</source>
        <translation>Records the patient&apos;s agreement on the printed form (the link is kept).</translation>
    </message>
    <message>
        <source>&amp;Enregistrer un consentement…</source>
        <translation>&amp;Record a consent…</translation>
    </message>
    <message>
        <source>&amp;Imprimer le formulaire…</source>
        <translation>&amp;Print the form…</translation>
    </message>
    <message>
        <source>Formulaire &amp;signé reçu</source>
        <translation>&amp;Signed form received</translation>
    </message>
    <message>
        <source>&lt;b&gt;&amp;Historique des décisions&lt;/b&gt; (la plus récente en haut)</source>
        <translation>&lt;b&gt;Decision &amp;history&lt;/b&gt; (most recent first)</translation>
    </message>
    <message>
        <source>Aucune décision enregistrée : le patient n&apos;a pas encore été interrogé.</source>
        <translation>No decision recorded: the patient has not been asked yet.</translation>
    </message>
    <message>
        <source>Choisissez le partenaire concerné.</source>
        <translation>Choose the partner concerned.</translation>
    </message>
    <message>
        <source>Formulaire signé reçu (n° {number})</source>
        <translation>Signed form received (no. {number})</translation>
    </message>
    <message>
        <source>Formulaire n° {number} archivé dans le dossier. Quand le patient l&apos;a signé, cliquez sur « Formulaire signé reçu ».</source>
        <translation>Form no. {number} archived in the file. When the patient has signed it, click “Signed form received”.</translation>
    </message>
    <message>
        <source>Accord enregistré sur le formulaire signé n° {number}.</source>
        <translation>Agreement recorded on signed form no. {number}.</translation>
    </message>
</context>
<context>
    <name>ConsultationDialog</name>
    <message>
        <source>Consultation sociale — {name}</source>
        <translation>Social consultation — {name}</translation>
    </message>
    <message>
        <source>&amp;Fermer la fenêtre</source>
        <translation>&amp;Close the window</translation>
    </message>
</context>
<context>
    <name>ConsultationScreen</name>
    <message>
        <source>É&amp;valuation sociale</source>
        <translation>Social assess&amp;ment</translation>
    </message>
    <message>
        <source>&amp;Historique de l&apos;évaluation</source>
        <translation>Assessment &amp;history</translation>
    </message>
    <message>
        <source>Plan d&apos;action (&amp;démarches)</source>
        <translation>Action &amp;plan</translation>
    </message>
    <message>
        <source>&amp;Notes sociales</source>
        <translation>Social &amp;notes</translation>
    </message>
    <message>
        <source>&amp;Clôturer la consultation</source>
        <translation>&amp;Close the consultation</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Orientation de {sender}&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;Referral from {sender}&lt;/h3&gt;</translation>
    </message>
    <message>
        <source>né(e) le {date} ({age})</source>
        <translation>born on {date} ({age})</translation>
    </message>
    <message>
        <source>adresse non renseignée</source>
        <translation>address not given</translation>
    </message>
    <message>
        <source>tél. {phone}</source>
        <translation>tel. {phone}</translation>
    </message>
    <message>
        <source>Rendez-vous du {when} ({status})</source>
        <translation>Appointment of {when} ({status})</translation>
    </message>
    <message numerus="yes">
        <source>%n absence(s) non excusée(s)</source>
        <translation>
            <numerusform>%n unexcused absence</numerusform>
            <numerusform>%n unexcused absences</numerusform>
        </translation>
    </message>
    <message>
        <source>Consultation sans rendez-vous : rien à clôturer dans l&apos;agenda.</source>
        <translation>Consultation without an appointment: nothing to close in the agenda.</translation>
    </message>
    <message>
        <source>Consultation clôturée : patient reçu.</source>
        <translation>Consultation closed: patient seen.</translation>
    </message>
    <message>
        <source>Retour à {sender}</source>
        <translation>Feedback to {sender}</translation>
    </message>
    <message>
        <source>La consultation est close. Voulez-vous envoyer un retour à {sender} ? Seul ce que vous écrivez ici lui parvient (jamais l&apos;évaluation sociale ni vos notes).</source>
        <translation>The consultation is closed. Do you want to send feedback to {sender}? Only what you write here reaches them (never the social assessment nor your notes).</translation>
    </message>
    <message>
        <source>Le patient n&apos;a pas donné (ou a retiré) son accord au partage entre médecins et assistante sociale : votre texte ne sera pas transmis, l&apos;émetteur saura seulement que l&apos;orientation est prise en charge.</source>
        <translation>The patient has not given (or has withdrawn) their consent to sharing between doctors and the social worker: your text will not be passed on, the sender will only learn that the referral is being handled.</translation>
    </message>
    <message>
        <source>Consultation clôturée : patient reçu. Retour envoyé à {sender}.</source>
        <translation>Consultation closed: patient seen. Feedback sent to {sender}.</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Relais — erreur inattendue</source>
        <translation>Relais — unexpected error</translation>
    </message>
    <message>
        <source>&lt;b&gt;Une erreur inattendue s&apos;est produite.&lt;/b&gt; Relais continue de fonctionner, mais l&apos;action en cours n&apos;a peut-être pas abouti.</source>
        <translation>&lt;b&gt;An unexpected error occurred.&lt;/b&gt; Relais keeps running, but the current action may not have completed.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Ce qui est enregistré :&lt;/b&gt; tout ce que vous aviez enregistré avant l&apos;erreur est conservé. Une modification est enregistrée entière ou pas du tout : si l&apos;action en cours n&apos;a pas abouti, rien n&apos;en a été écrit ; vérifiez-la, puis refaites-la si besoin. Les notes en cours de saisie restent ouvertes : enregistrez-les.</source>
        <translation>&lt;b&gt;What is saved:&lt;/b&gt; everything you had saved before the error is kept. A change is saved whole or not at all: if the current action did not complete, nothing of it was written; check it, then do it again if needed. Notes being typed stay open: save them.</translation>
    </message>
    <message>
        <source> Le journal de Relais se trouve dans : {folder}</source>
        <translation> Relais&apos;s log is in: {folder}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Pour signaler le problème :&lt;/b&gt; cliquez sur « Copier le rapport » et collez-le dans un message à votre référent informatique (référence {ref}). Le rapport ne contient aucune donnée de patient : ni nom, ni texte saisi, seulement le type d&apos;erreur et l&apos;endroit du programme où elle s&apos;est produite.</source>
        <translation>&lt;b&gt;To report the problem:&lt;/b&gt; click “Copy the report” and paste it into a message to your IT contact (reference {ref}). The report contains no patient data: no name, no typed text, only the type of error and the place in the program where it occurred.</translation>
    </message>
    <message>
        <source>Rapport copié dans le presse-papiers.</source>
        <translation>Report copied to the clipboard.</translation>
    </message>
    <message>
        <source>Afficher les détails</source>
        <translation>Show details</translation>
    </message>
    <message>
        <source>Copier le rapport</source>
        <translation>Copy the report</translation>
    </message>
    <message>
        <source>Quitter Relais</source>
        <translation>Quit Relais</translation>
    </message>
    <message>
        <source>Continuer</source>
        <translation>Continue</translation>
    </message>
    <message numerus="yes">
        <source>%n autre(s) erreur(s) depuis ; le rapport les contient toutes.</source>
        <translation>
            <numerusform>%n more error since; the report contains them all.</numerusform>
            <numerusform>%n more errors since; the report contains them all.</numerusform>
        </translation>
    </message>
    <message>
        <source>Masquer les détails</source>
        <translation>Hide details</translation>
    </message>
</context>
<context>
    <name>DayDialog</name>
    <message>
        <source>Annuler une date</source>
        <translation>Cancel a date</translation>
    </message>
    <message>
        <source>Ajouter une date</source>
        <translation>Add a date</translation>
    </message>
    <message>
        <source>ex. : formation, congés</source>
        <translation>e.g. training, holidays</translation>
    </message>
    <message>
        <source>ex. : permanence de rattrapage</source>
        <translation>e.g. make-up session</translation>
    </message>
    <message>
        <source>&amp;Date</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <source>&amp;Motif</source>
        <translation>&amp;Reason</translation>
    </message>
    <message numerus="yes">
        <source>Annuler aussi le(s) %n rendez-vous de ce jour (les patients seront à prévenir)</source>
        <translation>
            <numerusform>Also cancel this day&apos;s appointment (the patient must be told)</numerusform>
            <numerusform>Also cancel this day&apos;s %n appointments (the patients must be told)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DayModel</name>
    <message>
        <source>Libre</source>
        <translation>Free</translation>
    </message>
    <message>
        <source> (hors créneau)</source>
        <translation> (outside a slot)</translation>
    </message>
    <message>
        <source>Créneau qui n&apos;existe plus (la permanence a été modifiée).</source>
        <translation>Slot that no longer exists (the session was changed).</translation>
    </message>
</context>
<context>
    <name>DialogButtons</name>
    <message>
        <source>&amp;Annuler</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>&amp;Fermer</source>
        <translation>&amp;Close</translation>
    </message>
</context>
<context>
    <name>DischargeDialog</name>
    <message>
        <source>Plan de sortie d&apos;hospitalisation</source>
        <translation>Hospital discharge plan</translation>
    </message>
    <message>
        <source>Modifier le plan de sortie</source>
        <translation>Edit the discharge plan</translation>
    </message>
    <message>
        <source>Hospitalisé(e) depuis le</source>
        <translation>In hospital since</translation>
    </message>
    <message>
        <source>Établissement</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Nom de l&apos;établissement…</source>
        <translation>Name of the institution…</translation>
    </message>
    <message>
        <source>Sortie prévue le</source>
        <translation>Discharge planned on</translation>
    </message>
    <message>
        <source>Entrée</source>
        <translation>Admission</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Destination</translation>
    </message>
    <message>
        <source>Précision</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Aides</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>Non renseigné</source>
        <translation>Not given</translation>
    </message>
    <message>
        <source>Oui</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>Non (autre régime, ou en activité)</source>
        <translation>No (other scheme, or working)</translation>
    </message>
    <message>
        <source>Retraité(e) du régime général</source>
        <translation>Retired from the general scheme</translation>
    </message>
    <message>
        <source>Autonomie (GIR)</source>
        <translation>Autonomy (GIR)</translation>
    </message>
    <message>
        <source>Aide au retour à domicile après hospitalisation (ARDH, CARSAT)</source>
        <translation>Help returning home after hospitalisation (ARDH, CARSAT)</translation>
    </message>
    <message>
        <source>Règle : retraité(e) du régime général, {age} ans ou plus, GIR 5 ou 6, retour à domicile, sans APA ni HAD ; aide de 3 mois au plus, montant plafonné.</source>
        <translation>Rule: retired from the general scheme, aged {age} or over, GIR 5 or 6, returning home, without APA or HAD; help for 3 months at most, capped amount.</translation>
    </message>
    <message>
        <source>Garde des enfants pendant l&apos;hospitalisation</source>
        <translation>Childcare during the hospital stay</translation>
    </message>
    <message>
        <source>Autre équipement (virgules)</source>
        <translation>Other equipment (commas)</translation>
    </message>
    <message>
        <source>Garde d&apos;enfants</source>
        <translation>Childcare</translation>
    </message>
    <message>
        <source>Équipement</source>
        <translation>Equipment</translation>
    </message>
    <message>
        <source>Commentaire</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>Dates de suivi (rappels dans vos messages)</source>
        <translation>Follow-up dates (reminders in your messages)</translation>
    </message>
    <message>
        <source>Ajouter une date de suivi</source>
        <translation>Add a follow-up date</translation>
    </message>
    <message>
        <source>&amp;Enregistrer</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>Séjour et destination</source>
        <translation>Stay and destination</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>À renseigner : {x}.</source>
        <translation>To fill in: {x}.</translation>
    </message>
</context>
<context>
    <name>DocumentsTab</name>
    <message>
        <source>Qui a consulté ce dossier, quelle partie et quand (droit d&apos;accès du patient).</source>
        <translation>Who consulted this file, which part and when (the patient&apos;s right of access).</translation>
    </message>
    <message>
        <source>&amp;Aperçu</source>
        <translation>&amp;Preview</translation>
    </message>
    <message>
        <source>Enregistrer en &amp;PDF…</source>
        <translation>Save as &amp;PDF…</translation>
    </message>
    <message>
        <source>&amp;Rapport d&apos;accès</source>
        <translation>Access &amp;report</translation>
    </message>
    <message>
        <source>E&amp;xporter le dossier…</source>
        <translation>E&amp;xport the file…</translation>
    </message>
    <message numerus="yes">
        <source>%n document(s) archivé(s) dans le dossier.</source>
        <translation>
            <numerusform>%n document archived in the file.</numerusform>
            <numerusform>%n documents archived in the file.</numerusform>
        </translation>
    </message>
    <message>
        <source>Aucun document archivé dans ce dossier pour l&apos;instant.</source>
        <translation>No document archived in this file yet.</translation>
    </message>
    <message>
        <source>L&apos;opération n&apos;a pas abouti.</source>
        <translation>The operation did not complete.</translation>
    </message>
    <message>
        <source>Préparation du relevé des accès…</source>
        <translation>Preparing the access report…</translation>
    </message>
    <message>
        <source>Export du dossier en cours…</source>
        <translation>Exporting the file…</translation>
    </message>
    <message>
        <source>L&apos;export n&apos;a pas abouti.</source>
        <translation>The export did not complete.</translation>
    </message>
    <message>
        <source>Export annulé : aucun fichier enregistré.</source>
        <translation>Export cancelled: no file saved.</translation>
    </message>
    <message>
        <source>Le fichier JSON n&apos;a pas pu être enregistré ({e}).</source>
        <translation>The JSON file could not be saved ({e}).</translation>
    </message>
    <message>
        <source>Dossier exporté : {pdf} et {json}.</source>
        <translation>File exported: {pdf} and {json}.</translation>
    </message>
    <message>
        <source>Volets non inclus (hors de votre rôle) : {parts}.</source>
        <translation>Compartments not included (outside your role): {parts}.</translation>
    </message>
</context>
<context>
    <name>DuplicateDialog</name>
    <message>
        <source>Doublon possible</source>
        <translation>Possible duplicate</translation>
    </message>
    <message>
        <source>Ce patient existe peut-être déjà (même date de naissance et nom proche, ou même NIR). Vérifiez avant de créer un nouveau dossier : un doublon disperse les informations du patient.</source>
        <translation>This patient may already exist (same date of birth and a close name, or the same NIR). Check before creating a new file: a duplicate scatters the patient&apos;s information.</translation>
    </message>
    <message>
        <source>né(e) le {date}</source>
        <translation>born on {date}</translation>
    </message>
    <message>
        <source>NIR {nir}</source>
        <translation>NIR {nir}</translation>
    </message>
    <message>
        <source>&amp;Ouvrir le dossier existant</source>
        <translation>&amp;Open the existing file</translation>
    </message>
    <message>
        <source>&amp;Revenir au formulaire</source>
        <translation>&amp;Back to the form</translation>
    </message>
    <message>
        <source>&amp;Créer quand même</source>
        <translation>&amp;Create anyway</translation>
    </message>
    <message>
        <source>&amp;Dossiers proches</source>
        <translation>&amp;Similar files</translation>
    </message>
</context>
<context>
    <name>EnrolmentDialog</name>
    <message>
        <source>Double authentification</source>
        <translation>Two-factor authentication</translation>
    </message>
    <message>
        <source>&lt;b&gt;La maison de santé exige une double authentification pour votre compte.&lt;/b&gt; </source>
        <translation>&lt;b&gt;The clinic requires two-factor authentication for your account.&lt;/b&gt; </translation>
    </message>
    <message>
        <source>1. Ouvrez votre application d&apos;authentification (FreeOTP, Google Authenticator, Microsoft Authenticator…) et scannez ce code QR.&lt;br&gt;2. Saisissez le code à 6 chiffres qu&apos;elle affiche.</source>
        <translation>1. Open your authenticator app (FreeOTP, Google Authenticator, Microsoft Authenticator…) and scan this QR code.&lt;br&gt;2. Enter the 6-digit code it shows.</translation>
    </message>
    <message>
        <source>Sans appareil photo, saisissez cette clé dans l&apos;application :</source>
        <translation>Without a camera, enter this key in the app:</translation>
    </message>
    <message>
        <source>6 chiffres</source>
        <translation>6 digits</translation>
    </message>
    <message>
        <source>Votre mot de passe</source>
        <translation>Your password</translation>
    </message>
    <message>
        <source>Code affiché</source>
        <translation>Code shown</translation>
    </message>
    <message>
        <source>Activer la double authentification</source>
        <translation>Turn on two-factor authentication</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Saisissez le code affiché par l&apos;application.</source>
        <translation>Enter the code shown by the app.</translation>
    </message>
</context>
<context>
    <name>ExceptionalAccessDialog</name>
    <message>
        <source>Accès exceptionnel</source>
        <translation>Exceptional access</translation>
    </message>
    <message>
        <source>&lt;b&gt;Réservé à une urgence.&lt;/b&gt; Vous allez ouvrir un volet que votre rôle ne donne pas. Cet accès est &lt;b&gt;limité dans le temps&lt;/b&gt;, &lt;b&gt;tracé dans le journal d&apos;audit&lt;/b&gt; avec votre justification, et &lt;b&gt;les professionnels titulaires de ce volet en sont informés&lt;/b&gt; dans leurs messages.</source>
        <translation>&lt;b&gt;For emergencies only.&lt;/b&gt; You are about to open a compartment your role does not give you. This access is &lt;b&gt;limited in time&lt;/b&gt;, &lt;b&gt;logged in the audit log&lt;/b&gt; with your justification, and &lt;b&gt;the professionals who hold this compartment are told&lt;/b&gt; in their messages.</translation>
    </message>
    <message>
        <source>ex. : patient inconscient aux urgences, besoin des antécédents…</source>
        <translation>e.g. patient unconscious in A&amp;E, history needed…</translation>
    </message>
    <message>
        <source>&amp;Volet</source>
        <translation>&amp;Compartment</translation>
    </message>
    <message>
        <source>&amp;Justification</source>
        <translation>&amp;Justification</translation>
    </message>
    <message>
        <source>&amp;Ouvrir en accès exceptionnel</source>
        <translation>&amp;Open with exceptional access</translation>
    </message>
</context>
<context>
    <name>ExceptionalTabs</name>
    <message>
        <source>Expliquez en quelques mots l&apos;urgence qui justifie cet accès ({n} caractères au moins).</source>
        <translation>Explain in a few words the emergency that justifies this access ({n} characters at least).</translation>
    </message>
    <message>
        <source>{part} — exceptionnel, jusqu&apos;à {time}</source>
        <translation>{part} — exceptional, until {time}</translation>
    </message>
    <message>
        <source>Accès exceptionnel tracé ; les titulaires du volet en sont informés.</source>
        <translation>Exceptional access, logged; the compartment&apos;s holders are informed.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Exporter l&apos;agenda (iCalendar)</source>
        <translation>Export the agenda (iCalendar)</translation>
    </message>
    <message>
        <source>Les permanences et rendez-vous de &lt;b&gt;{name}&lt;/b&gt;, à importer dans un agenda (Outlook, Thunderbird, téléphone). Les noms des patients n&apos;y figurent que pour le professionnel lui-même ; jamais de motif.</source>
        <translation>The sessions and appointments of &lt;b&gt;{name}&lt;/b&gt;, to import into a calendar (Outlook, Thunderbird, phone). Patients&apos; names appear only for the professional themself; never a reason.</translation>
    </message>
    <message>
        <source>&amp;Du</source>
        <translation>&amp;From</translation>
    </message>
    <message>
        <source>A&amp;u</source>
        <translation>&amp;To</translation>
    </message>
    <message>
        <source>&amp;Enregistrer le fichier…</source>
        <translation>&amp;Save the file…</translation>
    </message>
    <message>
        <source>La date de fin précède la date de début.</source>
        <translation>The end date is before the start date.</translation>
    </message>
    <message>
        <source>Agenda iCalendar (*.ics)</source>
        <translation>iCalendar agenda (*.ics)</translation>
    </message>
</context>
<context>
    <name>ExportPasswordDialog</name>
    <message>
        <source>Exporter le dossier</source>
        <translation>Export the file</translation>
    </message>
    <message>
        <source>Export de tout ce que Relais contient sur {name} et que votre rôle permet de lire : un PDF à remettre au patient et un fichier JSON pour un autre logiciel. L&apos;export est tracé dans le journal d&apos;audit.&lt;br&gt;&lt;br&gt;Confirmez votre mot de passe pour continuer.</source>
        <translation>Export of everything Relais holds about {name} that your role may read: a PDF to give to the patient and a JSON file for other software. The export is logged in the audit log.&lt;br&gt;&lt;br&gt;Confirm your password to continue.</translation>
    </message>
    <message>
        <source>&amp;Mot de passe</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <source>E&amp;xporter…</source>
        <translation>E&amp;xport…</translation>
    </message>
    <message>
        <source>Vérification du mot de passe…</source>
        <translation>Checking the password…</translation>
    </message>
    <message>
        <source>Export du dossier en cours…</source>
        <translation>Exporting the file…</translation>
    </message>
    <message>
        <source>Annulation en cours…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>FeedbackDialog</name>
    <message>
        <source>Envoyer un retour d&apos;orientation</source>
        <translation>Send referral feedback</translation>
    </message>
    <message>
        <source>En&amp;voyer le retour</source>
        <translation>Se&amp;nd the feedback</translation>
    </message>
    <message>
        <source>&amp;Retour</source>
        <translation>&amp;Feedback</translation>
    </message>
    <message>
        <source>Ce que l&apos;émetteur doit savoir.</source>
        <translation>What the sender needs to know.</translation>
    </message>
</context>
<context>
    <name>FileTabs</name>
    <message>
        <source>Suivi social</source>
        <translation>Social follow-up</translation>
    </message>
    <message>
        <source>Consentements</source>
        <translation>Consents</translation>
    </message>
    <message>
        <source>Orientations</source>
        <translation>Referrals</translation>
    </message>
    <message>
        <source>Soins à domicile</source>
        <translation>Home care</translation>
    </message>
    <message>
        <source>Rendez-vous</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>Historique</source>
        <translation>History</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>12 derniers mois</source>
        <translation>Last 12 months</translation>
    </message>
    <message>
        <source>Année {year}</source>
        <translation>Year {year}</translation>
    </message>
    <message>
        <source>Période choisie</source>
        <translation>Chosen period</translation>
    </message>
    <message>
        <source>&amp;Période</source>
        <translation>&amp;Period</translation>
    </message>
    <message>
        <source>&amp;du</source>
        <translation>&amp;from</translation>
    </message>
    <message>
        <source>a&amp;u</source>
        <translation>&amp;to</translation>
    </message>
    <message>
        <source>Ac&amp;tivité</source>
        <translation>Ac&amp;tivity</translation>
    </message>
    <message>
        <source>&amp;Motifs</source>
        <translation>&amp;Reasons</translation>
    </message>
</context>
<context>
    <name>FollowUpRow</name>
    <message>
        <source>Date de suivi</source>
        <translation>Follow-up date</translation>
    </message>
    <message>
        <source>Objet du suivi</source>
        <translation>Follow-up subject</translation>
    </message>
    <message>
        <source>Retirer</source>
        <translation>Remove</translation>
    </message>
</context>
<context>
    <name>Headers</name>
    <message>
        <source>Démarche</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>Partenaire</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Échéance</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>Rappel</source>
        <translation>Reminder</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Auteur(e)</source>
        <translation>Author</translation>
    </message>
    <message>
        <source>Décision du</source>
        <translation>Decision of</translation>
    </message>
    <message>
        <source>Partage concerné</source>
        <translation>Sharing concerned</translation>
    </message>
    <message>
        <source>Décision</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>Recueil</source>
        <translation>Collected</translation>
    </message>
    <message>
        <source>Enregistré par</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <source>Le</source>
        <translation>On</translation>
    </message>
    <message>
        <source>Soins</source>
        <translation>Care</translation>
    </message>
    <message>
        <source>Début</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Sortie prévue</source>
        <translation>Planned discharge</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Destination</translation>
    </message>
    <message>
        <source>Établissement</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>ARDH</source>
        <translation>ARDH</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Last name</translation>
    </message>
    <message>
        <source>Identifiant</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Rôle</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Profession</source>
        <translation>Profession</translation>
    </message>
    <message>
        <source>RPPS</source>
        <translation>RPPS</translation>
    </message>
    <message>
        <source>Actif</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>Dernière connexion</source>
        <translation>Last login</translation>
    </message>
    <message>
        <source>N°</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>Auteur</source>
        <translation>Author</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Émetteur</source>
        <translation>Sender</translation>
    </message>
    <message>
        <source>Destinataire</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <source>Urgence</source>
        <translation>Urgency</translation>
    </message>
    <message>
        <source>Créée le</source>
        <translation>Created on</translation>
    </message>
    <message>
        <source>Envoyée le</source>
        <translation>Sent on</translation>
    </message>
    <message>
        <source>Dernière étape</source>
        <translation>Last step</translation>
    </message>
    <message>
        <source>Étape</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>Par</source>
        <translation>By</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Volet</source>
        <translation>Compartment</translation>
    </message>
    <message>
        <source>Précision</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Heure</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Rappel de la veille</source>
        <translation>Reminder the day before</translation>
    </message>
    <message>
        <source>Salle</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Avec</source>
        <translation>With</translation>
    </message>
    <message>
        <source>Lieu</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>Rendez-vous</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>Appelé(e)</source>
        <translation>Called</translation>
    </message>
    <message>
        <source>Disponibilités</source>
        <translation>Availability</translation>
    </message>
    <message>
        <source>Inscrit(e) le</source>
        <translation>Registered on</translation>
    </message>
    <message>
        <source>Pour</source>
        <translation>For</translation>
    </message>
    <message>
        <source>Professionnel</source>
        <translation>Professional</translation>
    </message>
    <message>
        <source>Permanence</source>
        <translation>Session</translation>
    </message>
    <message>
        <source>Depuis le</source>
        <translation>Since</translation>
    </message>
    <message>
        <source>Jusqu&apos;au</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>État</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Service proposé</source>
        <translation>Service offered</translation>
    </message>
    <message>
        <source>Règle</source>
        <translation>Rule</translation>
    </message>
    <message>
        <source>Pourquoi</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>Organisme</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Communes</source>
        <translation>Towns</translation>
    </message>
    <message>
        <source>Fonction</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Assistante sociale</source>
        <translation>Social worker</translation>
    </message>
</context>
<context>
    <name>HistoryTab</name>
    <message>
        <source>Aucune modification enregistrée.</source>
        <translation>No change saved.</translation>
    </message>
</context>
<context>
    <name>HomeCareDialog</name>
    <message>
        <source>Modifier la demande de soins à domicile</source>
        <translation>Edit the home-care request</translation>
    </message>
    <message>
        <source>Nouvelle demande de soins à domicile</source>
        <translation>New home-care request</translation>
    </message>
    <message>
        <source>Précisions utiles au partenaire (facultatif)</source>
        <translation>Details useful to the partner (optional)</translation>
    </message>
    <message>
        <source>Dr Prénom Nom</source>
        <translation>Dr First name Last name</translation>
    </message>
    <message>
        <source>11 chiffres</source>
        <translation>11 digits</translation>
    </message>
    <message>
        <source>Soins</source>
        <translation>Care</translation>
    </message>
    <message>
        <source>Actes</source>
        <translation>Procedures</translation>
    </message>
    <message>
        <source>Précisions</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Prescripteur</source>
        <translation>Prescriber</translation>
    </message>
    <message>
        <source>N° RPPS</source>
        <translation>RPPS no.</translation>
    </message>
    <message>
        <source>Fréquence : par jour, semaine ou mois</source>
        <translation>Frequency: per day, week or month</translation>
    </message>
    <message>
        <source>fois </source>
        <translation>times </translation>
    </message>
    <message>
        <source> jours</source>
        <translation> days</translation>
    </message>
    <message>
        <source>à préciser</source>
        <translation>to be specified</translation>
    </message>
    <message>
        <source>Début des soins</source>
        <translation>Start of care</translation>
    </message>
    <message>
        <source>Fréquence</source>
        <translation>Frequency</translation>
    </message>
    <message>
        <source>Durée</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>Après une hospitalisation</source>
        <translation>After a hospital stay</translation>
    </message>
    <message>
        <source>Établissement</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Sortie</source>
        <translation>Discharge</translation>
    </message>
    <message>
        <source>Ascenseur, clé chez un voisin, animal…</source>
        <translation>Lift, key with a neighbour, pet…</translation>
    </message>
    <message>
        <source>Adresse</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Code porte</source>
        <translation>Door code</translation>
    </message>
    <message>
        <source>Étage</source>
        <translation>Floor</translation>
    </message>
    <message>
        <source>Accès</source>
        <translation>Access</translation>
    </message>
    <message>
        <source>Indications</source>
        <translation>Directions</translation>
    </message>
    <message>
        <source>Disponibilités du patient (ex. « 8:00-10:00, 17:00-19:00 »)</source>
        <translation>Patient&apos;s availability (e.g. “8:00-10:00, 17:00-19:00”)</translation>
    </message>
    <message>
        <source>Commune du patient</source>
        <translation>Patient&apos;s town</translation>
    </message>
    <message>
        <source>Commune servie</source>
        <translation>Town served</translation>
    </message>
    <message>
        <source>Partenaire</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>Interlocuteur</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>Soins demandés</source>
        <translation>Care requested</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>Dates</translation>
    </message>
    <message>
        <source>Domicile</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>&amp;Enregistrer</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>— à choisir —</source>
        <translation>— to choose —</translation>
    </message>
    <message>
        <source>tout le secteur</source>
        <translation>the whole area</translation>
    </message>
    <message numerus="yes">
        <source>%n partenaire(s) de l&apos;annuaire pour ces soins dans cette commune.</source>
        <translation>
            <numerusform>%n partner in the directory for this care in this town.</numerusform>
            <numerusform>%n partners in the directory for this care in this town.</numerusform>
        </translation>
    </message>
    <message>
        <source>— le cabinet —</source>
        <translation>— the practice —</translation>
    </message>
    <message>
        <source>Écrivez les créneaux comme « 8:00-10:00, 17:00-19:00 ».</source>
        <translation>Write the time slots as “8:00-10:00, 17:00-19:00”.</translation>
    </message>
</context>
<context>
    <name>HomeCareTab</name>
    <message numerus="yes">
        <source>%n demande(s) de soins, {plans}.</source>
        <translation>
            <numerusform>%n care request, {plans}.</numerusform>
            <numerusform>%n care requests, {plans}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n plan(s) de sortie</source>
        <translation>
            <numerusform>%n discharge plan</numerusform>
            <numerusform>%n discharge plans</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Nouvelle demande de soins…</source>
        <translation>&amp;New care request…</translation>
    </message>
    <message>
        <source>Nouveau &amp;plan de sortie…</source>
        <translation>New discharge &amp;plan…</translation>
    </message>
    <message>
        <source>&amp;Imprimer la demande…</source>
        <translation>&amp;Print the request…</translation>
    </message>
    <message>
        <source>&amp;Modifier le plan…</source>
        <translation>&amp;Edit the plan…</translation>
    </message>
    <message>
        <source>&amp;Demande de soins pour ce plan…</source>
        <translation>Care &amp;request for this plan…</translation>
    </message>
    <message>
        <source>Suivi &amp;fait</source>
        <translation>Follow-up &amp;done</translation>
    </message>
    <message>
        <source>&amp;Sortie réalisée</source>
        <translation>Di&amp;scharged</translation>
    </message>
    <message>
        <source>Imprimer &amp;le plan…</source>
        <translation>Print the p&amp;lan…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Dem&amp;andes de soins à domicile&lt;/b&gt;</source>
        <translation>&lt;b&gt;Home care requ&amp;ests&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Plans de sortie d&apos;&amp;hospitalisation&lt;/b&gt;</source>
        <translation>&lt;b&gt;&amp;Hospital discharge plans&lt;/b&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%n en attente depuis trop longtemps.</source>
        <translation>
            <numerusform>%n waiting for too long.</numerusform>
            <numerusform>%n waiting for too long.</numerusform>
        </translation>
    </message>
    <message>
        <source>Consultation seule.</source>
        <translation>Read only.</translation>
    </message>
    <message>
        <source>Choisissez une demande ou un plan dans la liste.</source>
        <translation>Choose a request or a plan in the list.</translation>
    </message>
    <message>
        <source>Demande de soins — {care} — {status}</source>
        <translation>Care request — {care} — {status}</translation>
    </message>
    <message>
        <source>Plan de sortie — {date} — {status}</source>
        <translation>Discharge plan — {date} — {status}</translation>
    </message>
    <message>
        <source>{label} du {date} : fait</source>
        <translation>{label} of {date}: done</translation>
    </message>
    <message>
        <source>Demande acceptée</source>
        <translation>Request accepted</translation>
    </message>
    <message>
        <source>&amp;Enregistrer</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>&amp;Acceptée par (chez le partenaire)</source>
        <translation>&amp;Accepted by (at the partner)</translation>
    </message>
    <message>
        <source>&amp;Enregistrer le refus</source>
        <translation>&amp;Record the refusal</translation>
    </message>
    <message>
        <source>&amp;Motif du refus</source>
        <translation>&amp;Reason for the refusal</translation>
    </message>
    <message>
        <source>Annuler la &amp;demande</source>
        <translation>Cancel the &amp;request</translation>
    </message>
    <message>
        <source>&amp;Motif (facultatif)</source>
        <translation>&amp;Reason (optional)</translation>
    </message>
    <message>
        <source>&amp;Créer la nouvelle demande</source>
        <translation>&amp;Create the new request</translation>
    </message>
    <message>
        <source>&amp;Partenaire</source>
        <translation>&amp;Partner</translation>
    </message>
    <message>
        <source>Demande refusée par le partenaire</source>
        <translation>Request refused by the partner</translation>
    </message>
    <message>
        <source>Motif du refus</source>
        <translation>Reason for the refusal</translation>
    </message>
    <message>
        <source> — en attente</source>
        <translation> — waiting</translation>
    </message>
    <message>
        <source>éligible</source>
        <translation>eligible</translation>
    </message>
    <message>
        <source>non éligible</source>
        <translation>not eligible</translation>
    </message>
    <message>
        <source>à vérifier</source>
        <translation>to check</translation>
    </message>
    <message>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Soins</source>
        <translation>Care</translation>
    </message>
    <message>
        <source>Actes</source>
        <translation>Procedures</translation>
    </message>
    <message>
        <source>Précisions</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Acceptée par</source>
        <translation>Accepted by</translation>
    </message>
    <message>
        <source>Début</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Fréquence</source>
        <translation>Frequency</translation>
    </message>
    <message>
        <source>Durée</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>à préciser</source>
        <translation>to be specified</translation>
    </message>
    <message>
        <source>Prescripteur</source>
        <translation>Prescriber</translation>
    </message>
    <message>
        <source>Adresse</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Code porte / étage</source>
        <translation>Door code / floor</translation>
    </message>
    <message>
        <source>Accès</source>
        <translation>Access</translation>
    </message>
    <message>
        <source>Sortie d&apos;hospitalisation</source>
        <translation>Hospital discharge</translation>
    </message>
    <message>
        <source>Établissement</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>Créée par</source>
        <translation>Created by</translation>
    </message>
    <message>
        <source>{created_by_name}, le {created_at}</source>
        <translation>{created_by_name}, on {created_at}</translation>
    </message>
    <message>
        <source>&lt;h4&gt;Disponibilités&lt;/h4&gt;</source>
        <translation>&lt;h4&gt;Availability&lt;/h4&gt;</translation>
    </message>
    <message>
        <source>&lt;h4&gt;Étapes&lt;/h4&gt;&lt;ul&gt;</source>
        <translation>&lt;h4&gt;Steps&lt;/h4&gt;&lt;ul&gt;</translation>
    </message>
    <message>
        <source>Sortie prévue le</source>
        <translation>Discharge planned on</translation>
    </message>
    <message>
        <source>Entrée le</source>
        <translation>Admitted on</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Destination</translation>
    </message>
    <message>
        <source>Aides</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>aucune</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Garde d&apos;enfants</source>
        <translation>Childcare</translation>
    </message>
    <message>
        <source>Équipement</source>
        <translation>Equipment</translation>
    </message>
    <message>
        <source>Commentaire</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>&lt;p&gt;À renseigner : {value}.&lt;/p&gt;</source>
        <translation>&lt;p&gt;To fill in: {value}.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h4&gt;Demandes de soins liées&lt;/h4&gt;&lt;ul&gt;</source>
        <translation>&lt;h4&gt;Linked care requests&lt;/h4&gt;&lt;ul&gt;</translation>
    </message>
    <message>
        <source>&lt;h4&gt;Suivi&lt;/h4&gt;&lt;ul&gt;</source>
        <translation>&lt;h4&gt;Follow-up&lt;/h4&gt;&lt;ul&gt;</translation>
    </message>
    <message>
        <source>{label} le {date}</source>
        <translation>{label} on {date}</translation>
    </message>
    <message>
        <source> — fait</source>
        <translation> — done</translation>
    </message>
    <message>
        <source>Annuler la demande</source>
        <translation>Cancel the request</translation>
    </message>
    <message>
        <source>Adresser à un autre partenaire</source>
        <translation>Send to another partner</translation>
    </message>
    <message>
        <source>Partenaire</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>Choisissez le partenaire.</source>
        <translation>Choose the partner.</translation>
    </message>
</context>
<context>
    <name>HomeCareWords</name>
    <message numerus="yes">
        <source>%n jour(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IdentityDialog</name>
    <message>
        <source>Nouveau patient</source>
        <translation>New patient</translation>
    </message>
    <message>
        <source>Modifier l&apos;identité</source>
        <translation>Edit the identity</translation>
    </message>
    <message>
        <source>&amp;Enregistrer</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>Nom de naissance</source>
        <translation>Birth name</translation>
    </message>
    <message>
        <source>Nom d&apos;usage</source>
        <translation>Used name</translation>
    </message>
    <message>
        <source>Prénom(s)</source>
        <translation>First name(s)</translation>
    </message>
    <message>
        <source>Sexe</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>Date de naissance</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>Lieu de naissance</source>
        <translation>Place of birth</translation>
    </message>
    <message>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Pièce d&apos;identité</source>
        <translation>Identity document</translation>
    </message>
    <message>
        <source>NIR</source>
        <translation>NIR</translation>
    </message>
    <message>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Adresse</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Code postal</source>
        <translation>Postcode</translation>
    </message>
    <message>
        <source>Ville</source>
        <translation>Town</translation>
    </message>
    <message>
        <source>Médecin traitant</source>
        <translation>Attending GP</translation>
    </message>
    <message>
        <source>Référent social</source>
        <translation>Social referent</translation>
    </message>
</context>
<context>
    <name>InboxDialog</name>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <source>Aucun message.</source>
        <translation>No messages.</translation>
    </message>
    <message>
        <source>Marquer comme lu</source>
        <translation>Mark as read</translation>
    </message>
    <message>
        <source>Ouvrir</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Féminin</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>Masculin</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>Indéterminé</source>
        <translation>Undetermined</translation>
    </message>
    <message>
        <source>Identité provisoire</source>
        <translation>Provisional identity</translation>
    </message>
    <message>
        <source>Identité validée</source>
        <translation>Validated identity</translation>
    </message>
    <message>
        <source>Carte nationale d&apos;identité</source>
        <translation>National identity card</translation>
    </message>
    <message>
        <source>Passeport</source>
        <translation>Passport</translation>
    </message>
    <message>
        <source>Titre de séjour</source>
        <translation>Residence permit</translation>
    </message>
    <message>
        <source>Extrait d&apos;acte de naissance</source>
        <translation>Birth certificate extract</translation>
    </message>
    <message>
        <source>{date} à {time}</source>
        <translation>{date} at {time}</translation>
    </message>
</context>
<context>
    <name>LanguageDialog</name>
    <message>
        <source>Langue de l&apos;interface</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <source>Celle du système</source>
        <translation>The system&apos;s</translation>
    </message>
    <message>
        <source>La nouvelle langue s&apos;applique au prochain démarrage de Relais.</source>
        <translation>The new language applies the next time Relais starts.</translation>
    </message>
    <message>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>LockWidget</name>
    <message>
        <source>Session verrouillée</source>
        <translation>Session locked</translation>
    </message>
    <message>
        <source>Saisissez votre mot de passe pour reprendre votre travail là où vous l&apos;avez laissé, ou laissez la place à un collègue : votre travail en cours est gardé.</source>
        <translation>Enter your password to resume your work where you left it, or make way for a colleague: your work in progress is kept.</translation>
    </message>
    <message>
        <source>Votre mot de passe</source>
        <translation>Your password</translation>
    </message>
    <message>
        <source>Déverrouiller</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>Changer d&apos;utilisateur</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>Session de {name} ({role})</source>
        <translation>Session of {name} ({role})</translation>
    </message>
    <message>
        <source>Vérification…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>LoginWidget</name>
    <message>
        <source>Relais</source>
        <translation>Relais</translation>
    </message>
    <message>
        <source>ex. : dr.durand</source>
        <translation>e.g. dr.durand</translation>
    </message>
    <message>
        <source>Se connecter</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>123456</source>
        <translation>123456</translation>
    </message>
    <message>
        <source>Le code à 6 chiffres de votre application, ou un de vos codes de secours.</source>
        <translation>The 6-digit code from your app, or one of your backup codes.</translation>
    </message>
    <message>
        <source>Code de vérification</source>
        <translation>Verification code</translation>
    </message>
    <message>
        <source>Saisissez le code à 6 chiffres affiché par votre application d&apos;authentification. Sans votre téléphone : un de vos codes de secours.</source>
        <translation>Enter the 6-digit code shown by your authenticator app. Without your phone: one of your backup codes.</translation>
    </message>
    <message>
        <source>Identifiant</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Mode démonstration : données fictives. Cliquez sur un compte pour remplir les champs (mot de passe commun : {password}).</source>
        <translation>Demo mode: fictitious data. Click an account to fill in the fields (shared password: {password}).</translation>
    </message>
    <message>
        <source>{name} · {username}</source>
        <translation>{name} · {username}</translation>
    </message>
    <message numerus="yes">
        <source>Session(s) verrouillée(s) en attente : {names}.</source>
        <translation>
            <numerusform>Locked session waiting: {names}.</numerusform>
            <numerusform>Locked sessions waiting: {names}.</numerusform>
        </translation>
    </message>
    <message>
        <source>Connexion en cours…</source>
        <translation>Logging in…</translation>
    </message>
    <message>
        <source>Saisissez votre identifiant et votre mot de passe.</source>
        <translation>Enter your username and your password.</translation>
    </message>
    <message>
        <source>Saisissez le code de vérification.</source>
        <translation>Enter the verification code.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>La clé d&apos;audit doit comporter 64 caractères hexadécimaux (0-9, a-f).</source>
        <translation>The audit key must have 64 hexadecimal characters (0-9, a-f).</translation>
    </message>
    <message>
        <source>Connexion au serveur…</source>
        <translation>Server connection…</translation>
    </message>
    <message>
        <source>Les notes non enregistrées de cette session n&apos;ont pas pu être gardées.</source>
        <translation>The unsaved notes of this session could not be kept.</translation>
    </message>
    <message>
        <source>{name} : {message}</source>
        <translation>{name}: {message}</translation>
    </message>
    <message>
        <source>Session expirée</source>
        <translation>Session expired</translation>
    </message>
    <message>
        <source>Relais</source>
        <translation>Relais</translation>
    </message>
    <message>
        <source>Se déconnecter</source>
        <translation>Log out</translation>
    </message>
    <message>
        <source>Vous avez des notes non enregistrées. Si vous vous déconnectez, elles seront perdues.</source>
        <translation>You have unsaved notes. If you log out, they will be lost.</translation>
    </message>
    <message>
        <source>Se déconnecter sans enregistrer</source>
        <translation>Log out without saving</translation>
    </message>
    <message>
        <source>Revenir aux notes</source>
        <translation>Back to the notes</translation>
    </message>
    <message>
        <source>Des notes non enregistrées sont ouvertes dans une session. Enregistrez-les ou abandonnez-les avant de quitter Relais.</source>
        <translation>Unsaved notes are open in a session. Save or discard them before quitting Relais.</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>Relais</source>
        <translation>Relais</translation>
    </message>
</context>
<context>
    <name>NoShowDialog</name>
    <message>
        <source>Patient absent</source>
        <translation>Patient absent</translation>
    </message>
    <message>
        <source>Noter l&apos;absence</source>
        <translation>Record the absence</translation>
    </message>
    <message>
        <source>L&apos;absence est comptée dans le dossier du patient. Une orientation liée revient à « reçue » pour fixer un autre rendez-vous.</source>
        <translation>The absence is counted in the patient&apos;s file. A linked referral goes back to “received” to book another appointment.</translation>
    </message>
    <message>
        <source>Précision (facultatif)</source>
        <translation>Detail (optional)</translation>
    </message>
    <message>
        <source>&amp;Précision</source>
        <translation>&amp;Detail</translation>
    </message>
</context>
<context>
    <name>NotesModel</name>
    <message>
        <source>Modifiée le {when} par {who}</source>
        <translation>Changed on {when} by {who}</translation>
    </message>
</context>
<context>
    <name>NotesTab</name>
    <message>
        <source>Aucune note pour l&apos;instant.</source>
        <translation>No notes yet.</translation>
    </message>
    <message numerus="yes">
        <source>%n note(s), de la plus récente à la plus ancienne.</source>
        <translation>
            <numerusform>%n note, newest first.</numerusform>
            <numerusform>%n notes, newest first.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Nouvelle note</source>
        <translation>&amp;New note</translation>
    </message>
    <message>
        <source>&amp;Modifier la note</source>
        <translation>&amp;Edit the note</translation>
    </message>
    <message>
        <source>Texte de la note</source>
        <translation>Note text</translation>
    </message>
    <message>
        <source>&amp;Enregistrer la note</source>
        <translation>&amp;Save the note</translation>
    </message>
    <message>
        <source>Abandonner le &amp;brouillon</source>
        <translation>Discard the &amp;draft</translation>
    </message>
    <message>
        <source>Note de {author}, le {when}</source>
        <translation>Note by {author}, on {when}</translation>
    </message>
    <message>
        <source> — modifiée le {when} par {who}</source>
        <translation> — changed on {when} by {who}</translation>
    </message>
    <message>
        <source>Nouvelle note (brouillon non enregistré)</source>
        <translation>New note (unsaved draft)</translation>
    </message>
    <message>
        <source>Modification de la note du {when} (brouillon non enregistré)</source>
        <translation>Change to the note of {when} (unsaved draft)</translation>
    </message>
</context>
<context>
    <name>OrientationGuideDialog</name>
    <message>
        <source>Guide d&apos;orientation</source>
        <translation>Referral guide</translation>
    </message>
    <message>
        <source>Répondez à quelques questions : le guide propose le ou les services adaptés et indique la règle appliquée. Rien n&apos;est enregistré ni envoyé ici.</source>
        <translation>Answer a few questions: the guide suggests the suitable service(s) and shows the rule applied. Nothing is saved or sent here.</translation>
    </message>
    <message>
        <source>&amp;Orienter vers ce service…</source>
        <translation>&amp;Refer to this service…</translation>
    </message>
    <message>
        <source>&amp;Fermer</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>&lt;b&gt;Services &amp;proposés&lt;/b&gt; (du plus urgent au moins urgent)</source>
        <translation>&lt;b&gt;&amp;Proposed services&lt;/b&gt; (most urgent first)</translation>
    </message>
    <message>
        <source> ans</source>
        <translation> years</translation>
    </message>
    <message>
        <source> jours</source>
        <translation> days</translation>
    </message>
    <message>
        <source>pas d&apos;arrêt de travail</source>
        <translation>no sick leave</translation>
    </message>
    <message>
        <source>&amp;Invalidité reconnue</source>
        <translation>Recognised &amp;invalidity</translation>
    </message>
    <message>
        <source>Situation d&apos;&amp;urgence</source>
        <translation>&amp;Emergency situation</translation>
    </message>
    <message>
        <source>Â&amp;ge</source>
        <translation>A&amp;ge</translation>
    </message>
    <message>
        <source>&amp;Activité</source>
        <translation>&amp;Activity</translation>
    </message>
    <message>
        <source>A&amp;rrêt de travail en cours</source>
        <translation>Current sic&amp;k leave</translation>
    </message>
    <message>
        <source>&amp;Dépendance (GIR)</source>
        <translation>&amp;Dependency (GIR)</translation>
    </message>
    <message>
        <source>Non évalué</source>
        <translation>Not assessed</translation>
    </message>
    <message>
        <source>GIR {n}</source>
        <translation>GIR {n}</translation>
    </message>
    <message>
        <source> (très dépendant)</source>
        <translation> (very dependent)</translation>
    </message>
    <message>
        <source> (autonome)</source>
        <translation> (independent)</translation>
    </message>
    <message>
        <source>Situation</source>
        <translation>Situation</translation>
    </message>
    <message>
        <source>Besoins repérés</source>
        <translation>Needs identified</translation>
    </message>
</context>
<context>
    <name>OrientationsDialog</name>
    <message>
        <source>Orientations en cours</source>
        <translation>Referrals in progress</translation>
    </message>
    <message>
        <source>Les orientations qui vous attendent : reçues, retours sur celles que vous avez envoyées, et celles en retard. Double-cliquez (ou Entrée) pour ouvrir le dossier ; sélectionnez-en plusieurs (Maj, Ctrl, Ctrl+A) pour imprimer leurs fiches en une fois.</source>
        <translation>The referrals waiting for you: received, feedback on those you sent, and overdue ones. Double-click (or Enter) to open the file; select several (Shift, Ctrl, Ctrl+A) to print their forms at once.</translation>
    </message>
    <message>
        <source>&amp;Ouvrir dans le dossier</source>
        <translation>&amp;Open in the file</translation>
    </message>
    <message>
        <source>Imprimer les fic&amp;hes…</source>
        <translation>Print the f&amp;orms…</translation>
    </message>
    <message>
        <source>Les fiches d&apos;orientation des lignes sélectionnées, en un seul document</source>
        <translation>The referral forms of the selected rows, in one document</translation>
    </message>
    <message>
        <source>Fiches d&apos;orientation</source>
        <translation>Referral forms</translation>
    </message>
    <message>
        <source>Préparation des fiches d&apos;orientation…</source>
        <translation>Preparing the referral forms…</translation>
    </message>
    <message>
        <source>&amp;Fermer</source>
        <translation>&amp;Close</translation>
    </message>
    <message numerus="yes">
        <source>Imprimer les fic&amp;hes (%n)…</source>
        <translation>
            <numerusform>Print the f&amp;orm (%n)…</numerusform>
            <numerusform>Print the f&amp;orms (%n)…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Fiches d&apos;orientation (%n)</source>
        <translation>
            <numerusform>Referral form (%n)</numerusform>
            <numerusform>Referral forms (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PartnersDialog</name>
    <message>
        <source> (désactivé)</source>
        <translation> (disabled)</translation>
    </message>
    <message>
        <source>tout le secteur</source>
        <translation>the whole area</translation>
    </message>
    <message>
        <source>Oui</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>Annuaire des partenaires</source>
        <translation>Partner directory</translation>
    </message>
    <message>
        <source>Type de partenaire</source>
        <translation>Partner type</translation>
    </message>
    <message>
        <source>Tous les types</source>
        <translation>All types</translation>
    </message>
    <message>
        <source>Commune du patient</source>
        <translation>Patient&apos;s town</translation>
    </message>
    <message>
        <source>Nom, service, contact, ce qu&apos;il prend en charge</source>
        <translation>Name, service, contact, what they take on</translation>
    </message>
    <message>
        <source>Afficher les désactivés</source>
        <translation>Show disabled ones</translation>
    </message>
    <message>
        <source>Nouveau partenaire</source>
        <translation>New partner</translation>
    </message>
    <message>
        <source>Consultation seule : l&apos;annuaire est tenu à jour par le secrétariat, l&apos;assistante sociale et la coordination.</source>
        <translation>Read only: the directory is kept up to date by the secretaries, the social worker and the coordination.</translation>
    </message>
    <message>
        <source>Une commune par ligne ; vide : tout le secteur</source>
        <translation>One town per line; empty: the whole area</translation>
    </message>
    <message>
        <source>Ce que le partenaire prend en charge</source>
        <translation>What the partner takes on</translation>
    </message>
    <message>
        <source>Organisme</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Adresse</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Communes</source>
        <translation>Towns</translation>
    </message>
    <message>
        <source>Prend en charge</source>
        <translation>Takes on</translation>
    </message>
    <message>
        <source>Recharger la version enregistrée</source>
        <translation>Reload the saved version</translation>
    </message>
    <message>
        <source>&amp;Enregistrer</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>&amp;Désactiver</source>
        <translation>&amp;Deactivate</translation>
    </message>
    <message>
        <source>&amp;Ajouter le contact</source>
        <translation>&amp;Add the contact</translation>
    </message>
    <message>
        <source>Désac&amp;tiver le contact</source>
        <translation>Deac&amp;tivate the contact</translation>
    </message>
    <message>
        <source>&amp;Réactiver</source>
        <translation>&amp;Reactivate</translation>
    </message>
    <message>
        <source>Enre&amp;gistrer le contact</source>
        <translation>Sa&amp;ve the contact</translation>
    </message>
    <message>
        <source>Réac&amp;tiver le contact</source>
        <translation>Reac&amp;tivate the contact</translation>
    </message>
    <message>
        <source>Partenaire</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>Assistante sociale</source>
        <translation>Social worker</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Last name</translation>
    </message>
    <message>
        <source>Fonction</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>Nouveau contact</source>
        <translation>New contact</translation>
    </message>
    <message>
        <source>Contacts (assistantes sociales, référents…)</source>
        <translation>Contacts (social workers, referents…)</translation>
    </message>
    <message numerus="yes">
        <source>%n partenaire(s)</source>
        <translation>
            <numerusform>%n partner</numerusform>
            <numerusform>%n partners</numerusform>
        </translation>
    </message>
    <message>
        <source>Version enregistrée : {name} — {service}, tél. {phone}.</source>
        <translation>Saved version: {name} — {service}, tel. {phone}.</translation>
    </message>
</context>
<context>
    <name>PasswordStrength</name>
    <message>
        <source>Solidité du mot de passe</source>
        <translation>Password strength</translation>
    </message>
</context>
<context>
    <name>PatientFileWidget</name>
    <message>
        <source>Le patient n&apos;a pas donné son accord au partage entre médecins et assistante sociale (ou l&apos;a retiré) : vous ne voyez que vos propres notes de liaison, et aucune nouvelle note ne peut être partagée. Recueillez son consentement dans l&apos;onglet « Consentements ».</source>
        <translation>The patient has not agreed to sharing between doctors and the social worker (or has withdrawn it): you only see your own liaison notes, and no new note can be shared. Record their consent in the “Consents” tab.</translation>
    </message>
    <message>
        <source>Dossier archivé — lecture seule. Il n&apos;apparaît plus dans les listes du quotidien ; la coordination peut le désarchiver si le patient revient.</source>
        <translation>Archived file — read only. It no longer appears in everyday lists; the coordination can unarchive it if the patient comes back.</translation>
    </message>
    <message>
        <source>Consentement actuel du patient (détail : onglet « Consentements »)</source>
        <translation>Patient&apos;s current consent (details: “Consents” tab)</translation>
    </message>
    <message>
        <source>Guide d&apos;orientation : le bon service selon la situation, puis l&apos;orientation.</source>
        <translation>Referral guide: the right service for the situation, then the referral.</translation>
    </message>
    <message>
        <source>En cas d&apos;urgence : ouvrir un volet que votre rôle ne donne pas (tracé).</source>
        <translation>In an emergency: open a compartment your role does not give you (logged).</translation>
    </message>
    <message>
        <source>&amp;Orienter…</source>
        <translation>&amp;Refer…</translation>
    </message>
    <message>
        <source>Accès e&amp;xceptionnel…</source>
        <translation>E&amp;xceptional access…</translation>
    </message>
    <message>
        <source>né(e) le {date} ({age})</source>
        <translation>born on {date} ({age})</translation>
    </message>
    <message>
        <source>NIR {nir}</source>
        <translation>NIR {nir}</translation>
    </message>
    <message>
        <source>NIR non renseigné</source>
        <translation>NIR not given</translation>
    </message>
    <message>
        <source>dossier archivé</source>
        <translation>archived file</translation>
    </message>
</context>
<context>
    <name>PatientSearchModel</name>
    <message>
        <source>Nom</source>
        <translation>Last name</translation>
    </message>
    <message>
        <source>Date de naissance</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>Sexe</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>NIR</source>
        <translation>NIR</translation>
    </message>
    <message>
        <source>Ville</source>
        <translation>Town</translation>
    </message>
</context>
<context>
    <name>Pdf</name>
    <message>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Imprimer</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>L&apos;imprimante n&apos;a pas pu être ouverte.</source>
        <translation>The printer could not be opened.</translation>
    </message>
    <message>
        <source>Document PDF (*.pdf)</source>
        <translation>PDF document (*.pdf)</translation>
    </message>
    <message>
        <source>Le fichier n&apos;a pas pu être enregistré ({error}).</source>
        <translation>The file could not be saved ({error}).</translation>
    </message>
</context>
<context>
    <name>PdfButtons</name>
    <message>
        <source>&amp;Imprimer…</source>
        <translation>&amp;Print…</translation>
    </message>
    <message>
        <source>&amp;Enregistrer en PDF…</source>
        <translation>&amp;Save as PDF…</translation>
    </message>
    <message>
        <source>Le document n&apos;a pas pu être préparé pour l&apos;impression.</source>
        <translation>The document could not be prepared for printing.</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>Préparation de l&apos;aperçu…</source>
        <translation>Preparing the preview…</translation>
    </message>
    <message>
        <source>&amp;Fermer</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>L&apos;aperçu n&apos;a pas pu être préparé : enregistrez ou imprimez le document.</source>
        <translation>The preview could not be prepared: save or print the document.</translation>
    </message>
</context>
<context>
    <name>ProgressTask</name>
    <message>
        <source>Annulation en cours…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>&amp;Annuler</source>
        <translation>&amp;Cancel</translation>
    </message>
</context>
<context>
    <name>ProposalsModel</name>
    <message>
        <source>URGENT — </source>
        <translation>URGENT — </translation>
    </message>
</context>
<context>
    <name>RecoveryCodesPage</name>
    <message>
        <source>Vos codes de secours</source>
        <translation>Your backup codes</translation>
    </message>
    <message>
        <source>Si vous perdez votre téléphone, chacun de ces codes remplace une fois le code à 6 chiffres. Ils ne seront plus jamais affichés : imprimez-les ou notez-les, et gardez-les à l&apos;écart de votre téléphone.</source>
        <translation>If you lose your phone, each of these codes replaces the 6-digit code once. They will never be shown again: print them or write them down, and keep them away from your phone.</translation>
    </message>
    <message>
        <source>Codes de secours Relais</source>
        <translation>Relais backup codes</translation>
    </message>
    <message>
        <source>codes-de-secours-relais.pdf</source>
        <translation>relais-backup-codes.pdf</translation>
    </message>
    <message>
        <source>J&apos;ai imprimé ou noté mes codes de secours</source>
        <translation>I have printed or written down my backup codes</translation>
    </message>
    <message>
        <source>Terminer</source>
        <translation>Finish</translation>
    </message>
</context>
<context>
    <name>ReferralDetail</name>
    <message>
        <source>Fixer un rendez-vous…</source>
        <translation>Book an appointment…</translation>
    </message>
    <message>
        <source>&amp;Modifier / envoyer le brouillon…</source>
        <translation>&amp;Edit / send the draft…</translation>
    </message>
    <message>
        <source>Accuser ré&amp;ception</source>
        <translation>A&amp;cknowledge</translation>
    </message>
    <message>
        <source>Patient v&amp;u</source>
        <translation>Patient &amp;seen</translation>
    </message>
    <message>
        <source>C&amp;lôturer…</source>
        <translation>C&amp;lose…</translation>
    </message>
    <message>
        <source>Réorien&amp;ter…</source>
        <translation>Re&amp;direct…</translation>
    </message>
    <message>
        <source>Envoyer un r&amp;etour…</source>
        <translation>S&amp;end feedback…</translation>
    </message>
    <message>
        <source>A&amp;nnuler l&apos;orientation…</source>
        <translation>Ca&amp;ncel the referral…</translation>
    </message>
    <message>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <source> — en retard</source>
        <translation> — overdue</translation>
    </message>
    <message>
        <source>De</source>
        <translation>From</translation>
    </message>
    <message>
        <source>Vers</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Urgence</source>
        <translation>Urgency</translation>
    </message>
    <message>
        <source>Créée le</source>
        <translation>Created on</translation>
    </message>
    <message>
        <source>Envoyée le</source>
        <translation>Sent on</translation>
    </message>
    <message>
        <source>Réorientée vers</source>
        <translation>Re-referred to</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#455a64&apos;&gt;&lt;i&gt;Le motif, le message et le retour de cette orientation ne sont visibles que par son émetteur(trice) et son (sa) destinataire.&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#455a64&apos;&gt;&lt;i&gt;The reason, the message and the feedback of this referral are visible only to its sender and its recipient.&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h4&gt;Motif&lt;/h4&gt;&lt;p&gt;{value}&lt;/p&gt;</source>
        <translation>&lt;h4&gt;Reason&lt;/h4&gt;&lt;p&gt;{value}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#455a64&apos;&gt;Proposée par le guide d&apos;orientation (règle {orientation_rule}).&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#455a64&apos;&gt;Suggested by the referral guide (rule {orientation_rule}).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h4&gt;Message&lt;/h4&gt;&lt;p&gt;{message}&lt;/p&gt;</source>
        <translation>&lt;h4&gt;Message&lt;/h4&gt;&lt;p&gt;{message}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h4&gt;Éléments transmis&lt;/h4&gt;&lt;ul&gt;</source>
        <translation>&lt;h4&gt;Items passed on&lt;/h4&gt;&lt;ul&gt;</translation>
    </message>
    <message>
        <source>&lt;h4&gt;Notes de liaison jointes&lt;/h4&gt;</source>
        <translation>&lt;h4&gt;Attached liaison notes&lt;/h4&gt;</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#e65100&apos;&gt;Retenu (consentement retiré depuis l&apos;envoi) : </source>
        <translation>&lt;p style=&apos;color:#e65100&apos;&gt;Withheld (consent withdrawn since sending): </translation>
    </message>
    <message>
        <source> (règle {orientation_error_rule})</source>
        <translation> (rule {orientation_error_rule})</translation>
    </message>
    <message>
        <source>&lt;h4&gt;Réorientation{rule}&lt;/h4&gt;&lt;p&gt;{reorientation_reason}&lt;/p&gt;</source>
        <translation>&lt;h4&gt;Re-referral{rule}&lt;/h4&gt;&lt;p&gt;{reorientation_reason}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h4&gt;Motif d&apos;annulation&lt;/h4&gt;&lt;p&gt;{cancel_reason}&lt;/p&gt;</source>
        <translation>&lt;h4&gt;Reason for cancelling&lt;/h4&gt;&lt;p&gt;{cancel_reason}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h4&gt;Issue&lt;/h4&gt;&lt;p&gt;{outcome}&lt;/p&gt;</source>
        <translation>&lt;h4&gt;Outcome&lt;/h4&gt;&lt;p&gt;{outcome}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h4&gt;Retour d&apos;orientation&lt;/h4&gt;&lt;p style=&apos;background:#e8f5e9; padding:6px&apos;&gt;{feedback}&lt;/p&gt;</source>
        <translation>&lt;h4&gt;Referral feedback&lt;/h4&gt;&lt;p style=&apos;background:#e8f5e9; padding:6px&apos;&gt;{feedback}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h4&gt;Retour d&apos;orientation&lt;/h4&gt;&lt;p&gt;Orientation « {feedback_summary} » (le texte du retour n&apos;est pas partagé sans l&apos;accord du patient au partage entre médecins et assistante sociale).&lt;/p&gt;</source>
        <translation>&lt;h4&gt;Referral feedback&lt;/h4&gt;&lt;p&gt;Referral “{feedback_summary}” (the text of the feedback is not shared without the patient&apos;s agreement to sharing between doctors and the social worker).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Préparation du document…</source>
        <translation>Preparing the document…</translation>
    </message>
    <message>
        <source>Fiche n° {number} imprimée.</source>
        <translation>Form no. {number} printed.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Étapes&lt;/b&gt; (horodatées)</source>
        <translation>&lt;b&gt;Steps&lt;/b&gt; (time-stamped)</translation>
    </message>
    <message>
        <source>&amp;Imprimer la fiche</source>
        <translation>&amp;Print the form</translation>
    </message>
    <message>
        <source>Imprime la fiche d&apos;orientation sur la dernière imprimante utilisée.</source>
        <translation>Prints the referral form on the last printer used.</translation>
    </message>
    <message>
        <source>&amp;Aperçu de la fiche…</source>
        <translation>Form pre&amp;view…</translation>
    </message>
    <message>
        <source>Imprimer le &amp;retour…</source>
        <translation>Print the feedbac&amp;k…</translation>
    </message>
    <message>
        <source>Choisissez une orientation dans la liste.</source>
        <translation>Choose a referral in the list.</translation>
    </message>
    <message>
        <source>Orientation du {date} — {status}</source>
        <translation>Referral of {date} — {status}</translation>
    </message>
</context>
<context>
    <name>ReferralDetailActions</name>
    <message>
        <source>Choisissez le partenaire.</source>
        <translation>Choose the partner.</translation>
    </message>
</context>
<context>
    <name>ReferralDialog</name>
    <message>
        <source>Le consentement du patient n&apos;a pas pu être lu : aucune note jointe.</source>
        <translation>The patient&apos;s consent could not be read: no note attached.</translation>
    </message>
    <message>
        <source>Notes de liaison : le patient n&apos;a pas donné (ou a retiré) son accord au partage entre médecins et assistante sociale. Recueillez-le dans l&apos;onglet « Consentements » pour pouvoir en joindre.</source>
        <translation>Liaison notes: the patient has not given (or has withdrawn) their agreement to sharing between doctors and the social worker. Record it in the “Consents” tab to be able to attach some.</translation>
    </message>
    <message>
        <source> — proposé par le guide</source>
        <translation> — proposed by the guide</translation>
    </message>
    <message>
        <source>Orienter {name}</source>
        <translation>Refer {name}</translation>
    </message>
    <message>
        <source>Assistante sociale de la maison de santé</source>
        <translation>The clinic&apos;s social worker</translation>
    </message>
    <message>
        <source>Ce que le destinataire doit savoir pour agir, et rien de plus.</source>
        <translation>What the recipient needs to know to act, and nothing more.</translation>
    </message>
    <message>
        <source>{date} — {author} : {text}</source>
        <translation>{date} — {author}: {text}</translation>
    </message>
    <message>
        <source>Aucune note de liaison lisible dans ce dossier.</source>
        <translation>No readable liaison note in this file.</translation>
    </message>
    <message>
        <source>Éléments du dossier à transmettre</source>
        <translation>Items of the file to pass on</translation>
    </message>
    <message>
        <source>Orienter &amp;vers</source>
        <translation>Refer &amp;to</translation>
    </message>
    <message>
        <source>&amp;Destinataire</source>
        <translation>Reci&amp;pient</translation>
    </message>
    <message>
        <source>C&amp;ontact</source>
        <translation>C&amp;ontact</translation>
    </message>
    <message>
        <source>&amp;Motif</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <source>&amp;Urgence</source>
        <translation>&amp;Urgency</translation>
    </message>
    <message>
        <source>Me&amp;ssage</source>
        <translation>&amp;Message</translation>
    </message>
    <message>
        <source>L&apos;identité du patient et le motif accompagnent toujours l&apos;orientation. Cochés d&apos;après le motif : gardez seulement ce qui est &lt;b&gt;strictement nécessaire&lt;/b&gt;.</source>
        <translation>The patient&apos;s identity and the reason always go with the referral. Ticked from the reason: keep only what is &lt;b&gt;strictly necessary&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>&amp;Notes de liaison à joindre (une par une) :</source>
        <translation>Liaison &amp;notes to attach (one by one):</translation>
    </message>
    <message>
        <source>&amp;Envoyer — le patient est d&apos;accord</source>
        <translation>&amp;Send — the patient agrees</translation>
    </message>
    <message>
        <source>Envoie l&apos;orientation et note l&apos;accord (oral) du patient à être orienté dans l&apos;historique de ses consentements.</source>
        <translation>Sends the referral and records the patient&apos;s (oral) agreement to be referred in their consent history.</translation>
    </message>
    <message>
        <source>Enregistrer le &amp;brouillon</source>
        <translation>Save as &amp;draft</translation>
    </message>
    <message>
        <source>Le patient &amp;refuse…</source>
        <translation>The patient re&amp;fuses…</translation>
    </message>
    <message>
        <source>&amp;Fermer</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>Aucun compte d&apos;assistante sociale actif dans la maison de santé.</source>
        <translation>No active social worker account in the clinic.</translation>
    </message>
    <message>
        <source>le service (pas de contact nommé)</source>
        <translation>the service (no named contact)</translation>
    </message>
    <message>
        <source>Aucun partenaire « {service} » dans l&apos;annuaire : ajoutez-le dans l&apos;annuaire des partenaires, ou choisissez un autre destinataire.</source>
        <translation>No “{service}” partner in the directory: add it to the partner directory, or choose another recipient.</translation>
    </message>
    <message>
        <source>Proposé par le guide d&apos;orientation (règle {code}) : {reason}</source>
        <translation>Suggested by the referral guide (rule {code}): {reason}</translation>
    </message>
    <message>
        <source>Choisissez le destinataire de l&apos;orientation.</source>
        <translation>Choose the recipient of the referral.</translation>
    </message>
    <message>
        <source>Choisissez le motif de l&apos;orientation.</source>
        <translation>Choose the reason for the referral.</translation>
    </message>
</context>
<context>
    <name>ReferralFormSteps</name>
    <message>
        <source>Refus du patient</source>
        <translation>Patient&apos;s refusal</translation>
    </message>
    <message>
        <source>Le patient refuse d&apos;être orienté ?</source>
        <translation>The patient refuses to be referred?</translation>
    </message>
    <message>
        <source>L&apos;orientation est close comme refusée par le patient (le refus est enregistré et compté).</source>
        <translation>The referral is closed as refused by the patient (the refusal is recorded and counted).</translation>
    </message>
    <message>
        <source>&amp;Oui, le patient refuse</source>
        <translation>&amp;Yes, the patient refuses</translation>
    </message>
    <message>
        <source>&amp;Annuler</source>
        <translation>&amp;Cancel</translation>
    </message>
</context>
<context>
    <name>ReferralsModel</name>
    <message>
        <source> — en retard</source>
        <translation> — overdue</translation>
    </message>
    <message>
        <source>Nouveau pour vous (non lu)</source>
        <translation>New for you (unread)</translation>
    </message>
</context>
<context>
    <name>ReferralsTab</name>
    <message>
        <source>Orienter avec le &amp;guide…</source>
        <translation>Refer with the &amp;guide…</translation>
    </message>
    <message>
        <source>Nouvelle &amp;orientation…</source>
        <translation>New &amp;referral…</translation>
    </message>
    <message numerus="yes">
        <source>%n orientation(s), la plus récente en haut.</source>
        <translation>
            <numerusform>%n referral, newest at the top.</numerusform>
            <numerusform>%n referrals, newest at the top.</numerusform>
        </translation>
    </message>
    <message>
        <source>Aucune orientation pour ce patient.</source>
        <translation>No referrals for this patient.</translation>
    </message>
</context>
<context>
    <name>ReorientDialog</name>
    <message>
        <source>Réorienter</source>
        <translation>Re-refer</translation>
    </message>
    <message>
        <source>&amp;Réorienter</source>
        <translation>&amp;Re-refer</translation>
    </message>
    <message>
        <source>La réorientation est comptée comme une &lt;b&gt;erreur d&apos;orientation&lt;/b&gt; : indiquez le service adapté et la règle du guide qui aurait dû s&apos;appliquer.</source>
        <translation>Re-referring counts as a &lt;b&gt;referral error&lt;/b&gt;: give the suitable service and the guide&apos;s rule that should have applied.</translation>
    </message>
    <message>
        <source>— choisir —</source>
        <translation>— choose —</translation>
    </message>
    <message>
        <source>— aucune règle en particulier —</source>
        <translation>— no rule in particular —</translation>
    </message>
    <message>
        <source>Pourquoi ce service est plus adapté.</source>
        <translation>Why this service is more suitable.</translation>
    </message>
    <message>
        <source>&amp;Vers</source>
        <translation>&amp;To</translation>
    </message>
    <message>
        <source>Règle du &amp;guide</source>
        <translation>&amp;Guide rule</translation>
    </message>
    <message>
        <source>&amp;Motif</source>
        <translation>&amp;Reason</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>Réinitialiser le mot de passe</source>
        <translation>Reset the password</translation>
    </message>
    <message>
        <source>Mot de passe provisoire pour {name} ({username}) ; il devra en choisir un nouveau à sa prochaine connexion :</source>
        <translation>Temporary password for {name} ({username}); they will have to choose a new one at their next login:</translation>
    </message>
    <message>
        <source>Générer</source>
        <translation>Generate</translation>
    </message>
    <message>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Réinitialiser</source>
        <translation>Reset</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>RetentionModel</name>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Né(e) le</source>
        <translation>Born on</translation>
    </message>
    <message>
        <source>Ville</source>
        <translation>Town</translation>
    </message>
    <message>
        <source>Dernière activité</source>
        <translation>Last activity</translation>
    </message>
    <message>
        <source>Archivé le</source>
        <translation>Archived on</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Rechercher un patient : nom, prénom, date de naissance (jj/mm/aaaa) ou NIR</source>
        <translation>Search for a patient: last name, first name, date of birth (dd/mm/yyyy) or NIR</translation>
    </message>
    <message>
        <source>Nouveau patient</source>
        <translation>New patient</translation>
    </message>
    <message>
        <source>&lt;b&gt;Patients récents&lt;/b&gt;</source>
        <translation>&lt;b&gt;Recent patients&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Patients récents</source>
        <translation>Recent patients</translation>
    </message>
    <message>
        <source>Les derniers dossiers que vous avez ouverts</source>
        <translation>The last files you opened</translation>
    </message>
    <message>
        <source>{name} — {date}</source>
        <translation>{name} — {date}</translation>
    </message>
    <message>
        <source>Tapez les premières lettres du nom et/ou du prénom (« dupre jean »), une date de naissance ou un NIR.</source>
        <translation>Type the first letters of the last and/or first name (“dupre jean”), a date of birth or a NIR.</translation>
    </message>
    <message>
        <source>Aucun patient ne correspond à « {query} ».</source>
        <translation>No patient matches “{query}”.</translation>
    </message>
    <message>
        <source>{n} premiers patients (faites défiler pour la suite)</source>
        <translation>First {n} patients (scroll for more)</translation>
    </message>
    <message>
        <source>1 patient</source>
        <translation>1 patient</translation>
    </message>
    <message numerus="yes">
        <source>%n patient(s)</source>
        <translation>
            <numerusform>%n patient</numerusform>
            <numerusform>%n patients</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SecondFactorStatusDialog</name>
    <message>
        <source>Double authentification</source>
        <translation>Two-factor authentication</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>La double authentification est &lt;b&gt;activée&lt;/b&gt; pour votre compte. Codes de secours encore utilisables : {n}.&lt;br&gt;Vous pouvez enregistrer un nouveau téléphone : l&apos;ancien et les anciens codes de secours ne fonctionneront plus.</source>
        <translation>Two-factor authentication is &lt;b&gt;on&lt;/b&gt; for your account. Backup codes still usable: {n}.&lt;br&gt;You can register a new phone: the old one and the old backup codes will stop working.</translation>
    </message>
    <message>
        <source>Changer de téléphone…</source>
        <translation>Change phone…</translation>
    </message>
    <message>
        <source>La double authentification n&apos;est &lt;b&gt;pas activée&lt;/b&gt;. Activez-la : en plus du mot de passe, Relais demandera le code à 6 chiffres de votre téléphone.</source>
        <translation>Two-factor authentication is &lt;b&gt;off&lt;/b&gt;. Turn it on: besides the password, Relais will ask for the 6-digit code from your phone.</translation>
    </message>
    <message>
        <source>Activer…</source>
        <translation>Turn on…</translation>
    </message>
</context>
<context>
    <name>SessionFormDialog</name>
    <message>
        <source>Modifier la permanence</source>
        <translation>Edit the session</translation>
    </message>
    <message>
        <source>Nouvelle permanence</source>
        <translation>New session</translation>
    </message>
    <message>
        <source>&amp;Enregistrer</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>ex. : Permanence CARSAT</source>
        <translation>e.g. CARSAT session</translation>
    </message>
    <message>
        <source>ex. : MSP des Tilleuls, 12 rue des Tilleuls</source>
        <translation>e.g. MSP des Tilleuls, 12 rue des Tilleuls</translation>
    </message>
    <message>
        <source>ex. : salle 2</source>
        <translation>e.g. room 2</translation>
    </message>
    <message>
        <source>&amp;Professionnel</source>
        <translation>&amp;Professional</translation>
    </message>
    <message>
        <source>&amp;Intitulé</source>
        <translation>T&amp;itle</translation>
    </message>
    <message>
        <source>une semaine sur </source>
        <translation>one week in </translation>
    </message>
    <message>
        <source>chaque semaine</source>
        <translation>every week</translation>
    </message>
    <message>
        <source>Heure de fin</source>
        <translation>End time</translation>
    </message>
    <message>
        <source>de</source>
        <translation>from</translation>
    </message>
    <message>
        <source>à</source>
        <translation>to</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>&amp;Jour</source>
        <translation>&amp;Day</translation>
    </message>
    <message>
        <source>Pé&amp;riodicité</source>
        <translation>&amp;Recurrence</translation>
    </message>
    <message>
        <source>&amp;Horaires</source>
        <translation>&amp;Hours</translation>
    </message>
    <message>
        <source>&amp;Durée d&apos;un créneau</source>
        <translation>S&amp;lot length</translation>
    </message>
    <message>
        <source>&amp;Lieu</source>
        <translation>Pl&amp;ace</translation>
    </message>
    <message>
        <source>&amp;Salle</source>
        <translation>R&amp;oom</translation>
    </message>
    <message>
        <source>Pre&amp;mière date</source>
        <translation>&amp;First date</translation>
    </message>
    <message>
        <source>Dernière da&amp;te</source>
        <translation>Las&amp;t date</translation>
    </message>
    <message>
        <source>jusqu&apos;au</source>
        <translation>until</translation>
    </message>
    <message>
        <source>Dernière date</source>
        <translation>Last date</translation>
    </message>
    <message>
        <source>Choisissez le professionnel.</source>
        <translation>Choose the professional.</translation>
    </message>
</context>
<context>
    <name>SessionsDialog</name>
    <message>
        <source>Permanences</source>
        <translation>Sessions</translation>
    </message>
    <message>
        <source>Afficher les permanences a&amp;rrêtées</source>
        <translation>Show s&amp;topped sessions</translation>
    </message>
    <message>
        <source>Les permanences reviennent chaque semaine ou une semaine sur N ; les jours fériés sont sautés d&apos;office. Annulez ou ajoutez une date ponctuellement.</source>
        <translation>Sessions repeat every week or one week in N; public holidays are skipped automatically. Cancel or add a date as a one-off.</translation>
    </message>
    <message>
        <source>Les permanences de la maison de santé (lecture seule).</source>
        <translation>The clinic&apos;s sessions (read only).</translation>
    </message>
    <message>
        <source>Dates annulées ou a&amp;joutées</source>
        <translation>Dates cancelled or add&amp;ed</translation>
    </message>
    <message>
        <source>Rétablir / retirer la &amp;date</source>
        <translation>Restore / remove the &amp;date</translation>
    </message>
    <message>
        <source>&amp;Nouvelle permanence…</source>
        <translation>&amp;New session…</translation>
    </message>
    <message>
        <source>&amp;Modifier…</source>
        <translation>&amp;Edit…</translation>
    </message>
    <message>
        <source>&amp;Annuler une date…</source>
        <translation>&amp;Cancel a date…</translation>
    </message>
    <message>
        <source>A&amp;jouter une date…</source>
        <translation>&amp;Add a date…</translation>
    </message>
    <message>
        <source>A&amp;rrêter la permanence…</source>
        <translation>&amp;Stop the session…</translation>
    </message>
    <message>
        <source>&amp;Fermer</source>
        <translation>C&amp;lose</translation>
    </message>
    <message numerus="yes">
        <source>%n rendez-vous est/sont pris ce jour-là : cochez la case pour le(s) annuler aussi (à prévenir), ou choisissez une autre date.</source>
        <translation>
            <numerusform>An appointment is booked that day: tick the box to cancel it too (the patient must be told), or choose another date.</numerusform>
            <numerusform>%n appointments are booked that day: tick the box to cancel them too (the patients must be told), or choose another date.</numerusform>
        </translation>
    </message>
    <message>
        <source>annulée</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>ajoutée</source>
        <translation>added</translation>
    </message>
    <message>
        <source>Arrêter la permanence</source>
        <translation>Stop the session</translation>
    </message>
    <message>
        <source>Arrêter « {summary} » ? Plus aucun créneau ne sera proposé. Les rendez-vous à venir doivent d&apos;abord être annulés ou déplacés.</source>
        <translation>Stop “{summary}”? No more slots will be offered. Upcoming appointments must first be cancelled or moved.</translation>
    </message>
    <message>
        <source>Arrêter</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Garder</source>
        <translation>Keep</translation>
    </message>
</context>
<context>
    <name>SessionsModel</name>
    <message>
        <source>sans fin</source>
        <translation>no end</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>Arrêtée</source>
        <translation>Stopped</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Paramètres de la maison de santé</source>
        <translation>Clinic settings</translation>
    </message>
    <message>
        <source>&amp;Enregistrer</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>Maison de santé</source>
        <translation>Health centre</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Last name</translation>
    </message>
    <message>
        <source>Adresse</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>N° FINESS</source>
        <translation>FINESS no.</translation>
    </message>
    <message>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Verrouillage après</source>
        <translation>Lock after</translation>
    </message>
    <message>
        <source>Dossier des sauvegardes</source>
        <translation>Backup folder</translation>
    </message>
    <message>
        <source>Quelqu&apos;un d&apos;autre vient de modifier les paramètres. Vos valeurs sont gardées : enregistrez à nouveau pour les appliquer, ou annulez.</source>
        <translation>Someone else has just changed the settings. Your values are kept: save again to apply them, or cancel.</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <source>Installation de Relais</source>
        <translation>Relais installation</translation>
    </message>
    <message>
        <source>Les deux mots de passe ne sont pas identiques.</source>
        <translation>The two passwords are not the same.</translation>
    </message>
    <message>
        <source>Installation de Relais — clé de secours</source>
        <translation>Relais installation — recovery key</translation>
    </message>
</context>
<context>
    <name>ShellActions</name>
    <message>
        <source>&amp;Fichier</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Patient</source>
        <translation>&amp;Patient</translation>
    </message>
    <message>
        <source>Orientation&amp;s</source>
        <translation>Referral&amp;s</translation>
    </message>
    <message>
        <source>Ag&amp;enda</source>
        <translation>Ag&amp;enda</translation>
    </message>
    <message>
        <source>Coordina&amp;tion</source>
        <translation>Coordina&amp;tion</translation>
    </message>
    <message>
        <source>Ai&amp;de</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;Rechercher un patient</source>
        <translation>&amp;Search for a patient</translation>
    </message>
    <message>
        <source>&amp;Verrouiller</source>
        <translation>&amp;Lock</translation>
    </message>
    <message>
        <source>&amp;Changer d&apos;utilisateur</source>
        <translation>Switch &amp;user</translation>
    </message>
    <message>
        <source>Se &amp;déconnecter</source>
        <translation>Log &amp;out</translation>
    </message>
    <message>
        <source>&amp;Quitter</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Nouveau patient…</source>
        <translation>&amp;New patient…</translation>
    </message>
    <message>
        <source>Nouvelle &amp;note</source>
        <translation>New n&amp;ote</translation>
    </message>
    <message>
        <source>&amp;Imprimer la fiche d&apos;orientation</source>
        <translation>&amp;Print the referral form</translation>
    </message>
    <message>
        <source>&amp;Fermer le dossier</source>
        <translation>&amp;Close the file</translation>
    </message>
    <message>
        <source>&amp;Orienter…</source>
        <translation>&amp;Refer…</translation>
    </message>
    <message>
        <source>Orientations en &amp;attente…</source>
        <translation>&amp;Waiting referrals…</translation>
    </message>
    <message>
        <source>Ouvrir l&apos;&amp;agenda</source>
        <translation>&amp;Open the agenda</translation>
    </message>
    <message>
        <source>&amp;Fixer un rendez-vous…</source>
        <translation>&amp;Book an appointment…</translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation>&amp;Messages</translation>
    </message>
    <message>
        <source>A&amp;nnuaire des partenaires</source>
        <translation>&amp;Partners directory</translation>
    </message>
    <message>
        <source>&amp;Statistiques</source>
        <translation>&amp;Statistics</translation>
    </message>
    <message>
        <source>&amp;Journal d&apos;audit…</source>
        <translation>Audit &amp;log…</translation>
    </message>
    <message>
        <source>A&amp;rchivage des dossiers…</source>
        <translation>&amp;Archiving files…</translation>
    </message>
    <message>
        <source>Sa&amp;uvegarder maintenant</source>
        <translation>&amp;Back up now</translation>
    </message>
    <message>
        <source>&amp;Comptes…</source>
        <translation>Acc&amp;ounts…</translation>
    </message>
    <message>
        <source>&amp;Paramètres…</source>
        <translation>S&amp;ettings…</translation>
    </message>
    <message>
        <source>&amp;Raccourcis clavier…</source>
        <translation>&amp;Keyboard shortcuts…</translation>
    </message>
    <message>
        <source>À &amp;propos de Relais…</source>
        <translation>&amp;About Relais…</translation>
    </message>
</context>
<context>
    <name>ShellCommands</name>
    <message>
        <source>Ouvrez d&apos;abord le dossier d&apos;un patient où vous pouvez écrire une note.</source>
        <translation>First open the file of a patient in which you may write a note.</translation>
    </message>
    <message>
        <source>Ouvrez d&apos;abord le dossier du patient à orienter.</source>
        <translation>First open the file of the patient to refer.</translation>
    </message>
    <message>
        <source>Rien à imprimer ici : ouvrez un dossier et choisissez une orientation dans l&apos;onglet « Orientations ».</source>
        <translation>Nothing to print here: open a file and choose a referral in the “Referrals” tab.</translation>
    </message>
    <message>
        <source>Choisissez d&apos;abord une orientation à planifier dans le dossier du patient.</source>
        <translation>First choose a referral to schedule in the patient&apos;s file.</translation>
    </message>
    <message>
        <source>Aucune orientation n&apos;attend de rendez-vous.</source>
        <translation>No referral is waiting for an appointment.</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Raccourcis clavier</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Ces raccourcis marchent dans la fenêtre principale. Dans les menus et les boutons, la lettre soulignée s&apos;obtient avec Alt.</source>
        <translation>These shortcuts work in the main window. In menus and on buttons, Alt with the underlined letter does the same.</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Menu</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Touches</source>
        <translation>Keys</translation>
    </message>
</context>
<context>
    <name>SlotPickerDialog</name>
    <message>
        <source>Fixer un rendez-vous — {name}</source>
        <translation>Book an appointment — {name}</translation>
    </message>
    <message>
        <source>Créneau libre</source>
        <translation>Free slot</translation>
    </message>
    <message>
        <source>Lieu</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>Aucun créneau ne convient : le patient sera proposé au prochain créneau libéré.</source>
        <translation>No slot suits: the patient will be offered the next freed slot.</translation>
    </message>
    <message>
        <source>Aucune permanence n&apos;est définie.</source>
        <translation>No session is defined.</translation>
    </message>
    <message numerus="yes">
        <source> — %n créneau(x) libre(s)</source>
        <translation>
            <numerusform> — %n free slot</numerusform>
            <numerusform> — %n free slots</numerusform>
        </translation>
    </message>
    <message>
        <source>Aucun créneau libre dans les six semaines à venir. Mettez le patient en liste d&apos;attente : il sera proposé au prochain créneau libéré.</source>
        <translation>No free slot in the next six weeks. Put the patient on the waiting list: they will be offered the next freed slot.</translation>
    </message>
    <message>
        <source>Rendez-vous pour &lt;b&gt;{name}&lt;/b&gt;. Choisissez un créneau libre (flèches, double-clic) puis Entrée.</source>
        <translation>Appointment for &lt;b&gt;{name}&lt;/b&gt;. Choose a free slot (arrow keys, double-click), then Return.</translation>
    </message>
    <message>
        <source>A&amp;vec</source>
        <translation>&amp;With</translation>
    </message>
    <message>
        <source>À &amp;partir du</source>
        <translation>&amp;From</translation>
    </message>
    <message>
        <source>Créneaux libres</source>
        <translation>Free slots</translation>
    </message>
    <message>
        <source>Mettre en &amp;liste d&apos;attente…</source>
        <translation>Put on the waiting &amp;list…</translation>
    </message>
    <message>
        <source>Choisissez un créneau libre.</source>
        <translation>Choose a free slot.</translation>
    </message>
</context>
<context>
    <name>SlowWork</name>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SocialFollowUpTab</name>
    <message>
        <source>Démarrer la &amp;consultation…</source>
        <translation>Start the &amp;consultation…</translation>
    </message>
    <message>
        <source>Réservé à l&apos;assistante sociale : rien de cet onglet n&apos;est visible des autres professionnels.</source>
        <translation>Reserved for the social worker: nothing in this tab is visible to the other professionals.</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>Création des données de démonstration (patients fictifs)…</source>
        <translation>Creating the demo data (fictitious patients)…</translation>
    </message>
    <message>
        <source>Relais — démonstration</source>
        <translation>Relais — demo</translation>
    </message>
    <message>
        <source>Création des données de démonstration : {done} / {total} patients…</source>
        <translation>Creating the demo data: {done} / {total} patients…</translation>
    </message>
    <message>
        <source>Les données de démonstration n&apos;ont pas pu être créées :
{error}</source>
        <translation>The demo data could not be created:
{error}</translation>
    </message>
</context>
<context>
    <name>StatisticsCharts</name>
    <message>
        <source>Orientations par mois, par issue</source>
        <translation>Referrals by month, by outcome</translation>
    </message>
    <message>
        <source>Issue des orientations</source>
        <translation>Referral outcomes</translation>
    </message>
    <message>
        <source>Délai envoi → patient reçu (jours)</source>
        <translation>Time from sending to patient seen (days)</translation>
    </message>
    <message>
        <source>Réorientations, par service</source>
        <translation>Redirections, by service</translation>
    </message>
</context>
<context>
    <name>StatisticsDashboard</name>
    <message>
        <source>&amp;Exporter les tableaux (CSV)…</source>
        <translation>&amp;Export the tables (CSV)…</translation>
    </message>
    <message>
        <source>&amp;Rapport d&apos;activité (PDF)…</source>
        <translation>&amp;Activity report (PDF)…</translation>
    </message>
    <message>
        <source>&amp;Annuler</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>Calcul des statistiques…</source>
        <translation>Computing the statistics…</translation>
    </message>
    <message>
        <source>Annulation…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>Calcul annulé : les chiffres affichés sont les précédents.</source>
        <translation>Computation cancelled: the figures shown are the previous ones.</translation>
    </message>
    <message>
        <source>Les statistiques n&apos;ont pas pu être calculées.</source>
        <translation>The statistics could not be computed.</translation>
    </message>
    <message>
        <source>{scope}, {period} — {category}</source>
        <translation>{scope}, {period} — {category}</translation>
    </message>
    <message>
        <source>Dossier des tableaux CSV</source>
        <translation>Folder for the CSV tables</translation>
    </message>
    <message>
        <source>{n} tableaux enregistrés dans {folder}</source>
        <translation>{n} tables saved in {folder}</translation>
    </message>
    <message>
        <source>Rapport d&apos;activité</source>
        <translation>Activity report</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Rapport d&apos;activité enregistré : {path}</source>
        <translation>Activity report saved: {path}</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <source>&amp;Annuler</source>
        <translation>&amp;Cancel</translation>
    </message>
</context>
<context>
    <name>ToScheduleModel</name>
    <message>
        <source>Normale</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>⚠ Urgente</source>
        <translation>⚠ Urgent</translation>
    </message>
    <message>
        <source>⚠⚠ Situation d&apos;urgence</source>
        <translation>⚠⚠ Emergency</translation>
    </message>
    <message>
        <source> — en retard</source>
        <translation> — overdue</translation>
    </message>
</context>
<context>
    <name>WaitingAddDialog</name>
    <message>
        <source>Inscrire en liste d&apos;attente</source>
        <translation>Put on the waiting list</translation>
    </message>
    <message>
        <source>&amp;Inscrire</source>
        <translation>E&amp;nrol</translation>
    </message>
    <message>
        <source>&amp;Patient</source>
        <translation>&amp;Patient</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>ex. : le mardi matin, pas avant 10 h</source>
        <translation>e.g. Tuesday mornings, not before 10 am</translation>
    </message>
    <message>
        <source>A&amp;vec</source>
        <translation>&amp;With</translation>
    </message>
    <message>
        <source>&amp;Urgence</source>
        <translation>&amp;Urgency</translation>
    </message>
    <message>
        <source>&amp;Disponibilités</source>
        <translation>&amp;Availability</translation>
    </message>
    <message>
        <source>Cherchez puis choisissez le patient.</source>
        <translation>Search for, then choose the patient.</translation>
    </message>
    <message>
        <source>Choisissez le professionnel.</source>
        <translation>Choose the professional.</translation>
    </message>
</context>
<context>
    <name>WaitingModel</name>
    <message>
        <source>⚠ Urgente</source>
        <translation>⚠ Urgent</translation>
    </message>
</context>
<context>
    <name>WeekModel</name>
    <message>
        <source>Libre</source>
        <translation>Free</translation>
    </message>
    <message>
        <source>Motif : {reason}</source>
        <translation>Reason: {reason}</translation>
    </message>
</context>
<context>
    <name>Weekdays</name>
    <message>
        <source>lun.</source>
        <translation>Mon</translation>
    </message>
    <message>
        <source>mar.</source>
        <translation>Tue</translation>
    </message>
    <message>
        <source>mer.</source>
        <translation>Wed</translation>
    </message>
    <message>
        <source>jeu.</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>ven.</source>
        <translation>Fri</translation>
    </message>
    <message>
        <source>sam.</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>dim.</source>
        <translation>Sun</translation>
    </message>
    <message>
        <source>lundi</source>
        <translation>Monday</translation>
    </message>
    <message>
        <source>mardi</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <source>mercredi</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <source>jeudi</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <source>vendredi</source>
        <translation>Friday</translation>
    </message>
    <message>
        <source>samedi</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <source>dimanche</source>
        <translation>Sunday</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>{name} — {role}</source>
        <translation>{name} — {role}</translation>
    </message>
    <message>
        <source>Tableau de bord d&apos;activité et rapport annuel (chiffres sans noms)</source>
        <translation>Activity dashboard and annual report (figures without names)</translation>
    </message>
    <message>
        <source>Verrouiller</source>
        <translation>Lock</translation>
    </message>
    <message>
        <source>Masquer l&apos;écran ; votre travail en cours est gardé.</source>
        <translation>Hide the screen; your work in progress is kept.</translation>
    </message>
    <message>
        <source>Changer d&apos;utilisateur</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>Se déconnecter</source>
        <translation>Log out</translation>
    </message>
    <message>
        <source>Vos messages : accès exceptionnels, orientations…</source>
        <translation>Your messages: exceptional access, referrals…</translation>
    </message>
    <message>
        <source>Orientations</source>
        <translation>Referrals</translation>
    </message>
    <message>
        <source>Les orientations qui vous attendent, et les retours sur les vôtres.</source>
        <translation>The referrals waiting for you, and the feedback on yours.</translation>
    </message>
    <message>
        <source>Agenda</source>
        <translation>Agenda</translation>
    </message>
    <message>
        <source>Permanences et rendez-vous : jour, semaine, appels de la veille</source>
        <translation>Sessions and appointments: day, week, calls for tomorrow</translation>
    </message>
    <message>
        <source>Statistiques</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>Annuaire</source>
        <translation>Directory</translation>
    </message>
    <message>
        <source>Annuaire des partenaires</source>
        <translation>Partner directory</translation>
    </message>
    <message>
        <source>Mon compte</source>
        <translation>My account</translation>
    </message>
    <message>
        <source>Changer le mot de passe…</source>
        <translation>Change the password…</translation>
    </message>
    <message>
        <source>Double authentification…</source>
        <translation>Two-factor authentication…</translation>
    </message>
    <message>
        <source>Langue de l&apos;interface…</source>
        <translation>Interface language…</translation>
    </message>
    <message>
        <source>À propos de Relais…</source>
        <translation>About Relais…</translation>
    </message>
    <message>
        <source>Coordination</source>
        <translation>Coordination</translation>
    </message>
    <message>
        <source>Journal d&apos;audit…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <source>Archivage des dossiers…</source>
        <translation>Archiving files…</translation>
    </message>
    <message>
        <source>Sauvegarder maintenant</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <source>Comptes</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <source>Paramètres</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Recherche</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>Messages ({n})</source>
        <translation>Messages ({n})</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <source>Ce dossier contient une note non enregistrée. Enregistrez-la ou abandonnez le brouillon avant de fermer le dossier.</source>
        <translation>This file contains an unsaved note. Save it or discard the draft before closing the file.</translation>
    </message>
</context>
<context>
    <name>_Plurals</name>
    <message numerus="yes">
        <source>%n an(s)</source>
        <translation>
            <numerusform>%n year</numerusform>
            <numerusform>%n years</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mois</source>
        <translation>
            <numerusform>%n month</numerusform>
            <numerusform>%n months</numerusform>
        </translation>
    </message>
</context>
</TS>
