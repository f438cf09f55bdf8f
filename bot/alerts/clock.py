"""A chat's local time: quiet hours, digest hour, and how a moment reads in its time zone.

Pure functions over aware datetimes; a chat's time zone is an IANA name (Chat.timezone). An
unknown name falls back to UTC rather than failing a delivery.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MINUTES_PER_DAY = 24 * 60


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def in_quiet_hours(start: int | None, end: int | None, minute: int) -> bool:
    """Whether `minute` (of the local day) falls in [start, end), a window that may wrap
    midnight (22:00-07:00). Equal ends mean no quiet hours."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


def _at_local(day: datetime, minute: int) -> datetime:
    """The aware local datetime of `minute` on `day`'s date; a wall time skipped by a DST jump
    resolves forward (zoneinfo's fold=0 rule), which only moves a release a little later."""
    local = datetime.combine(day.date(), time(minute // 60, minute % 60), tzinfo=day.tzinfo)
    return local.astimezone(UTC).astimezone(day.tzinfo)


def quiet_until(
    tz_name: str | None, start: int | None, end: int | None, now: datetime
) -> datetime | None:
    """When the chat's current quiet hours end (UTC), or None if it is not in quiet hours."""
    local = now.astimezone(zone(tz_name))
    minute = local.hour * 60 + local.minute
    if not in_quiet_hours(start, end, minute):
        return None
    assert end is not None
    release = _at_local(local, end)
    if release <= local:  # the window wraps midnight: it ends tomorrow
        release = _at_local(local + timedelta(days=1), end)
    return release.astimezone(UTC)


def digest_due_since(tz_name: str | None, hour: int, now: datetime) -> datetime:
    """The most recent moment (UTC) the chat's daily digest hour struck, at or before `now`."""
    local = now.astimezone(zone(tz_name))
    today = _at_local(local, hour * 60)
    if today > local:
        today = _at_local(local - timedelta(days=1), hour * 60)
    return today.astimezone(UTC)


def local_stamp(moment: datetime, tz_name: str | None) -> str:
    """'25 Nov 2026, 14:05 EET': when something happened, as the chat reads it."""
    local = moment.astimezone(zone(tz_name))
    return f"{local:%d %b %Y, %H:%M} {local.tzname() or tz_name}"


def format_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
