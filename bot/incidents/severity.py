"""Severity levels of an incident, 0..4, and the rules that set them.

| level | name     | reached by (any one of)                                                     |
|-------|----------|-----------------------------------------------------------------------------|
| 0     | info     | nothing below: no casualty figure, no structured alert                      |
| 1     | low      | killed ≥ 1, injured ≥ 10, missing ≥ 1, displaced ≥ 100                      |
| 2     | medium   | killed ≥ 10, injured ≥ 100, missing ≥ 10, displaced ≥ 1,000; USGS PAGER     |
|       |          | yellow; ACLED fatalities ≥ 10; any killed in a massacre or a bombing        |
| 3     | high     | killed ≥ 100, injured ≥ 1,000, missing ≥ 100, displaced ≥ 50,000; GDACS or  |
|       |          | PAGER orange; the country's 30-day toll at its highest in a year            |
| 4     | critical | killed ≥ 1,000, displaced ≥ 500,000; GDACS or PAGER red; the country's      |
|       |          | 30-day toll at its highest in three years                                   |

An escalation cue in the text ("deadliest", "has escalated") raises a level of 1 or more by one,
never past high: words alone do not make a critical incident. Figures without a number
("hundreds", "dozens") count at their lowest reading (200, 24). A new incident pushes an alert
only from level 1 (low); a subscription's `min_severity` is a floor on this same scale.
"""

from collections.abc import Mapping

INFO, LOW, MEDIUM, HIGH, CRITICAL = range(5)
NAMES = ("info", "low", "medium", "high", "critical")
MARKS = ("⚪", "🟡", "🟠", "🔴", "🟥")  # shown at the head of an alert

# (kind, thresholds for levels 1, 2, 3, 4): the lowest value that reaches each level.
_THRESHOLDS: dict[str, tuple[int | None, ...]] = {
    "killed": (1, 10, 100, 1000),
    "injured": (10, 100, 1000, None),
    "missing": (1, 10, 100, None),
    "displaced": (100, 1000, 50_000, 500_000),
}
# GDACS alert levels and USGS PAGER colours share one vocabulary.
_ALERT_LEVELS = {"green": INFO, "yellow": MEDIUM, "orange": HIGH, "red": CRITICAL}
_VIOLENT_TOPICS = frozenset({"massacre_reprisal", "terrorism_bombing"})


def name(level: int) -> str:
    return NAMES[max(INFO, min(CRITICAL, level))]


def parse_level(text: str) -> int | None:
    """A level from its name or number ("high", "3"); None when it is neither."""
    text = text.strip().lower()
    if text.isdigit() and int(text) <= CRITICAL:
        return int(text)
    return NAMES.index(text) if text in NAMES else None


def figure_level(kind: str, value: int | None) -> int:
    """The level one figure reaches on its own."""
    if not value or kind not in _THRESHOLDS:
        return INFO
    level = INFO
    for step, threshold in enumerate(_THRESHOLDS[kind], start=1):
        if threshold is not None and value >= threshold:
            level = step
    return level


def alert_level_rank(value: object) -> int:
    """GDACS / PAGER colour → level (unknown → info)."""
    return _ALERT_LEVELS.get(str(value).strip().lower(), INFO) if value else INFO


def compute(
    figures: Mapping[str, int | None],
    topics: set[str] | list[str],
    signals: Mapping[str, object],
) -> int:
    """The incident's level from its current figures, its topics and its structured signals.

    signals: alert_level (GDACS/PAGER colour), fatalities (ACLED), escalation (bool, a cue in
    the text), baseline (a level set by the country's rolling toll)."""
    level = max((figure_level(kind, value) for kind, value in figures.items()), default=INFO)
    if figures.get("killed") and _VIOLENT_TOPICS.intersection(topics):
        level = max(level, MEDIUM)
    fatalities = signals.get("fatalities")
    if isinstance(fatalities, int) and fatalities >= 10:
        level = max(level, MEDIUM)
    if level >= LOW and signals.get("escalation"):
        level = min(level + 1, max(level, HIGH))
    level = max(level, alert_level_rank(signals.get("alert_level")))
    baseline = signals.get("baseline")
    if isinstance(baseline, int):
        level = max(level, baseline)
    return min(level, CRITICAL)
