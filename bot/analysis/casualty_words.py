"""The words that tie a number to a casualty, per language (en, fr, es, ar).

`AFTER` words follow the number ("12 people were killed", "قتيلا"), `BEFORE` words precede it
("killing 12", "مقتل 20"); `COUNT_NOUNS` open a count whose verb comes later ("the toll ...
rose to"). Arabic entries are stored folded the way `numbers.prepare` folds text.
"""

from bot.analysis.numbers import prepare

KINDS = ("killed", "injured", "displaced", "missing")

# Casualty words that follow the number (through a few words: "people were", "civilians").
AFTER: dict[str, dict[str, str]] = {
    "killed": {
        "en": r"killed|dead|died|die|deaths?|fatalities|fatality|perished|slain|murdered|"
              r"massacred|executed|lost (?:their|his|her) lives|lives (?:were |have been )?lost|"
              r"bodies|corpses|neutrali[sz]ed|drowned|burned to death|were shot",
        "fr": r"morts?|mortes|tues?|tuees?|decedes?|deces|ont peri|a peri|perdu la vie|"
              r"cadavres|corps sans vie|neutralises|noyes|victimes mortelles|sont mortes?|"
              r"executes|executees|assassines|assassinees|massacres|massacrees|"
              # "porte à 30 le bilan", "établit à 207 le nombre de victimes"
              r"le (?:nouveau )?bilan(?! des blesses)|le nombre de (?:victimes|morts|tues|deces)",
        "es": r"muertos?|muertas?|fallecidos?|fallecidas?|murieron|muertes|fallecimientos|"
              r"asesinados?|asesinadas?|perdieron la vida|victimas mortales|cadaveres|"
              r"han muerto|han fallecido|ahogados|neutralizados",
        "ar": r"قتيلا|قتيل|قتلي|قتلوا|شهيدا|شهداء|شهيد|ضحيه|ضحايا|لقوا حتفهم|لقي حتفه|"
              r"حتفهم|حتفه|حتفها|مصرعهم|مصرعه|مصرعها|"
              r"حالات وفاه|حاله وفاه|وفيات|وفاه|توفوا|مقتولين|جثه|جثث",
    },
    "injured": {
        "en": r"injured|wounded|hurt|injuries|hospitali[sz]ed|maimed|"
              r"(?:taken|admitted) to (?:a )?hospitals?",
        "fr": r"blesses?|blessees?|blessures",
        "es": r"heridos?|heridas|lesionados?|lesionadas",
        "ar": r"جريحا|جريح|جرحي|مصابا|مصابين|مصاب|اصابات|اصابه|اصيبوا",
    },
    "displaced": {
        "en": r"displaced|fled|flee|fleeing|uprooted|evacuated|homeless|idps|"
              r"forced (?:from|out of) their homes|sought refuge|sought shelter|in shelters|"
              r"(?:left|fled|leave|leaving|abandoned) their homes|(?:went|moved|taken) to shelters|"
              r"(?:taken|took|taking) shelter|"
              r"in evacuation cent(?:er|re)s|relocated",
        # "sinistrés", "damnificados" are the affected, not the displaced
        "fr": r"deplaces?|deplacees?|ont fui|fuient|evacues?|evacuees|sans[- ]abri|"
              r"ont quitte leurs (?:maisons|foyers|domiciles)",
        "es": r"desplazados?|desplazadas?|huyeron|han huido|huyen|evacuados?|evacuadas?|"
              r"sin hogar|albergados|abandonaron sus (?:casas|hogares)",
        "ar": r"نازحا|نازح|نازحين|نازحون|مهجر|مهجرين|شردوا|مشرد|مشردين|اجلاء",
    },
    "missing": {
        "en": r"missing|unaccounted for|disappeared",
        "fr": r"disparus?|disparues?",
        "es": r"desaparecidos?|desaparecidas?",
        "ar": r"مفقودا|مفقود|مفقودين|مفقودون",
    },
}
# Casualty words before the number ("killing 12", "the toll rose to 30").
BEFORE: dict[str, dict[str, str]] = {
    "killed": {
        "en": r"killing|killed|kills|kill|claim(?:ed|ing)? the lives of|"
              r"death tolls?|tolls?|deaths|dead|fatalities|number of (?:dead|deaths|"
              r"fatalities|people killed|victims)|lives of|bodies of|remains of",
        "fr": r"tuant|tue|bilan|nombre de morts|nombre de victimes|coute la vie a|"
              r"la mort de|la vie de|deces de|corps de|cadavres de|depouilles de",
        "es": r"matando a|mato a|mataron a|matar a|mataron|mato|matar|"
              r"murio|murieron|fallecio|fallecieron|perecio|perecieron|"  # "murió un soldado"
              r"cuerpos de|cadaveres de|restos de|"
              r"cifra de (?:muertos|fallecidos|victimas)|"
              r"balance|numero de (?:muertos|fallecidos|victimas)|la vida (?:a|de)|"
              r"muerte de|asesinato de|asesinaron a",
        "ar": r"مقتل|قتل|قتلت|قتلوا|تقتل|يقتل|يقتلون|استشهاد|وفاه|مصرع|حصيله القتلي|حصيله الضحايا|"
              r"عدد القتلي|بحياه|"
              r"عدد الضحايا|حصيله|عدد الشهداء|حصيله الشهداء|وفيات",
    },
    "injured": {
        "en": r"injuring|wounding|injured|wounded|hurting|injuries to|number of (?:injured|"
              r"wounded)",
        "fr": r"blessant|blesse|nombre de blesses",
        "es": r"hiriendo a|hirio a|hirieron a|numero de heridos|dejando heridos a",
        "ar": r"اصابه|اصابة|اصيب|اصيبت|اصابوا|اصابت|اصاب|يصيبون|جرح|عدد الجرحي|عدد المصابين",
    },
    "displaced": {
        "en": r"displacing|displaced|uprooting|uprooted|evacuating|evacuated|evacuees|"
              r"number of (?:displaced|people displaced)",
        "fr": r"deplacant|deplace|nombre de deplaces|evacuation de",
        "es": r"desplazando a|desplazo a|numero de desplazados|evacuacion de|"
              r"desplazamiento (?:masivo |forzado )?de",
        "ar": r"نزوح|تهجير|تشريد|اجلاء|عدد النازحين",
    },
    "missing": {
        "en": r"number of (?:missing|people missing)",
        "fr": r"nombre de disparus|disparition de",
        "es": r"numero de desaparecidos|desaparicion de",
        "ar": r"فقدان|فقد|عدد المفقودين|اختفاء",
    },
}
# Between a "before" word and the number: auxiliaries and toll verbs, a few words at most.
TOLL_VERBS = {
    "exact": r"rose|risen|rises|climbed|climbs|jumped|reached|reaches|stands at|stood at|"
             r"soared|soars|touched|touches|hits|"
             r"increased|hit|grew|now|is|was|has|have|had|to|at|of|s est alourdi|"
             r"s eleve|est passe|atteint|a|de|se eleva|ascendio|asciende|aumento|alcanzo|"
             r"llega|es de|ارتفع|ارتفعت|الي|بلغ|بلغت|وصل|وصلت",
    "more_than": r"passed|passes|surpassed|surpasses|topped|tops|exceeded|exceeds|crossed|"
                 r"crosses|depasse|supera|supero|sobrepasa|sobrepaso|rebasa|rebaso|تجاوز|تجاوزت|"
                 r"يتجاوز|تخطي|تخطت|يتخطي|فاق|فاقت|يفوق",
    "about": r"approaching|approche|se acerca|يقترب",
}
QUALIFIERS: list[tuple[str, str]] = [
    (r"at least|a minimum of|no fewer than|not less than|au moins|pas moins de|au minimum|"
     r"al menos|por lo menos|como minimo|no menos de|ما لا يقل عن|لا يقل عن|علي الاقل", "at_least"),
    (r"more than|over|upwards of|in excess of|above|plus de|mas de|اكثر من|ما يزيد عن|"
     r"ما يزيد علي|يزيد عن|يزيد علي|passed|passes|surpassed|surpasses|topped|tops|exceeded|"
     r"exceeds", "more_than"),
    (r"estimates? that|estimated that|about|around|some|approximately|roughly|nearly|almost|"
     r"close to|an estimated|estimated|"
     r"approaching|environ|pres de|quelque|quelques|pratiquement|presque|environ|"
     r"unos|unas|cerca de|alrededor de|aproximadamente|casi|nada menos|نحو|حوالي|قرابه|"
     r"زهاء|ما يقارب|يقارب|قرابة", "about"),
    (r"up to|as many as|jusqu a|hasta|ما قد يصل الي|ما يصل الي|قد يصل الي|حتي", "up_to"),
]
# Words that end the link between a number and a casualty word.
STOP_WORDS = set(
    [
        "and", "or", "but", "while", "whereas", "than", "after", "before", "when", "since",
        "because", "if", "although", "including", "homes", "houses", "buildings", "shelters",
        "schools", "hospitals", "km", "kilometres", "kilometers", "miles", "metres", "meters",
        "hectares", "acres", "tonnes", "tons", "dollars", "euros", "percent", "per", "years",
        "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour", "minutes",
        "vehicles", "trucks", "tanks", "rockets", "missiles", "drones", "shells", "strikes",
        "airstrikes", "attacks", "raids", "incidents", "cases", "villages", "towns", "cattle",
        "livestock", "animals", "times", "votes", "seats", "families", "households", "et", "ou",
        "mais", "alors", "que", "apres", "avant", "depuis", "dont", "ans", "annees", "mois",
        "jours", "heures", "maisons", "batiments", "ecoles", "camions", "y", "o", "pero",
        "mientras", "despues", "antes", "desde", "anos", "meses", "dias", "horas", "casas",
        "viviendas", "edificios", "escuelas", "camiones", "ataques", "casos"
    ]
)
AR_STOP = {"و", "او", "بعد", "قبل", "منذ", "عام", "سنه", "منزل", "منازل", "مبني", "حالات"}

# Everything is matched against prepare()d text: fold the Arabic spellings the same way.
for _table in (AFTER, BEFORE):
    for _kind_words in _table.values():
        _kind_words["ar"] = prepare(_kind_words["ar"])

# "death toll in Gaza from the attacks rises to 25,900", "le nombre de blessés dans la région
# s'est élevé à 40", "عدد القتلى في غزة إلى": a count noun, a few words, then its verb.
COUNT_NOUNS = {
    "killed": r"death toll|toll|number of (?:dead|deaths|people killed|fatalities|victims)|"
              r"bilan|nombre de (?:morts|victimes|deces|tues)|cifra de (?:muertos|fallecidos|"
              r"victimas)|balance de (?:muertos|victimas)|numero de (?:muertos|fallecidos|"
              r"victimas)|حصيله|عدد (?:ال)?(?:قتلي|ضحايا|شهداء|وفيات)",
    "injured": r"number of (?:injured|wounded|injuries|people injured|people wounded)|"
               r"nombre de blesses|(?:numero|cifra) de heridos|عدد (?:ال)?(?:جرحي|مصابين|اصابات)",
    "displaced": r"number of (?:displaced|people displaced|internally displaced|idps|evacuees|"
                 r"people who (?:have |had )?fled|refugees)|"
                 r"nombre de (?:deplaces|personnes deplacees)|(?:numero|cifra) de desplazados|"
                 r"عدد (?:ال)?(?:نازحين|مهجرين|مشردين)",
    "missing": r"number of (?:missing|people missing|people unaccounted for)|"
               r"nombre de disparus|(?:numero|cifra) de desaparecidos|عدد (?:ال)?مفقودين",
}
COUNT_VERBS = (
    r"rises|rose|risen|climbs|climbed|jumps|jumped|soars|soared|reaches|reached|hits|hit|"
    r"tops|topped|passes|passed|surpasses|surpassed|exceeds|exceeded|crossed|crosses|"
    r"stands at|stood at|"
    r"touches|touched|is|was|now|s est alourdi a|s est eleve a|s eleve a|atteint|depasse|"
    r"se eleva a|asciende a|ascendio a|supera|supero|ارتفع(?:ت)? الي|ارتفع|ارتفعت|بلغ(?:ت)?|"
    # "ارتفاع عدد القتلى في غزة إلى": a verbal noun carries the verb, "to" alone is left
    r"تجاوز(?:ت)?|يتجاوز|تخطي|تخطت|فاق|فاقت|وصل(?:ت)? الي|الي"
)
