"""A throwaway PostgreSQL server for the storage tests.

ALERTBOT_TEST_POSTGRES_URL points the tests at a running server. Without it, a private cluster
is started from the machine's PostgreSQL binaries (Debian's `postgresql` package) in a temporary
folder on a free loopback port, and removed afterwards. `.ci/run` installs the package.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def find_bin_dir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def temporary_server(bin_dir: Path) -> Iterator[str]:
    """Start a cluster and yield its SQLAlchemy URL. PostgreSQL refuses to run as root, so as
    root the cluster belongs to the `postgres` system user the Debian package creates."""
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    base = Path(tempfile.mkdtemp(prefix="alertbot-pg-"))
    data, sockets = base / "data", base / "run"
    sockets.mkdir()
    if as_root:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    log = base / "server.log"
    try:
        subprocess.run(
            [*prefix, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "alertbot",
             "--no-sync", "-E", "UTF8"],
            check=True, capture_output=True,
        )
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "start",
             "-o", f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"],
            check=True, capture_output=True,
        )
        yield f"postgresql+psycopg://alertbot@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)
