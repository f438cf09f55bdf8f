"""Word lists that tell a place name from the same letters used otherwise, by category.

places.py reads them; each list is complete for its category in the supported languages
(en, fr, es, ar) rather than a list of corpus cases. All entries are lower case (Latin) or bare
Arabic as written, so a lookup is one set membership test.
"""

import re

# Words for a weather system or a climate phase: the capitalised word after them is its name
# ("Hurricane Otis", "Cyclone Mora", "Storm Daniel"), never a town, here or later in the text.
STORM_WORDS = frozenset({
    "hurricane", "cyclone", "typhoon", "storm", "tempest", "depression", "super", "tropical",
    "huracán", "huracan", "ciclón", "ciclon", "tifón", "tifon", "tormenta", "depresión",
    "ouragan", "typhon", "tempête", "tempete", "dépression",
    "إعصار", "الإعصار", "العاصفة", "عاصفة",
})
# Named phenomena that share their name with a town somewhere.
PHENOMENA = frozenset({"el nino", "la nina", "el niño", "la niña"})

# Groups of countries: "Latin America" is not the United States, "West Africa" no country.
REGIONS = re.compile(
    r"\b(?:Latin|South|North|Central)\s+America\b|\bAm[ée]rica\s+(?:Latina|del\s+(?:Sur|Norte)"
    r"|Central)\b|\bAm[ée]rique\s+(?:latine|du\s+(?:Sud|Nord)|centrale)\b"
    r"|\b(?:West|East|North|Southern|Central|Sub-Saharan)\s+Africa\b|\bMiddle\s+East\b"
    r"|\bHorn\s+of\s+Africa\b|\bAfrique\s+(?:de\s+l['\u2019]Ouest|de\s+l['\u2019]Est|du\s+Nord"
    r"|centrale|australe)\b|\b(?:Asia|Africa)\s+(?:Central|Occidental|Oriental)\b"
)

# Capitalised words of news text (sentence starts, institution names) that are also the name
# of some town: adverbs, conjunctions, pronouns and common nouns of en/fr/es. A name needs
# more than one word ("San Pedro", "La Paz").
COMMON_WORDS = frozenset({
    # Spanish adverbs, conjunctions, pronouns, determiners
    "solo", "sólo", "tras", "ante", "bajo", "cabe", "contra", "desde", "durante", "entre",
    "hacia", "hasta", "mediante", "sin", "sobre", "también", "tampoco", "luego", "entonces",
    "mientras", "donde", "cuando", "como", "aunque", "pero", "sino", "pues", "ya", "aún",
    "aun", "además", "ademas", "incluso", "apenas", "casi", "muy", "más", "mas", "menos",
    "todo", "toda", "todos", "todas", "otro", "otra", "otros", "otras", "este", "esta",
    "estos", "estas", "ese", "esa", "esos", "esas", "aquel", "cada", "varios", "varias",
    "muchos", "muchas", "pocos", "ambos", "nuevo", "nueva", "ayer", "hoy", "mañana", "anoche",
    "así", "asi", "allí", "alli", "aquí", "aqui", "ahora", "siempre", "nunca", "quien",
    "según", "segun", "unos", "unas", "uno", "dos", "tres",
    # Spanish common nouns often capitalised in names of bodies ("Defensoría del Pueblo")
    "pueblo", "pueblos", "gobierno", "ejército", "ejercito", "policía", "policia", "estado",
    "salud", "paz", "guerra", "justicia", "fiscalía", "fiscalia", "defensoría", "defensoria",
    "república", "republica", "nación", "nacion", "patria", "libertad", "unión", "progreso",
    "esperanza", "providencia", "soledad", "caridad", "piedad",
    "paraíso", "paraiso", "porvenir", "triunfo", "victoria", "independencia",
    "fuerza", "fuerzas", "cruz", "roja", "media", "alto", "alta", "baja", "grande",
    "sierra", "valle", "playa", "puerto", "ciudad", "villa", "capital",
    # French adverbs, conjunctions, pronouns, common nouns
    "ainsi", "alors", "aussi", "après", "apres", "avant", "depuis", "pendant", "selon",
    "parmi", "malgré", "malgre", "sans", "sous", "vers", "chez", "contre", "pour",
    "mais", "donc", "puis", "encore", "enfin", "ensuite", "toutefois", "cependant", "certes",
    "plus", "moins", "tous", "toutes", "tout", "toute", "cette", "ces", "son", "sa", "ses",
    "leur", "leurs", "hier", "aujourd", "demain", "ici", "là", "quand", "comme", "lorsque",
    "paix", "armée", "armee", "police", "santé", "sante", "justice", "république",
    "republique", "nation", "liberté", "liberte", "espoir", "croix", "rouge", "bon", "bonne",
    "grand", "petit", "petite", "haut", "haute", "bas", "basse", "ville", "port",
    # English words that start sentences or names of bodies
    "also", "however", "meanwhile", "later", "earlier", "today", "yesterday", "tonight",
    "overnight", "nearly", "about", "around", "among", "across", "again", "although",
    "because", "despite", "still", "then", "thus", "once", "only", "even", "just", "much",
    "both", "each", "every", "other", "another", "such", "nothing", "nobody", "everyone",
    "dozens", "hundreds", "thousands", "scores", "residents", "survivors", "witnesses",
    "villagers", "rescuers", "troops", "rebels", "gunmen", "militants", "fighters",
    "authorities", "emergency", "disaster", "peace", "freedom", "independence",
    "progress", "providence", "harmony", "unity", "concord", "welfare", "mercy", "charity",
    "friendship", "paradise", "eden", "commerce", "industry", "enterprise", "fame", "fortune",
    "temple", "church", "mosque", "cross", "crescent", "star", "crown", "castle", "fort",
    "camp", "park", "bridge", "market", "station", "airport", "harbour", "harbor", "city", "town",
    "village", "valley", "springs", "falls", "hills", "heights", "grove",
    "mission", "colony", "plains", "prairie", "summit", "center", "centre", "middle",
    # Frequent English words that start headlines and sentences and also name some town
    "time", "maximum", "reading", "post", "over", "strong", "can", "well", "best", "than",
    "moon", "real", "research", "set", "orange", "never", "same", "change", "sue", "see",
    "home", "list", "canal", "made", "make", "leader", "key", "law", "deal", "kill", "seen",
    "base", "ever", "limit", "cell", "wall", "bad", "loss", "area", "early", "train", "hit",
    "culture", "light", "effort", "worth", "deep", "say", "zone", "week", "chair", "bone",
    "success", "fall", "basic", "tour", "enter", "cash", "economy", "convoy", "sort", "run",
    "line", "come", "long", "side", "young", "put", "going", "hard", "off", "veteran",
    "spring", "story", "storm", "quake", "flood", "floods", "fire", "rain", "heat", "war",
    "talks", "vote", "crisis", "aid", "help", "life", "love", "power", "water", "food",
    "school", "health", "trade", "border", "record", "death", "toll", "rescue", "attack",
})

# Arabic words that say the next word is a place: "the town of", "the governorate of" …
# Written bare; a glued و/ب/ل/ف before them is stripped before the lookup.
AR_PLACE_CUES = frozenset({
    "مدينة", "مدينه", "بلدة", "بلده", "قرية", "قريه", "محافظة", "محافظه", "ولاية", "ولايه",
    "منطقة", "منطقه", "مديرية", "مديريه", "قضاء", "ناحية", "ناحيه", "مخيم", "إقليم", "اقليم",
    "العاصمة", "العاصمه", "عاصمة", "حي", "ضاحية", "بلدات", "قرى", "مدن", "محافظات",
    "ولايات", "مناطق", "مخيمات", "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي",
    "غربي", "وسط", "ريف", "أطراف", "اطراف", "محيط", "ضواحي", "مركز", "بلدية", "بلديه",
    "جزيرة", "ميناء", "مطار", "معبر",
})
AR_PREFIXES = ("وب", "ول", "وف", "و", "ب", "ل", "ف")
# Of those, the words for a kind of unit or settlement: written before the name, they are not
# part of it ("ولاية الجزيرة" is "الجزيرة", as "Benue state" is "Benue").
AR_UNIT_WORDS = frozenset({
    "مدينة", "مدينه", "بلدة", "بلده", "قرية", "قريه", "محافظة", "محافظه", "ولاية", "ولايه",
    "منطقة", "منطقه", "مديرية", "مديريه", "قضاء", "ناحية", "ناحيه", "مخيم", "إقليم", "اقليم",
    "بلدية", "بلديه",
})

# Words before a name that make it a location ("in Yemen", "across Ukraine", "في اليمن").
LOCATIVES = frozenset({
    "in", "across", "throughout", "inside", "within", "near", "around",
    "en", "au", "aux", "dans", "à", "partout", "cerca", "dentro",
    "في", "داخل", "أنحاء", "انحاء",
})

# Verbs that make the name before them an actor: "Washington said", "Kyiv carried out".
ACTOR_VERBS = frozenset({
    "said", "says", "say", "claimed", "claims", "claim", "denied", "denies", "deny",
    "accused", "accuses", "accuse", "wants", "want", "wanted", "warned", "warns", "warn",
    "announced", "announces", "insisted", "insists", "rejected", "rejects", "demanded",
    "demands", "urged", "urges", "vowed", "vows", "responded", "responds", "pressed",
    "presses", "asked", "asks", "called", "calls", "agreed", "agrees", "refused", "refuses",
    "blamed", "blames", "welcomed", "welcomes", "condemned", "condemns", "confirmed",
    "confirms", "carried", "carries", "launched", "launches", "sent", "sends", "ordered",
    "orders", "imposed", "imposes", "approved", "approves", "signed", "signs", "recalled",
    "expelled", "expels", "threatened", "threatens", "retaliated", "retaliates",
    "backed", "backs", "supports", "supported", "sanctioned",
    "plans", "planned", "hopes", "seeks", "sought", "believes", "argues", "argued", "targets",
    "dijo", "afirmó", "afirma", "anunció", "anuncia", "acusó", "acusa", "exige", "exigió",
    "pidió", "pide", "rechazó", "rechaza", "denunció", "denuncia", "aseguró", "asegura",
    "negó", "niega", "advirtió", "advierte", "respondió", "lanzó",
    "déclaré", "declare", "affirmé", "affirme", "annoncé", "annonce", "accusé", "dénoncé",
    "dénonce", "exigé", "demandé", "demande", "rejeté", "rejette",
    "nié", "nie", "averti", "menacé", "menace", "réclamé", "réclame", "assuré", "assure",
})
# Words allowed between such a name and its verb: "Washington has not confirmed".
ACTOR_FILLERS = frozenset({
    "has", "had", "have", "not", "also", "meanwhile", "then", "now", "later", "again",
    "already", "never", "repeatedly", "quickly", "immediately", "promptly", "swiftly", "too",
    "however", "a", "n", "pas", "ha", "había", "no", "también", "ya", "aussi", "alors",
})
# Arabic verbs of saying and deciding, written before their subject: "قالت واشنطن".
AR_ACTOR_VERBS = frozenset({
    "قالت", "وقالت", "أعلنت", "وأعلنت", "اتهمت", "واتهمت", "نفت", "ونفت", "أكدت", "وأكدت",
    "طالبت", "وطالبت", "ردت", "وردت", "حذرت", "وحذرت", "رفضت", "ورفضت", "هددت", "وهددت",
    "دعت", "ودعت", "أدانت", "وأدانت", "زعمت", "وزعمت",
})
# Nouns after a possessive capital that make it the government: "Washington's campaign".
ACTOR_NOUNS = frozenset({
    "campaign", "government", "forces", "troops", "army", "military", "policy", "decision",
    "offensive", "strikes", "allies", "position", "response", "officials", "envoy",
    "delegation", "demands", "proposal", "plan", "war", "sanctions", "support",
})
# Nouns after a demonym that make it the actor, not where things happen ("Saudi forces").
FORCE_NOUNS = frozenset({
    "forces", "force", "troops", "army", "military", "soldiers", "jets", "warplanes",
    "aircraft", "drones", "drone", "missile", "missiles", "strike", "strikes", "air",
    "navy", "police", "officials", "government", "authorities", "president", "minister",
    "ministry", "envoy", "embassy", "diplomats", "militia", "militias", "rebels",
    "fighters", "shelling", "attack", "attacks", "bombardment", "raids", "raid",
})
