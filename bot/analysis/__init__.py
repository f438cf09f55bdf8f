"""Analysis stage: read a report's text into Facts (places, casualty figures, topics, cues)."""

from bot.analysis.facts import Facts, Figure, Place
from bot.analysis.pipeline import analyse

__all__ = ["Facts", "Figure", "Place", "analyse"]
