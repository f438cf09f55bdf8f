"""`alertbot scan`: the README's no-token, no-network demonstration."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_scan_of_the_example_feed_prints_sourced_alerts(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALERTBOT_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "scan", "--sources", str(ROOT / "examples/sources.toml")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    alerts = re.findall(r"^=== (new|escalation) alert", out, re.M)
    assert len(alerts) >= 2, out
    assert "Syria" in out and "1,000" in out
    assert "Sudan" in out
    # The donor meeting is no incident: money is not a casualty figure.
    assert "20 million" not in out
    assert re.search(r"^3 report\(s\) read, \d+ alert\(s\) would be sent\.$", out, re.M)
    assert "Traceback" not in result.stderr
