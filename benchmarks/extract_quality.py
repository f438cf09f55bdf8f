"""Score the analysis stage on the hand-annotated corpus in tests/data/analysis_corpus/*.jsonl.

Prints, overall and per language: killed / injured / displaced exact match (value and
qualifier, null = null counts), main-country accuracy, place recall and precision (name
case-insensitive and country), topic F1 (micro), and the share of "negative" passages where no
casualty figure was invented; then, separately, the totals on the held-out set
(tests/data/analysis_heldout/), which nothing is tuned on and which so measures generalisation.
Run: `.venv/bin/python benchmarks/extract_quality.py [-v] [--corpus DIR]`; with --corpus, only
that directory is scored.
"""

import argparse
import glob
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.analysis import analyse  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "analysis_corpus"
HELDOUT = ROOT / "tests" / "data" / "analysis_heldout"
KINDS = ("killed", "injured", "displaced", "missing")


def _figure(value: dict | None) -> tuple | None:
    return None if value is None else (value.get("value"), value.get("qualifier"))


def _places(items: list[dict]) -> set[tuple[str, str]]:
    return {(p["name"].strip().casefold(), p.get("country")) for p in items}


class Score:
    def __init__(self) -> None:
        self.n = 0
        self.hits: dict[str, int] = defaultdict(int)
        self.country = 0
        self.place_tp = self.place_exp = self.place_got = 0
        self.topic_tp = self.topic_exp = self.topic_got = 0
        self.negatives = self.clean_negatives = 0

    def add(self, expected: dict, got: dict, negative: bool) -> None:
        self.n += 1
        for kind in KINDS:
            self.hits[kind] += _figure(expected.get(kind)) == _figure(got.get(kind))
        exp_countries = expected.get("countries") or []
        got_countries = got.get("countries") or []
        self.country += (exp_countries[:1] == got_countries[:1])
        exp_places, got_places = _places(expected.get("places", [])), _places(got["places"])
        self.place_tp += len(exp_places & got_places)
        self.place_exp += len(exp_places)
        self.place_got += len(got_places)
        exp_topics, got_topics = set(expected.get("topics", [])), set(got["topics"])
        self.topic_tp += len(exp_topics & got_topics)
        self.topic_exp += len(exp_topics)
        self.topic_got += len(got_topics)
        if negative:
            self.negatives += 1
            self.clean_negatives += all(got.get(kind) is None for kind in KINDS)

    def line(self, name: str) -> str:
        def pct(a: int, b: int) -> str:
            return f"{100 * a / b:5.1f}%" if b else "   n/a"

        precision = self.topic_tp / self.topic_got if self.topic_got else 0.0
        recall = self.topic_tp / self.topic_exp if self.topic_exp else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return (
            f"{name:8} n={self.n:4}  killed {pct(self.hits['killed'], self.n)}  "
            f"injured {pct(self.hits['injured'], self.n)}  "
            f"displaced {pct(self.hits['displaced'], self.n)}  "
            f"missing {pct(self.hits['missing'], self.n)}  "
            f"country {pct(self.country, self.n)}  "
            f"places R {pct(self.place_tp, self.place_exp)} P {pct(self.place_tp, self.place_got)}"
            f"  topic F1 {100 * f1:5.1f}%  "
            f"negatives clean {pct(self.clean_negatives, self.negatives)} "
            f"({self.negatives})"
        )


def _rows(corpus: Path) -> list[dict]:
    rows = []
    for path in sorted(glob.glob(str(corpus / "*.jsonl"))):
        with open(path, encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh if line.strip()]
    return rows


def _score(rows: list[dict], verbose: bool) -> tuple[Score, dict[str, Score]]:
    overall = Score()
    by_lang: dict[str, Score] = defaultdict(Score)
    for row in rows:
        got = analyse(row["text"], title=row.get("title")).to_dict()
        expected = row["expected"]
        negative = "negative" in row.get("tags", [])
        overall.add(expected, got, negative)
        by_lang[row.get("lang", "?")].add(expected, got, negative)
        if verbose:
            _explain(row, expected, got)
    return overall, by_lang


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="explain each miss")
    parser.add_argument("--corpus", type=Path, help="score only this directory of *.jsonl")
    args = parser.parse_args(argv)
    corpus = args.corpus or CORPUS
    rows = _rows(corpus)
    if not rows:
        print(f"no corpus found in {corpus}")
        return 1
    overall, by_lang = _score(rows, args.verbose)
    print(f"corpus {corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus}")
    print(overall.line("overall"))
    for lang in sorted(by_lang):
        print(by_lang[lang].line(lang))
    if args.corpus is None:
        # Totals only, never the misses: reading them would turn the held-out set into
        # one more set to tune on.
        heldout = _rows(HELDOUT)
        if heldout:
            held, held_by_lang = _score(heldout, verbose=False)
            print(f"held-out {HELDOUT.relative_to(ROOT)} (not tuned on)")
            print(held.line("overall"))
            for lang in sorted(held_by_lang):
                print(held_by_lang[lang].line(lang))
    return 0


def _explain(row: dict, expected: dict, got: dict) -> None:
    problems = []
    for kind in KINDS:
        if _figure(expected.get(kind)) != _figure(got.get(kind)):
            want, have = _figure(expected.get(kind)), _figure(got.get(kind))
            problems.append(f"{kind}: want {want} got {have}")
    if (expected.get("countries") or [])[:1] != got["countries"][:1]:
        problems.append(f"country: want {expected.get('countries')} got {got['countries']}")
    missing = _places(expected.get("places", [])) - _places(got["places"])
    extra = _places(got["places"]) - _places(expected.get("places", []))
    if missing or extra:
        problems.append(f"places: missing {sorted(missing)} extra {sorted(extra)}")
    if set(expected.get("topics", [])) != set(got["topics"]):
        problems.append(f"topics: want {expected.get('topics')} got {got['topics']}")
    if problems:
        print(f"--- {row['id']}: " + "; ".join(problems))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
