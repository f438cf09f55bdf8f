"""Speed of the analysis stage: import + gazetteer load time, and reports/s for 2 KB reports.

Runs on one core (the process is pinned to one CPU where the OS allows it). Reports are built
from the evaluation corpus passages (tests/data/analysis_corpus), cut or joined to about 2 KB;
without a corpus, from a few passages below. Run:
`.venv/bin/python benchmarks/extract_speed.py [--seconds 5] [--stages]`; `--stages` also
prints the CPU time of each stage (language, places, figures, normalise, topics, escalation).
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FALLBACK = [
    "Since Thursday, more than 1,000 people have been killed on the coast, according to a "
    "monitoring group. Clashes around Jableh and Baniyas left at least 428 dead.",
    "Des affrontements ont fait au moins douze morts et des dizaines de blessés à Goma, dans "
    "le Nord-Kivu, selon les autorités locales.",
    "Al menos treinta personas murieron y más de 1.500 fueron desplazadas por las lluvias.",
    "قتل 20 شخصا وأصيب 35 آخرون في قصف على مدينة الفاشر في شمال دارفور.",
]


def _passages() -> list[str]:
    texts = []
    for path in sorted(glob.glob(str(ROOT / "tests/data/analysis_corpus/*.jsonl"))):
        with open(path, encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return texts or FALLBACK


def _reports(size: int = 2048) -> list[str]:
    passages = _passages()
    out = []
    for i, _ in enumerate(passages):
        text = ""
        j = i
        while len(text.encode("utf-8")) < size:
            text += passages[j % len(passages)] + "\n"
            j += 1
        out.append(text.encode("utf-8")[:size].decode("utf-8", "ignore"))
    return out


def _load_time() -> float:
    code = (
        "import time; t = time.perf_counter(); from bot.analysis import analyse; "
        "from bot.analysis.gazetteer import load; load(); "
        "print(time.perf_counter() - t)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def _stage_times(reports: list[str], seconds: float) -> dict[str, float]:
    """CPU ms per report of each stage of analyse(), called the way the pipeline calls it."""
    from bot.analysis.escalation import has_escalation
    from bot.analysis.figures import find_figures
    from bot.analysis.language import detect_language
    from bot.analysis.places import find_places
    from bot.analysis.text import normalise
    from bot.analysis.topics import detect_topics

    langs = [detect_language(text) for text in reports]
    folded = [normalise(text) for text in reports]
    stages = {
        "language": lambda i: detect_language(reports[i]),
        "places": lambda i: find_places(reports[i]),
        "figures": lambda i: find_figures(reports[i], title="", lang=langs[i]),
        "normalise": lambda i: normalise(reports[i]),
        "topics": lambda i: detect_topics(reports[i], folded[i]),
        "escalation": lambda i: has_escalation(reports[i], folded[i]),
    }
    out = {}
    for name, stage in stages.items():
        done = 0
        start = time.process_time()
        while time.process_time() - start < seconds / len(stages):
            stage(done % len(reports))
            done += 1
        out[name] = (time.process_time() - start) / done * 1000
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="time budget of the run")
    parser.add_argument("--stages", action="store_true",
                        help="also time each stage of the analysis (same budget again)")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    loads = sorted(_load_time() for _ in range(3))
    print(f"import + gazetteer load: median {loads[1]:.2f} s (min {loads[0]:.2f} s, 3 runs)")

    from bot.analysis import analyse
    from bot.analysis.gazetteer import load

    load()
    # The language model behind short or unusual texts loads on first use; a running bot has
    # paid that once, so it is loaded (and timed) here rather than inside the measured loop.
    from bot.analysis.language import _identifier

    model_start = time.perf_counter()
    _identifier()
    print(f"language model load (first short or unusual text): "
          f"{time.perf_counter() - model_start:.2f} s")
    reports = _reports()
    for text in reports[:5]:  # warm caches the way a running bot has them
        analyse(text)
    done = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    while time.perf_counter() - start < args.seconds:
        analyse(reports[done % len(reports)])
        done += 1
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    size = sum(len(r.encode()) for r in reports) / len(reports)
    # CPU time is what one core spent on us; wall time also counts other processes' turns.
    print(f"reports/s on one core: {done / cpu:.0f} by CPU time, {done / elapsed:.0f} by wall "
          f"time ({done} reports of ~{size:.0f} bytes, {cpu:.1f} s CPU in {elapsed:.1f} s)")
    if args.stages:
        times = _stage_times(reports, args.seconds)
        print("CPU ms per report by stage: " + ", ".join(
            f"{name} {ms:.3f}" for name, ms in times.items()
        ) + f" (whole analyse {cpu / done * 1000:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
