"""Cues that set a casualty figure apart from the main event's current toll.

A total since some date (`BACKGROUND`, the widest ones `NATIONWIDE`), a projection, a count
superseded by a newer one, another incident (`SEPARATE` at a sentence start, `PRIOR` in the
clause), part of a toll told elsewhere (`SUBSET`), a running total (`TOTAL`). All are matched
against `numbers.prepare`d text, Arabic folded.
"""

import re

from bot.analysis.patterns import cue

BACKGROUND = cue(
    r"(?:since the (?:start|beginning|outbreak|onset)|"
    r"since (?:[\w-]+ ){1,3}(?:began|started|erupted|broke out) in|"
    r"since (?:the )?(?:war|conflict|fighting) "
    r"(?:began|started|erupted|broke out)|since (?:january|february|march|april|may|june|july|"
    r"august|september|october|november|december|\d{4})|so far this year|this year|last year|"
    r"recalled that|recalling that|reminded that|a rappele que|rappelant que|recordo que|"
    r"in total|throughout the|over the past (?:year|decade|\w+ (?:months|years))|"
    r"across the country|nationwide|whole country|"
    r"(?:the|this) (?:war|conflict) has|the war, which|the conflict, which|"
    r"depuis le debut|depuis (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|"
    r"octobre|novembre|decembre|\d{4})|depuis le declenchement|cette annee|au total|"
    r"desde el inicio|desde el comienzo|desde (?:enero|febrero|marzo|abril|mayo|junio|julio|"
    r"agosto|septiembre|octubre|noviembre|diciembre|\d{4})|en lo que va|en total|este ano|"
    r"منذ بدايه|منذ اندلاع|منذ بدء|منذ مطلع|منذ عام|منذ \d{4}|منذ السابع|منذ بدايه العام)"
)
PROJECTION = cue(
    r"(?:(?:could|(?<!in )(?<!since )(?<!of )(?<!\d )may(?! \d)|might|would|feared|"
    r"fears|fear|dreads?|expected to|likely|risk|"
    r"projected|forecast|estimates? that up to|pourrait|pourraient|risque|craint|redoute|"
    r"redoutent|podria|podrian|se teme|teme|temen|probablemente|probably|"
    r"voire|or even|ou meme|o incluso)\b|"  # "plusieurs centaines, voire quelques milliers"
    r"و?(?:يخشي|يتوقع|رجح|يرجح|المرجح)\s)"
)
SUPERSEDED = cue(
    r"(?:up from|down from|"
    r"from an? (?:earlier|previous|initial) (?:toll|count|figure|tally)|"
    r"(?:earlier|previous|initial|preliminary) (?:toll|count|figure|tally|report)s? "
    r"(?:of|had|was|said|put)|had earlier|initially|au lieu de|contre \s*$|frente a los|"
    r"en lugar de|بعد ان كان|مقابل|first estimates?|earlier (?:count|tally|toll)|"
    r"premieres? estimations?|premier bilan|bilan initial|precedent bilan|primeras estimaciones|"
    r"balance (?:anterior|previo|inicial)|bilan precedent|الحصيله السابقه|"
    # "وكانت الوزارة قد أعلنت مقتل 24": the Arabic past perfect tells an earlier count
    r"و?كان(?:ت)? (?:[\u0621-\u064a]+ ){0,3}قد)[^.;]{0,80}$"
)
SEPARATE = re.compile(
    r"\W*(?:separately|in (?:a |another )?separate|elsewhere|in another|meanwhile|also on|"
    r"earlier (?:this|last)|last (?:week|month|year)|par ailleurs|ailleurs|en outre|"
    r"dans une autre|por otra parte|en otro|ademas|asimismo|en un hecho separado|"
    r"(?:on )?(?:the|that) same day|le meme jour|ce meme jour|ese mismo|el mismo dia|"
    r"في اليوم نفسه|في نفس اليوم|"
    r"في سياق منفصل|في حادث منفصل|وفي حادث اخر|من جهه اخري|وفي سياق|و?في الاثناء|"
    r"و?في غضون ذلك|و?الي ذلك|و?من ناحيه اخري|و?في تطور اخر|و?في سياق اخر)"
)
# Background of the widest scope: the whole country, the whole war, several years.
NATIONWIDE = cue(
    r"(?:nationwide|across the country|whole country|countrywide|since (?:the )?(?:war|"
    r"conflict|fighting) (?:began|started|erupted|broke out)|since the (?:start|beginning|"
    r"outbreak) of the (?:war|conflict)|since (?:\w+ )?(?:19|20)\d\d|"
    r"(?:began|started|erupted) in (?:\w+ )?(?:19|20)\d\d|depuis (?:\w+ )?(?:19|20)\d\d|"
    r"desde (?:\w+ )?(?:19|20)\d\d|dans tout le pays|en todo el pais|منذ (?:عام )?(?:19|20)\d\d|"
    r"منذ اندلاع|منذ بدايه الحرب|في انحاء البلاد|في جميع انحاء)"
)
# A running total told beside today's count: "bringing the number of injured to 64,110",
# "que cifra en más de 24.000 los heridos".
TOTAL = cue(
    r"(?:bringing|brings|raising|total|overall|cumulative|number of|cifra en|cifra de|"
    r"elevando|portant|llevando|au total|en tout|اجمالي|الاجمالي|ليرتفع|ليصل|ليبلغ)"
)
# Part of a toll told elsewhere: "10 children were among the dead", "بينهم 5 أطفال".
SUBSET = cue(
    r"(?:among (?:the|them)|including|of whom|of them|dont|parmi|y compris|"
    r"entre ellos|entre ellas|incluid[oa]s|بينهم|منهم)(?![\w\u0621-\u064a])"
)
# A figure of an earlier, different event told in passing: "five died in an earlier raid",
# "إذ سبقه هجوم أودى بحياة 40 مدنياً" (it was preceded by an attack that killed 40).
PRIOR = cue(
    r"(?:(?:an? (?:earlier|previous|prior|separate)|another) (?:attack|raid|strike|"
    r"air ?strike|assault|blast|bombing|explosion|clash|ambush|incident|massacre|shelling)|"
    r"\b(?:une|l) (?:autre |precedente |)(?:attaque|frappe|explosion|embuscade)"
    r"(?: precedente| anterieure|)\b|\b(?:un|otro) (?:ataque|atentado|bombardeo) "
    r"(?:anterior|previo)|(?:اذ |و)?(?:سبقه|سبقها|سبقته|سبقتها)\s|هجوم سابق|هجوم اخر|"
    # a past event told for comparison: "the 1957 flood, when more than 300 died"
    r"(?:in|en|of|de|du|del|عام|سنه)\s+(?:1[89]\d\d|20[0-4]\d)(?!\d))"
)
SUPERLATIVE = re.compile(
    r"(?<![\w\u0621-\u064a])(?:deadliest|worst|highest|largest|biggest|bloodiest|most|"
    r"plus|pire|peor|mayor|mas mortifer[oa]|الاعنف|الاسوا|الاكثر|الاعلي|الاكبر|الادمي)"
    r"(?![\w\u0621-\u064a])"
)
