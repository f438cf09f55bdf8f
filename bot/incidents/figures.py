"""Reconciled casualty figures: every claim kept with its provenance, one current figure per kind.

A claim is one figure one report gave: value, qualifier, reporter (who the report credits),
source (the outlet that published it), url, at (report time) and cumulative.

The rule for the current figure of a kind: the highest credible claim, compared by value (a
figure with no number counts at its lowest reading: "hundreds" = 200), then by qualifier
("more than 1,000" beats "1,000"), then by time. Tolls climb, so the highest is normally the
newest. A claim is NOT credible when one outlet alone puts it more than three times above the
highest figure any other outlet gave from six hours before it onwards, and no other outlet
reports at least 80 % of it: a single outlier outlet does not win alone (it is kept, and shown
as a conflict). A higher figure that nobody contradicts since is a climbing toll and wins.

Conflicts: another reporter's newest claim made within 12 hours of the current one (or an outlier
set aside) that gives a different figure; shown side by side ("SOHR: more than 1,000; the
ministry: 745"). An older, lower claim is a superseded toll, not a conflict.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.analysis.facts import Figure

MAX_CREDIT = 80
MAX_CLAIMS = 20  # per kind and incident; the oldest non-current ones go first
OUTLIER_FACTOR = 3.0
CORROBORATION = 0.8
OUTLIER_WINDOW = timedelta(hours=6)
CONFLICT_WINDOW = timedelta(hours=12)

# The lowest honest reading of a figure without a number.
_LOWER_BOUND = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "tens": 20}
_QUALIFIER_RANK = {"up_to": 0, "about": 1, "exact": 1, "at_least": 2, "more_than": 3}
_QUALIFIER_WORDS = {
    "more_than": "more than ",
    "at_least": "at least ",
    "about": "about ",
    "up_to": "up to ",
}


def lowest_reading(value: int | None, qualifier: str) -> int:
    """A figure as a number to compare: its value, or for "hundreds" and the like the lowest
    honest reading (200), 0 when nothing can be read."""
    return value if value is not None else _LOWER_BOUND.get(qualifier, 0)


@dataclass(slots=True, frozen=True)
class Claim:
    value: int | None
    qualifier: str
    reporter: str | None
    source: str
    url: str | None
    at: datetime
    cumulative: bool = False

    @property
    def number(self) -> int:
        """The value to compare and to reach severity levels with."""
        return lowest_reading(self.value, self.qualifier)

    @property
    def who(self) -> str:
        """Who the figure comes from, for telling reporters apart: the reporter it names, else
        the outlet."""
        return _short(self.reporter or self.source or "unattributed")

    @property
    def credited(self) -> str:
        """Who the figure is credited to, as shown: the reporter, with the outlet as "via"
        when they differ ("SOHR, via Reuters"); the outlet alone when no reporter is named.
        Each name at most MAX_CREDIT characters: it is outside text going into every alert."""
        if not self.reporter or not self.source:
            return self.who
        reporter, source = _short(self.reporter), _short(self.source)
        if reporter.casefold() == source.casefold():
            return reporter
        return f"{reporter}, via {source}"

    def sort_key(self) -> tuple[int, int, datetime]:
        return (self.number, _QUALIFIER_RANK.get(self.qualifier, 1), self.at)

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "qualifier": self.qualifier,
            "reporter": self.reporter,
            "source": self.source,
            "url": self.url,
            "at": self.at.isoformat(),
            "cumulative": self.cumulative,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Claim":
        return cls(
            value=data.get("value"),
            qualifier=data.get("qualifier") or "exact",
            reporter=data.get("reporter"),
            source=data.get("source") or "",
            url=data.get("url"),
            at=datetime.fromisoformat(data["at"]),
            cumulative=bool(data.get("cumulative")),
        )

    @classmethod
    def from_figure(cls, figure: Figure, *, source: str, url: str | None, at: datetime) -> "Claim":
        return cls(
            value=figure.value,
            qualifier=figure.qualifier or "exact",
            reporter=figure.reporter,
            source=source,
            url=url,
            at=at,
            cumulative=figure.cumulative,
        )


def _short(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= MAX_CREDIT else name[: MAX_CREDIT - 1] + "…"


def _outlet(claim: Claim) -> str:
    return (claim.source or claim.reporter or claim.url or "").lower()


def _credible(claim: Claim, outlet: str, numbered: list[tuple[Claim, str]]) -> bool:
    recent = 0
    for other, other_outlet in numbered:
        if other_outlet == outlet:
            continue
        if other.number >= CORROBORATION * claim.number:
            return True  # another outlet says about as much or more
        if other.at >= claim.at - OUTLIER_WINDOW:
            recent = max(recent, other.number)
    return not recent or claim.number <= OUTLIER_FACTOR * recent


def is_credible(claim: Claim, claims: list[Claim]) -> bool:
    """False for a single outlet's outlier (see the module docstring)."""
    numbered = [(c, _outlet(c)) for c in claims if c.number > 0]
    return _credible(claim, _outlet(claim), numbered)


def current(claims: list[Claim]) -> Claim | None:
    """The current figure of one kind (see the rule above); None when no claim has a number."""
    numbered = [(c, _outlet(c)) for c in claims if c.number > 0]
    if len({outlet for _, outlet in numbered}) <= 1:  # one outlet: nobody to contradict it
        return max((c for c, _ in numbered), key=Claim.sort_key, default=None)
    credible = [c for c, outlet in numbered if _credible(c, outlet, numbered)]
    return max(credible, key=Claim.sort_key, default=None)


def conflicts(claims: list[Claim]) -> list[Claim]:
    """Figures that disagree with the current one, the current one first: each other reporter's
    newest claim made around the same time (CONFLICT_WINDOW) or set aside as an outlier. An
    older, lower figure is a superseded toll, not a conflict. Empty when nothing disagrees."""
    now = current(claims)
    if now is None:
        return []
    latest: dict[str, Claim] = {}
    for claim in sorted((c for c in claims if c.number > 0), key=lambda c: c.at):
        latest[claim.who.lower()] = claim
    latest.pop(now.who.lower(), None)
    differing = [
        c
        for c in latest.values()
        if (c.number, c.qualifier) != (now.number, now.qualifier)
        and (c.at >= now.at - CONFLICT_WINDOW or c.number > now.number)
    ]
    return [now, *sorted(differing, key=Claim.sort_key, reverse=True)] if differing else []


def trim(claims: list[Claim], keep: Claim | None) -> list[Claim]:
    """At most MAX_CLAIMS, dropping the oldest first but never the current one."""
    if len(claims) <= MAX_CLAIMS:
        return claims
    rest = sorted((c for c in claims if c is not keep), key=lambda c: c.at)
    kept = rest[len(claims) - MAX_CLAIMS :]
    return sorted([*kept, keep] if keep is not None else kept, key=lambda c: c.at)


def phrase(value: int | None, qualifier: str) -> str:
    """ "more than 1,000", "745", "hundreds" (plain text, not escaped)."""
    if value is None:
        return qualifier.replace("_", " ")
    return f"{_QUALIFIER_WORDS.get(qualifier, '')}{value:,}"


def claim_phrase(claim: Claim) -> str:
    return phrase(claim.value, claim.qualifier)
