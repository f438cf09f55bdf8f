"""The `alertbot` command: run the bot, or use one stage from a shell.

    alertbot run                         start the bot (long polling)
    alertbot scan [--sources FILE]       one poll cycle without Telegram; print the alerts
    alertbot extract [FILE] | --jsonl F  what analysis reads from report text (JSON)
    alertbot cluster --jsonl FILE        how reports group into incidents and alerts (JSON)
    alertbot check-source URL            fetch a source once and show what it would produce
"""

import sys
from collections.abc import Callable

USAGE = __doc__.strip()


def _run(argv: list[str]) -> int:
    from bot.config import SettingsError, load_settings
    from bot.logs import setup_logging

    if argv:
        print("usage: alertbot run   (configured by ALERTBOT_* variables)", file=sys.stderr)
        return 2
    try:
        settings = load_settings()
        token = settings.token()
    except SettingsError as exc:
        print(f"alertbot: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level, token)
    from bot.app import build_application
    from bot.sources.errors import CatalogueError

    try:
        application = build_application(settings)
    except (SettingsError, CatalogueError) as exc:
        print(f"alertbot: {exc}", file=sys.stderr)
        return 2
    application.run_polling(allowed_updates=["message", "callback_query", "my_chat_member"])
    return 0


def _scan(argv: list[str]) -> int:
    from bot.scan import main

    return main(argv)


def _extract(argv: list[str]) -> int:
    from bot.analysis.cli import main

    return main(argv)


def _cluster(argv: list[str]) -> int:
    from bot.incidents.cli import main

    return main(argv)


def _check_source(argv: list[str]) -> int:
    from bot.sources.check import main

    return main(argv)


COMMANDS: dict[str, Callable[[list[str]], int]] = {
    "run": _run,
    "scan": _scan,
    "extract": _extract,
    "cluster": _cluster,
    "check-source": _check_source,
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 2
    command = COMMANDS.get(argv[0])
    if command is None:
        print(f"alertbot: unknown command {argv[0]!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    try:
        return command(argv[1:])
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
