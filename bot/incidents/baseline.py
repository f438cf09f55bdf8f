"""A country's rolling 30-day toll against its own past, after the rule OCHA's HDX Signals applies
to ACLED data: a signal when the 30-day toll reaches at least 100 and is the highest in a year
(level high), or the highest in three years (level critical).

The toll is summed from what reports added to their incidents' current killed figures, by the
day they said it. "Highest in a year" is only claimed once the bot has a year of its own
history (three for the higher level): a fresh install must not call every war its worst year.
A country signals a level at most once per WINDOW.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.incidents.severity import CRITICAL, HIGH

WINDOW = 30  # days summed
FLOOR = 100  # killed in WINDOW days before anything is said
YEAR, THREE_YEARS = 365, 3 * 365


@dataclass(slots=True)
class Signal:
    level: int
    toll: int
    years: int

    def reason(self, country_name: str) -> str:
        span = "a year" if self.years == 1 else f"{self.years} years"
        return f"{country_name}'s 30-day toll reached {self.toll:,}, its highest in {span}"


@dataclass(slots=True)
class CountryTolls:
    history_start: date | None = None  # the first day the bot counted anything
    _daily: dict[str, dict[date, int]] = field(default_factory=dict)
    _fired: dict[str, tuple[date, int]] = field(default_factory=dict)  # country -> (day, level)

    def add(self, country: str, day: date, killed: int) -> None:
        if not killed:
            return
        days = self._daily.setdefault(country, {})
        days[day] = days.get(day, 0) + killed
        if self.history_start is None or day < self.history_start:
            self.history_start = day

    def mark_fired(self, country: str, day: date, level: int) -> None:
        self._fired[country] = (day, level)

    def rolling(self, country: str, day: date) -> int:
        days = self._daily.get(country, {})
        return sum(days.get(day - timedelta(days=i), 0) for i in range(WINDOW))

    def _peak_before(self, country: str, day: date, span: int) -> int:
        """The highest 30-day toll of any window ending in the `span` days before `day`."""
        days = self._daily.get(country, {})
        start = day - timedelta(days=span + WINDOW)
        series = sorted((d, n) for d, n in days.items() if start <= d < day)
        peak, total, tail = 0, 0, 0
        for d, n in series:  # a sliding window over the days that have figures
            total += n
            while series[tail][0] <= d - timedelta(days=WINDOW):
                total -= series[tail][1]
                tail += 1
            if d >= day - timedelta(days=span):
                peak = max(peak, total)
        return peak

    def check(self, country: str, day: date) -> Signal | None:
        """A signal when `day` makes the country's 30-day toll a record (see the module rule)."""
        if self.history_start is None:
            return None
        toll = self.rolling(country, day)
        if toll < FLOOR:
            return None
        covered = (day - self.history_start).days
        level, years = None, 0
        if covered >= THREE_YEARS and toll > self._peak_before(country, day, THREE_YEARS):
            level, years = CRITICAL, 3
        elif covered >= YEAR and toll > self._peak_before(country, day, YEAR):
            level, years = HIGH, 1
        if level is None:
            return None
        fired = self._fired.get(country)
        if fired and fired[1] >= level and (day - fired[0]).days < WINDOW:
            return None
        self.mark_fired(country, day, level)
        return Signal(level=level, toll=toll, years=years)
