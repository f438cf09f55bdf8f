"""The text one chat receives for one outbox row: the alert's HTML plus when it happened, in the
chat's own time zone."""

from html import escape

from bot.alerts import clock
from bot.alerts.outbox import Job


def render(job: Job) -> str:
    """Alert.body_html is escaped Telegram HTML already; only what we add is escaped here."""
    text = job.body_html
    if job.event_at is not None:
        stamp = clock.local_stamp(job.event_at, job.timezone)
        text = f"{text}\n\n<i>{escape(stamp)}</i>"
    return text
