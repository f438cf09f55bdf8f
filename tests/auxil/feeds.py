"""Feed items and RSS documents the end-to-end tests serve.

The items are written for these tests from public reporting (Syrian coast, March 2025; Idlib,
December 2024; North Darfur, April 2025); their dates are moved to "now" so that every item is
fresh news when the bot reads it.
"""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

# (guid, title, description)
LATAKIA = (
    "latakia-clashes",
    "Syria: clashes in Latakia countryside kill more than 70, monitor says",
    "Clashes between government security forces and gunmen loyal to the former government "
    "near Jableh in Latakia province have killed more than 70 people, according to the Syrian "
    "Observatory for Human Rights. A curfew was imposed on Latakia city.",
)
IDLIB = (
    "idlib-strikes",
    "Syria: air strikes on Idlib city kill at least 25, rescuers say",
    "At least 25 people, among them children, were killed in air strikes on a residential "
    "area of Idlib city in northwest Syria, the White Helmets civil defence group said.",
)
DARFUR = (
    "darfur-zamzam",
    "Sudan: attack on Zamzam camp in North Darfur kills at least 100",
    "At least 100 people were killed when the Rapid Support Forces attacked Zamzam camp near "
    "El Fasher in North Darfur, the United Nations said.",
)


def rss(*items: tuple[str, str, str], link: str | None = None, age: int = 0) -> str:
    """An RSS 2.0 feed; every item dated `age` minutes ago (newest first)."""
    now = datetime.now(UTC) - timedelta(minutes=age)
    entries = "".join(
        f"<item><title>{escape(title)}</title>"
        f"<link>{escape(link or f'https://example.org/{guid}')}</link>"
        f'<guid isPermaLink="false">{escape(guid)}</guid>'
        f"<pubDate>{format_datetime(now - timedelta(minutes=i))}</pubDate>"
        f"<description>{escape(text)}</description></item>"
        for i, (guid, title, text) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Test feed</title><link>https://example.org/</link>{entries}</channel></rss>"
    )
