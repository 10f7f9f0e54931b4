"""Fragments of plausible French notes for the demo generator (fictitious; no logic here).

A demo note is one opening, one finding and one follow-up picked from the lists of its
compartment and author, so that a million notes stay varied without any real case in them.
"""

from __future__ import annotations

# fmt: off
GP_REASONS: tuple[str, ...] = (
    "Consultation pour toux fébrile depuis trois jours.",
    "Consultation pour lombalgie aiguë après un effort de port de charge.",
    "Renouvellement du traitement antihypertenseur.",
    "Suivi trimestriel du diabète de type 2.",
    "Consultation pour angine, test rapide d'orientation diagnostique réalisé.",
    "Douleurs abdominales intermittentes depuis une semaine.",
    "Vertiges rotatoires au lever.",
    "Certificat de non contre-indication à la pratique du football.",
    "Vaccination antigrippale de saison.",
    "Fatigue persistante depuis plusieurs semaines.",
    "Otalgie droite chez l'enfant, fièvre à 38,5 °C.",
    "Entorse de la cheville gauche en descendant un trottoir.",
    "Troubles du sommeil et anxiété en lien avec la situation professionnelle.",
    "Suivi après cholécystectomie au CHU.",
    "Éruption cutanée prurigineuse des avant-bras.",
    "Bilan de chute au domicile, vit seul(e).",
    "Suivi de l'insuffisance cardiaque, prise de poids de 2 kg en une semaine.",
    "Consultation de suivi de grossesse (5e mois).",
    "Examen du 9e mois de l'enfant.",
    "Douleurs du genou droit, gonarthrose connue.",
    "Asthme mal contrôlé depuis l'arrivée du printemps.",
    "Demande de prolongation d'arrêt de travail.",
)
GP_FINDINGS: tuple[str, ...] = (
    "Examen clinique rassurant.",
    "TA 13/8, pouls 72, apyrétique.",
    "TA 16/9 à deux reprises, pouls 88.",
    "Auscultation pulmonaire : crépitants à la base droite.",
    "Glycémie capillaire 1,45 g/L, HbA1c à 7,2 %.",
    "Abdomen souple, pas de défense.",
    "Manœuvre de Dix-Hallpike positive à droite.",
    "Tympan droit congestif et bombant.",
    "Œdèmes des membres inférieurs prenant le godet.",
    "Épanchement articulaire modéré, pas de signe inflammatoire.",
    "Score de Fagerström à 6, motivation à l'arrêt du tabac.",
    "Humeur triste, pas d'idée suicidaire, sommeil fragmenté.",
    "Poids stable, bon état général.",
)
GP_PLANS: tuple[str, ...] = (
    "Paracétamol 1 g si douleur, revoir dans huit jours si persistance.",
    "Bilan biologique prescrit (NFS, CRP, ionogramme, créatinine).",
    "Arrêt de travail de cinq jours.",
    "Ordonnance de kinésithérapie : dix séances.",
    "Radiographie demandée, résultats à me transmettre.",
    "Traitement renouvelé pour trois mois.",
    "Orientation vers l'assistante sociale proposée, la patiente réfléchit.",
    "Passage infirmier à domicile prescrit pour la surveillance du traitement.",
    "Avis cardiologique demandé.",
    "Règles hygiéno-diététiques rappelées.",
    "Revoir avec les résultats.",
    "Amoxicilline pendant six jours.",
)
NURSE_NOTES: tuple[str, ...] = (
    "Passage IDE : pansement de l'ulcère de jambe, plaie propre, en voie de cicatrisation.",
    "Prise de sang à domicile réalisée, tubes déposés au laboratoire.",
    "Préparation du pilulier de la semaine, traitement bien pris.",
    "Injection d'anticoagulant faite, pas d'hématome au point de ponction.",
    "Soins d'hygiène réalisés, peau fragile au sacrum : effleurage, matelas à revoir.",
    "Surveillance glycémique : 1,20 g/L à jeun, 1,80 g/L après le repas.",
    "Ablation des fils ce jour, cicatrice propre.",
)
PHYSIO_NOTES: tuple[str, ...] = (
    "Séance de kinésithérapie : rééducation de l'épaule, amplitude en progrès.",
    "Rééducation post-prothèse de genou : flexion à 95°, marche sans canne sur 50 m.",
    "Drainage bronchique, encombrement moindre qu'à la séance précédente.",
    "Travail de l'équilibre et prévention des chutes, exercices à faire à la maison remis.",
    "Lombalgie : renforcement du gainage, douleur à 3/10.",
)
MIDWIFE_NOTES: tuple[str, ...] = (
    "Visite post-natale à domicile : allaitement en place, prise de poids du bébé correcte.",
    "Entretien prénatal précoce : projet de naissance abordé, inquiétude sur le logement.",
    "Surveillance de grossesse à domicile : tension normale, mouvements actifs perçus.",
    "Rééducation périnéale, 4e séance sur 10.",
)
SOCIAL_OPENINGS: tuple[str, ...] = (
    "Entretien à la permanence de la maison de santé.",
    "Entretien téléphonique.",
    "Visite à domicile avec l'accord du patient.",
    "Entretien à la suite de l'orientation par le médecin traitant.",
    "Point de suivi.",
)
SOCIAL_SITUATIONS: tuple[str, ...] = (
    "Demande de complémentaire santé solidaire : dossier constitué, avis d'imposition manquant.",
    "Arrêt maladie de plus de 90 jours : information sur la prévention de la désinsertion "
    "professionnelle, visite de pré-reprise à demander au médecin du travail.",
    "Retour à domicile après hospitalisation : demande d'ARDH transmise à la CARSAT.",
    "Dossier APA envoyé au Conseil départemental, évaluation GIR à venir.",
    "Difficultés de logement (humidité, loyer impayé) : contact avec le CCAS, demande de "
    "logement social actualisée.",
    "Dossier MDPH (RQTH) en cours de constitution.",
    "Renoncement aux soins dentaires pour raison financière : devis transmis à la CPAM "
    "(aide financière individuelle).",
    "Droits à l'assurance maladie interrompus depuis le changement de situation : "
    "réouverture demandée à la CPAM.",
    "Fin des indemnités journalières prévue : point sur la pension d'invalidité.",
    "Isolement important depuis le décès du conjoint, portage de repas évoqué.",
    "Garde des enfants pendant l'hospitalisation de la mère : solution trouvée avec la famille.",
    "Surendettement : accompagnement pour le dépôt d'un dossier à la Banque de France.",
)
SOCIAL_NEXT_STEPS: tuple[str, ...] = (
    "Prochain rendez-vous dans un mois.",
    "Relance du dossier dans quinze jours.",
    "Accord du patient pour un retour d'information au médecin traitant.",
    "Le patient apporte les justificatifs au prochain entretien.",
    "Dossier clos, situation stabilisée.",
    "Orientation vers le CCAS de la commune.",
)
LIAISON_NOTES: tuple[str, ...] = (
    "Patiente vue ce jour, accord pour une orientation vers l'assistante sociale "
    "(difficultés financières, renoncement aux soins).",
    "Retour de l'assistante sociale : dossier de complémentaire santé déposé, droits ouverts "
    "à partir du mois prochain.",
    "Point de coordination : retour à domicile prévu en fin de semaine, passage infirmier "
    "deux fois par jour organisé.",
    "Arrêt de travail prolongé : l'assistante sociale a pris contact avec le service de "
    "prévention de la désinsertion professionnelle.",
    "Le patient souhaite rester à domicile ; aide à domicile à renforcer, APA en cours.",
    "Retour d'orientation : patient reçu à la permanence, suivi en cours.",
    "Information partagée avec l'accord du patient : hospitalisation prévue le mois prochain.",
)
# fmt: on
