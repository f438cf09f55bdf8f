"""How well the incident stage groups a hand-labelled corpus, and whether it alerts as it should.

    .venv/bin/python benchmarks/cluster_quality.py [--corpus tests/data/incident_corpus.jsonl]
                                                   [--verbose]

The corpus holds one report per line in arrival order (id, title, text, published, source, url,
lang, incident: the true label or null for an unrelated report, killed/displaced annotations).
Each report goes through the real analysis and the incident stage on an in-memory database.
Printed:
- pairwise precision and recall of the grouping (targets ≥ 0.9 and ≥ 0.85); an unrelated
  report is a group of its own;
- labelled incidents alerted `new` more than once (target 0);
- annotated rises of the killed or displaced figure by ≥ 25 % and ≥ 10 people ("hundreds" read
  as 200, as the engine reads it), and how many of them were alerted as `escalation` (target:
  all).
"""

import argparse
import json
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.analysis import analyse  # noqa: E402
from bot.incidents.engine import IncidentEngine  # noqa: E402
from bot.incidents.figures import lowest_reading  # noqa: E402
from storage.db import open_database, session_scope  # noqa: E402
from storage.models import Report  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "incident_corpus.jsonl"


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _number(annotation: Any) -> int | None:
    """An annotated figure as a number: 745, {"value": 745, …} or null. A figure without a
    number counts at its lowest reading, as the engine counts it ("hundreds" = 200): once
    subscribers heard "hundreds", "at least 200" tells them nothing worse."""
    if isinstance(annotation, dict):
        number = lowest_reading(annotation.get("value"), annotation.get("qualifier") or "")
        return number or None
    return annotation if isinstance(annotation, int) else None


def run(rows: list[dict]) -> list[dict]:
    db = open_database("sqlite://")
    engine = IncidentEngine()
    out = []
    with session_scope(db) as session:
        for row in rows:
            published = _time(row.get("published"))
            report = Report(
                external_id=str(row["id"]),
                url=row.get("url"),
                title=row.get("title") or "",
                text=row["text"],
                source_name=row.get("source") or "",
                published_at=published,
            )
            facts = analyse(report.text, title=report.title, published=published)
            outcome = engine.ingest(session, report, facts)
            out.append(
                {
                    "id": row["id"],
                    "incident": report.incident_id,
                    "decision": outcome.decision,
                    "severity": outcome.severity,
                    "reason": outcome.reason,
                    "killed": facts.killed.value if facts.killed else None,
                    "countries": facts.countries,
                }
            )
    return out


def pairwise(truth: list[Any], predicted: list[Any]) -> tuple[float, float]:
    same_true = same_pred = both = 0
    for i, j in combinations(range(len(truth)), 2):
        t = truth[i] is not None and truth[i] == truth[j]
        p = predicted[i] is not None and predicted[i] == predicted[j]
        same_true += t
        same_pred += p
        both += t and p
    return (both / same_pred if same_pred else 1.0), (both / same_true if same_true else 1.0)


def rises(rows: list[dict], results: list[dict]) -> tuple[int, int, list[str]]:
    """Annotated material rises, how many were escalations (or the first alert), and misses."""
    best: dict[tuple[Any, str], int] = {}
    total = hit = 0
    missed = []
    for row, result in zip(rows, results, strict=True):
        label = row.get("incident")
        if label is None:
            continue
        for kind in ("killed", "displaced"):
            value = _number(row.get(kind))
            if value is None:
                continue
            before = best.get((label, kind))
            if before is not None and value - before >= 10 and value >= 1.25 * before:
                total += 1
                if result["decision"] in ("escalation", "new"):
                    hit += 1
                else:
                    missed.append(
                        f"{row['id']}: {kind} {before} → {value} was {result['decision']}"
                    )
            best[(label, kind)] = max(before or 0, value)
    return total, hit, missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--verbose", action="store_true", help="print each report's outcome")
    args = parser.parse_args()
    try:
        lines = args.corpus.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        print(f"cannot read {args.corpus}: {exc.strerror}", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in lines if line.strip()]
    results = run(rows)

    truth = [
        row.get("incident") if row.get("incident") is not None else f"solo:{row['id']}"
        for row in rows
    ]
    predicted = [r["incident"] for r in results]
    precision, recall = pairwise(truth, predicted)
    news = Counter(
        row["incident"]
        for row, r in zip(rows, results, strict=True)
        if row.get("incident") is not None and r["decision"] == "new"
    )
    repeated = {label: n for label, n in news.items() if n > 1}
    total, hit, missed = rises(rows, results)
    labels = {row["incident"] for row in rows if row.get("incident") is not None}

    if args.verbose:
        groups: dict[Any, list[str]] = defaultdict(list)
        for row, r in zip(rows, results, strict=True):
            groups[r["incident"]].append(f"{row['id']}({row.get('incident')})")
            print(
                f"{row['id']:>12} true={row.get('incident')!s:<14} got={r['incident']!s:<4} "
                f"{r['decision']:<10} sev={r['severity']} {r['countries']} "
                f"killed={r['killed']} {r['reason'][:70]}"
            )
        for incident, members in groups.items():
            if len({m.split("(")[1] for m in members}) > 1:
                print(f"mixed incident {incident}: {' '.join(members)}")
    print(
        f"reports: {len(rows)}, labelled incidents: {len(labels)}, "
        f"unrelated: {sum(row.get('incident') is None for row in rows)}"
    )
    print(f"pairwise precision: {precision:.3f} (target >= 0.9)")
    print(f"pairwise recall: {recall:.3f} (target >= 0.85)")
    print(f"incidents alerted new more than once: {len(repeated)} (target 0) {repeated or ''}")
    print(f"material rises alerted: {hit}/{total} (target all)")
    for line in missed:
        print(f"  missed: {line}")
    print(f"decisions: {dict(Counter(r['decision'] for r in results))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
