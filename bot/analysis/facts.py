"""What analysis reads out of one report. `Facts.to_dict()` is the `alertbot extract` contract."""

from dataclasses import asdict, dataclass, field
from typing import Any

FIGURE_KINDS = ("killed", "injured", "displaced", "missing")


@dataclass(slots=True)
class Figure:
    value: int | None  # None for "hundreds", "dozens" … with no number to invent
    qualifier: str  # exact|at_least|more_than|about|up_to|hundreds|dozens|thousands|…
    reporter: str | None = None  # "SOHR", "the health ministry"
    scope: str | None = None  # what it counts, e.g. "Alawite civilians", "since Thursday"
    cumulative: bool = False  # a running total ("has climbed to") rather than a new count

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "qualifier": self.qualifier, "reporter": self.reporter}


@dataclass(slots=True)
class Place:
    name: str  # as written in the text
    country: str | None  # ISO3
    admin1: str | None
    pcode: str | None
    lat: float | None
    lon: float | None
    kind: str = "town"  # country | admin1 | town

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "admin1": self.admin1,
            "pcode": self.pcode,
            "lat": self.lat,
            "lon": self.lon,
        }


@dataclass(slots=True)
class Facts:
    lang: str = "en"
    countries: list[str] = field(default_factory=list)  # ISO3, main country first
    places: list[Place] = field(default_factory=list)
    killed: Figure | None = None
    injured: Figure | None = None
    displaced: Figure | None = None
    missing: Figure | None = None
    other_figures: list[dict[str, Any]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    escalation: bool = False

    def to_dict(self, id_: Any = None) -> dict[str, Any]:
        out: dict[str, Any] = {} if id_ is None else {"id": id_}
        out["lang"] = self.lang
        out["countries"] = list(self.countries)
        out["places"] = [p.to_dict() for p in self.places]
        for kind in FIGURE_KINDS:
            fig = getattr(self, kind)
            out[kind] = None if fig is None else fig.to_dict()
        out["other_figures"] = list(self.other_figures)
        out["topics"] = list(self.topics)
        out["escalation"] = self.escalation
        return out

    def to_storage(self) -> dict[str, Any]:
        """Everything, including scope/cumulative/place kind, for the Report.facts column."""
        return asdict(self)

    @classmethod
    def from_storage(cls, data: dict[str, Any]) -> "Facts":
        data = dict(data)
        data["places"] = [Place(**p) for p in data.get("places", [])]
        for kind in FIGURE_KINDS:
            if data.get(kind) is not None:
                data[kind] = Figure(**data[kind])
        return cls(**data)
