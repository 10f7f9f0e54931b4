"""Tables of fictitious-but-plausible French data for the demo generator (no logic here).

Names are common French surnames and first names (with their accents, ligatures and hyphens),
communes are real Normandy communes (INSEE code, postal code), weighted towards the Rouen area
where the demo clinic is. No real person is described: names, dates and numbers are combined
at random.
"""

from __future__ import annotations

# fmt: off
FAMILY_NAMES: tuple[str, ...] = (
    # Normandy and the rest of France
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont",
    "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau",
    "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
    "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
    "Sanchez", "Gérard", "Nguyễn", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier",
    "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Pérez", "Marchand",
    "Dufour", "Blanchard", "Marie", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux",
    "Colin", "Fernandez", "Pierre", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud",
    "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe",
    "Lacroix", "Dupuis", "Olivier", "Louis", "Charpentier", "Rivière", "Moulin", "Lecomte",
    "Lemonnier", "Quesnel", "Anquetil", "Hébert", "Lebrun", "Delahaye", "Vautier", "Lecoq",
    "Letellier", "Lefrançois", "Hamel", "Lepetit", "Deschamps", "Bénard", "Lévêque", "Prévost",
    "Hervé", "Hélie", "Leprévost", "Osmont", "Thiébaut", "Besnard", "Lesueur", "Féron",
    "Ménard", "Poulain", "Tessier", "Théry", "Dieudonné", "Bréhal", "Le Goff", "Le Gall",
    "Le Roux", "Le Corre", "Le Bihan", "Da Silva", "Gonçalves", "Ferreira", "Pereira",
    "Rodrigues", "Benali", "Haddad", "Bensaïd", "Brahimi", "Mansouri", "Chérif", "Traoré",
    "Diallo", "Ndiaye", "Camara", "Trần", "Phạm", "Lê", "Kowalski", "Nowak", "Öztürk",
    "Yılmaz", "Łukasiewicz", "Saint-Pierre", "Bénard-Lemoine", "Lefèvre-Utile", "Dupré",
    "Dupré-Lœuvre", "Larchevêque", "Després", "Bœuf", "Lœillet", "Delacroix-Hébert",
    "Marie-Sainte", "Jean-Baptiste", "Levasseur", "Grenier-Boley", "Mesnil", "Desrues",
    "Bellenger", "Dujardin", "Lecerf", "Decaux", "Fouché", "Vasseur", "Crochemore",
    "Maître", "Côté", "Crépin", "Jouët", "Aubrée", "Hénault", "Ecolasse", "Guéroult",
)

# First names by generation (born before 1960, 1960–1989, from 1990), then by sex.
FIRST_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "old": {
        "F": (
            "Marie", "Jeanne", "Germaine", "Yvette", "Simone", "Paulette", "Monique",
            "Jacqueline", "Suzanne", "Odette", "Ginette", "Colette", "Geneviève", "Thérèse",
            "Andrée", "Hélène", "Renée", "Lucienne", "Marcelle", "Josette", "Françoise",
            "Micheline", "Éliane", "Raymonde", "Solange", "Bernadette", "Annick", "Noëlle",
        ),
        "M": (
            "Jean", "Pierre", "André", "Marcel", "René", "Roger", "Louis", "Georges",
            "Henri", "Maurice", "Robert", "Bernard", "Michel", "Jacques", "Raymond",
            "Gérard", "Claude", "Lucien", "Émile", "Fernand", "Gaston", "Jean-Pierre",
            "Jean-Claude", "Guy", "Étienne", "Noël", "Désiré", "Aimé",
        ),
    },
    "mid": {
        "F": (
            "Nathalie", "Isabelle", "Sylvie", "Catherine", "Valérie", "Christine", "Sandrine",
            "Véronique", "Stéphanie", "Céline", "Karine", "Aurélie", "Virginie", "Émilie",
            "Séverine", "Laëtitia", "Lœtitia", "Frédérique", "Hélène", "Anne-Sophie",
            "Marie-Hélène", "Bénédicte", "Agnès", "Mélanie", "Nadège", "Fatima", "Thi Lan",
        ),
        "M": (
            "Philippe", "Thierry", "Éric", "Stéphane", "Christophe", "Frédéric", "Laurent",
            "Pascal", "Olivier", "Sébastien", "Nicolas", "Jérôme", "Cédric", "Grégory",
            "Jean-François", "Jean-Luc", "Jean-Marc", "François-Xavier", "Hervé", "Loïc",
            "Rémi", "Benoît", "Joël", "Mohamed", "Karim", "Văn Minh", "Raphaël",
        ),
    },
    "young": {
        "F": (
            "Emma", "Léa", "Chloé", "Manon", "Camille", "Inès", "Jade", "Louise", "Zoé",
            "Maëlle", "Éloïse", "Clémence", "Anaïs", "Océane", "Léna", "Maëlys", "Héloïse",
            "Noémie", "Aïcha", "Salomé", "Juliette", "Chloé-Anne", "Léonie", "Rose", "Alix",
            "Joséphine", "Zélie", "Maïwenn",
        ),
        "M": (
            "Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Raphaël", "Jules", "Léo",
            "Théo", "Nathan", "Mathéo", "Noé", "Timothée", "Maël", "Éthan", "Adam",
            "Yanis", "Enzo", "Clément", "Baptiste", "Aurélien", "Jean-Baptiste", "Côme",
            "Gaël", "Ilyès", "Loïs", "Anaël", "Joachim",
        ),
    },
}

# Real Normandy communes: (name, INSEE code, postal code, landline prefix, weight).
COMMUNES: tuple[tuple[str, str, str, str, int], ...] = (
    ("Rouen", "76540", "76000", "02 35", 30),
    ("Rouen", "76540", "76100", "02 35", 12),
    ("Sotteville-lès-Rouen", "76681", "76300", "02 35", 9),
    ("Saint-Étienne-du-Rouvray", "76575", "76800", "02 35", 8),
    ("Le Grand-Quevilly", "76322", "76120", "02 35", 7),
    ("Le Petit-Quevilly", "76498", "76140", "02 35", 6),
    ("Mont-Saint-Aignan", "76451", "76130", "02 35", 6),
    ("Bois-Guillaume", "76108", "76230", "02 35", 5),
    ("Déville-lès-Rouen", "76216", "76250", "02 35", 4),
    ("Maromme", "76410", "76150", "02 35", 4),
    ("Canteleu", "76157", "76380", "02 35", 4),
    ("Darnétal", "76212", "76160", "02 35", 3),
    ("Elbeuf", "76231", "76500", "02 35", 3),
    ("Oissel", "76484", "76350", "02 35", 2),
    ("Barentin", "76057", "76360", "02 35", 2),
    ("Le Havre", "76351", "76600", "02 35", 2),
    ("Dieppe", "76217", "76200", "02 35", 1),
    ("Fécamp", "76259", "76400", "02 35", 1),
    ("Yvetot", "76758", "76190", "02 35", 1),
    ("Bolbec", "76114", "76210", "02 35", 1),
    ("Évreux", "27229", "27000", "02 32", 1),
    ("Louviers", "27375", "27400", "02 32", 1),
    ("Vernon", "27681", "27200", "02 32", 1),
    ("Les Andelys", "27016", "27700", "02 32", 1),
    ("Bernay", "27056", "27300", "02 32", 1),
    ("Pont-Audemer", "27467", "27500", "02 32", 1),
    ("Caen", "14118", "14000", "02 31", 1),
    ("Hérouville-Saint-Clair", "14327", "14200", "02 31", 1),
    ("Lisieux", "14366", "14100", "02 31", 1),
    ("Bayeux", "14047", "14400", "02 31", 1),
    ("Honfleur", "14333", "14600", "02 31", 1),
    ("Cherbourg-en-Cotentin", "50129", "50100", "02 33", 1),
    ("Saint-Lô", "50502", "50000", "02 33", 1),
    ("Granville", "50218", "50400", "02 33", 1),
    ("Coutances", "50147", "50200", "02 33", 1),
    ("Alençon", "61001", "61000", "02 33", 1),
    ("Argentan", "61006", "61200", "02 33", 1),
    ("Flers", "61169", "61100", "02 33", 1),
)

# Birth places outside Normandy: Paris arrondissements, Corsica (2A/2B), overseas, abroad
# (INSEE country codes 99xxx).
PARIS_BIRTH_PLACES: tuple[str, ...] = tuple(f"751{n:02d}" for n in range(1, 21))
CORSICA_BIRTH_PLACES: tuple[str, ...] = ("2A004", "2A247", "2B033", "2B050", "2B096")
OVERSEAS_BIRTH_PLACES: tuple[str, ...] = ("97101", "97105", "97209", "97411", "97302")
FOREIGN_BIRTH_PLACES: tuple[str, ...] = (
    "99350",  # Maroc
    "99352",  # Algérie
    "99351",  # Tunisie
    "99139",  # Portugal
    "99134",  # Espagne
    "99127",  # Italie
    "99109",  # Allemagne
    "99131",  # Belgique
    "99243",  # Viêt Nam
    "99341",  # Sénégal
)

STREETS: tuple[str, ...] = (
    "rue Jeanne-d'Arc", "rue du Gros-Horloge", "rue Saint-Sever", "rue Eau-de-Robec",
    "place du Vieux-Marché", "rue Gustave-Flaubert", "rue Pierre-Corneille", "rue Victor-Hugo",
    "rue Jean-Jaurès", "rue de la République", "avenue du Général-Leclerc", "boulevard de l'Yser",
    "rue des Tilleuls", "impasse des Lilas", "chemin des Pommiers", "rue du Maréchal-Joffre",
    "allée des Hêtres", "rue Lafayette", "rue de Lessard", "rue Louis-Pasteur",
    "avenue de Caen", "rue de l'Église", "rue des Écoles", "place de la Mairie",
    "rue Émile-Zola", "rue Guy-de-Maupassant", "rue Armand-Carrel", "rue d'Elbeuf",
    "quai Gaston-Boulet", "rue du Champ-des-Oiseaux", "sente aux Loups", "rue de la Chaîne",
)
ADDRESS_COMPLEMENTS: tuple[str, ...] = (
    "", "", "", "", "", "", "résidence Les Hortensias, bât. B, ", "appt 12, ",
    "résidence du Parc, esc. 3, ", "2e étage, ", "foyer-logement Les Charmilles, ",
)
# fmt: on
