"""The pacer's decisions at given moments (explicit times, no clock): Telegram's limits kept on
our side, and what a 429 pauses."""

import pytest

from bot.alerts.clock import digest_due_since, in_quiet_hours, quiet_until
from bot.alerts.pacing import Pacer


def test_messages_are_spread_below_the_global_rate():
    pacer = Pacer(rate=30)
    now = 100.0
    for chat in range(30):
        now += pacer.global_wait(now)
        pacer.take(chat, "private", now)
    # 30 messages take more than one second: never 30 inside a one-second window.
    assert now - 100.0 > 29 / 30


def test_a_private_chat_waits_a_second_and_a_group_three():
    pacer = Pacer(rate=30)
    pacer.take(1, "private", 10.0)
    pacer.take(-2, "group", 10.0)
    assert 11.0 < pacer.ready_at(1) < 11.5
    assert 13.0 <= pacer.ready_at(-2) < 13.5  # 20 per minute


def test_a_429_for_one_chat_pauses_that_chat_only():
    pacer = Pacer(rate=30)
    assert pacer.flood(5, retry_after=7, now=50.0) == "chat"
    assert pacer.ready_at(5) == 57.0
    assert pacer.global_wait(50.0) == 0


def test_429s_for_several_chats_at_once_pause_the_whole_bot():
    pacer = Pacer(rate=30)
    pacer.flood(1, retry_after=3, now=50.0)
    pacer.flood(2, retry_after=3, now=50.2)
    assert pacer.flood(3, retry_after=3, now=50.4) == "global"
    assert pacer.global_wait(50.4) == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("start", "end", "minute", "inside"),
    [
        (22 * 60, 7 * 60, 23 * 60, True),
        (22 * 60, 7 * 60, 3 * 60, True),
        (22 * 60, 7 * 60, 7 * 60, False),
        (22 * 60, 7 * 60, 12 * 60, False),
        (13 * 60, 14 * 60, 13 * 60 + 30, True),
        (None, None, 0, False),
    ],
)
def test_quiet_hours_windows_may_wrap_midnight(start, end, minute, inside):
    assert in_quiet_hours(start, end, minute) is inside


def test_quiet_hours_end_in_the_chats_zone_across_a_dst_change():
    from datetime import UTC, datetime

    # Night of the spring change in Zurich (29 March 2026, 02:00 → 03:00).
    now = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # 00:30 local, CET
    assert quiet_until("Europe/Zurich", 22 * 60, 7 * 60, now) == datetime(
        2026, 3, 29, 5, 0, tzinfo=UTC
    )  # 07:00 CEST
    assert digest_due_since("Europe/Zurich", 8, now) == datetime(2026, 3, 28, 7, 0, tzinfo=UTC)


def test_catching_up_after_a_stall_never_crowds_one_second():
    pacer = Pacer(rate=30)
    times = []
    now = 0.0
    for _ in range(200):
        now += pacer.global_wait(now)
        if len(times) % 7 == 0:
            now += 0.03  # the event loop woke up late
        pacer.take(len(times), "private", now)
        times.append(now)
    # Any 31 consecutive sends span more than a second: never over 30 in a one-second window.
    assert min(b - a for a, b in zip(times, times[30:], strict=False)) > 1.0
    # ... while the pace stays near the limit.
    assert 200 / times[-1] > 28.5
