<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="fr_FR">
<context>
    <name>ActionPlanWidget</name>
    <message numerus="yes">
        <source>%n démarche(s) en cours</source>
        <translation>
            <numerusform>%n démarche en cours</numerusform>
            <numerusform>%n démarches en cours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, dont %n en retard</source>
        <translation>
            <numerusform>, dont %n en retard</numerusform>
            <numerusform>, dont %n en retard</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AgendaWidget</name>
    <message numerus="yes">
        <source>{day} — %n créneau(x), {free}</source>
        <translation>
            <numerusform>{day} — %n créneau, {free}</numerusform>
            <numerusform>{day} — %n créneaux, {free}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n libre(s)</source>
        <translation>
            <numerusform>%n libre</numerusform>
            <numerusform>%n libres</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AppointmentDialog</name>
    <message numerus="yes">
        <source>Créneau libéré. %n patient(s) en liste d&apos;attente pourrai(en)t le prendre :</source>
        <translation>
            <numerusform>Créneau libéré. %n patient en liste d&apos;attente pourrait le prendre :</numerusform>
            <numerusform>Créneau libéré. %n patients en liste d&apos;attente pourraient le prendre :</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AppointmentsTab</name>
    <message numerus="yes">
        <source>%n rendez-vous, dont {coming} à venir.</source>
        <translation>
            <numerusform>%n rendez-vous, dont {coming} à venir.</numerusform>
            <numerusform>%n rendez-vous, dont {coming} à venir.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ArchiveDialog</name>
    <message numerus="yes">
        <source>%n dossier(s) sans aucune activité depuis la durée de conservation réglée dans les paramètres. Sélectionnez ceux à archiver.</source>
        <translation>
            <numerusform>%n dossier sans aucune activité depuis la durée de conservation réglée dans les paramètres. Sélectionnez-le pour l&apos;archiver.</numerusform>
            <numerusform>%n dossiers sans aucune activité depuis la durée de conservation réglée dans les paramètres. Sélectionnez ceux à archiver.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n dossier(s) archivé(s).</source>
        <translation>
            <numerusform>%n dossier archivé.</numerusform>
            <numerusform>%n dossiers archivés.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AssessmentHistory</name>
    <message numerus="yes">
        <source>%n version(s), de la plus récente à la plus ancienne.</source>
        <translation>
            <numerusform>%n version, de la plus récente à la plus ancienne.</numerusform>
            <numerusform>%n versions, de la plus récente à la plus ancienne.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message numerus="yes">
        <source>%n entrée(s), les plus récentes d&apos;abord.</source>
        <translation>
            <numerusform>%n entrée, les plus récentes d&apos;abord.</numerusform>
            <numerusform>%n entrées, les plus récentes d&apos;abord.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CallListDialog</name>
    <message numerus="yes">
        <source>{day} : %n rendez-vous, {left}</source>
        <translation>
            <numerusform>{day} : %n rendez-vous, {left}</numerusform>
            <numerusform>{day} : %n rendez-vous, {left}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n patient(s) à appeler</source>
        <translation>
            <numerusform>%n patient à appeler</numerusform>
            <numerusform>%n patients à appeler</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConsultationScreen</name>
    <message numerus="yes">
        <source>%n absence(s) non excusée(s)</source>
        <translation>
            <numerusform>%n absence non excusée</numerusform>
            <numerusform>%n absences non excusées</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message numerus="yes">
        <source>%n autre(s) erreur(s) depuis ; le rapport les contient toutes.</source>
        <translation>
            <numerusform>%n autre erreur depuis ; le rapport les contient toutes.</numerusform>
            <numerusform>%n autres erreurs depuis ; le rapport les contient toutes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DayDialog</name>
    <message numerus="yes">
        <source>Annuler aussi le(s) %n rendez-vous de ce jour (les patients seront à prévenir)</source>
        <translation>
            <numerusform>Annuler aussi le rendez-vous de ce jour (le patient sera à prévenir)</numerusform>
            <numerusform>Annuler aussi les %n rendez-vous de ce jour (les patients seront à prévenir)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DocumentsTab</name>
    <message numerus="yes">
        <source>%n document(s) archivé(s) dans le dossier.</source>
        <translation>
            <numerusform>%n document archivé dans le dossier.</numerusform>
            <numerusform>%n documents archivés dans le dossier.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HomeCareDialog</name>
    <message numerus="yes">
        <source>%n partenaire(s) de l&apos;annuaire pour ces soins dans cette commune.</source>
        <translation>
            <numerusform>%n partenaire de l&apos;annuaire pour ces soins dans cette commune.</numerusform>
            <numerusform>%n partenaires de l&apos;annuaire pour ces soins dans cette commune.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HomeCareTab</name>
    <message numerus="yes">
        <source>%n demande(s) de soins, {plans}.</source>
        <translation>
            <numerusform>%n demande de soins, {plans}.</numerusform>
            <numerusform>%n demandes de soins, {plans}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n plan(s) de sortie</source>
        <translation>
            <numerusform>%n plan de sortie</numerusform>
            <numerusform>%n plans de sortie</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n en attente depuis trop longtemps.</source>
        <translation>
            <numerusform>%n en attente depuis trop longtemps.</numerusform>
            <numerusform>%n en attente depuis trop longtemps.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HomeCareWords</name>
    <message numerus="yes">
        <source>%n jour(s)</source>
        <translation>
            <numerusform>%n jour</numerusform>
            <numerusform>%n jours</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LoginWidget</name>
    <message numerus="yes">
        <source>Session(s) verrouillée(s) en attente : {names}.</source>
        <translation>
            <numerusform>Session verrouillée en attente : {names}.</numerusform>
            <numerusform>Sessions verrouillées en attente : {names}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NotesTab</name>
    <message numerus="yes">
        <source>%n note(s), de la plus récente à la plus ancienne.</source>
        <translation>
            <numerusform>%n note, de la plus récente à la plus ancienne.</numerusform>
            <numerusform>%n notes, de la plus récente à la plus ancienne.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OrientationsDialog</name>
    <message numerus="yes">
        <source>Imprimer les fic&amp;hes (%n)…</source>
        <translation>
            <numerusform>Imprimer la fic&amp;he (%n)…</numerusform>
            <numerusform>Imprimer les fic&amp;hes (%n)…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Fiches d&apos;orientation (%n)</source>
        <translation>
            <numerusform>Fiche d&apos;orientation (%n)</numerusform>
            <numerusform>Fiches d&apos;orientation (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PartnersDialog</name>
    <message numerus="yes">
        <source>%n partenaire(s)</source>
        <translation>
            <numerusform>%n partenaire</numerusform>
            <numerusform>%n partenaires</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReferralsTab</name>
    <message numerus="yes">
        <source>%n orientation(s), la plus récente en haut.</source>
        <translation>
            <numerusform>%n orientation, la plus récente en haut.</numerusform>
            <numerusform>%n orientations, la plus récente en haut.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message numerus="yes">
        <source>%n patient(s)</source>
        <translation>
            <numerusform>%n patient</numerusform>
            <numerusform>%n patients</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SessionsDialog</name>
    <message numerus="yes">
        <source>%n rendez-vous est/sont pris ce jour-là : cochez la case pour le(s) annuler aussi (à prévenir), ou choisissez une autre date.</source>
        <translation>
            <numerusform>Un rendez-vous est pris ce jour-là : cochez la case pour l&apos;annuler aussi (le patient sera à prévenir), ou choisissez une autre date.</numerusform>
            <numerusform>%n rendez-vous sont pris ce jour-là : cochez la case pour les annuler aussi (les patients seront à prévenir), ou choisissez une autre date.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlotPickerDialog</name>
    <message numerus="yes">
        <source> — %n créneau(x) libre(s)</source>
        <translation>
            <numerusform> — %n créneau libre</numerusform>
            <numerusform> — %n créneaux libres</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>_Plurals</name>
    <message numerus="yes">
        <source>%n an(s)</source>
        <translation>
            <numerusform>%n an</numerusform>
            <numerusform>%n ans</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mois</source>
        <translation>
            <numerusform>%n mois</numerusform>
            <numerusform>%n mois</numerusform>
        </translation>
    </message>
</context>
</TS>
