"""Severity levels from figures, topics, structured source fields and escalation cues."""

from datetime import date, timedelta

import pytest

from bot.incidents import severity as sev
from bot.incidents.baseline import CountryTolls


@pytest.mark.parametrize(
    ("figures", "topics", "signals", "level"),
    [
        ({}, [], {}, sev.INFO),
        ({"killed": 3}, ["armed_conflict"], {}, sev.LOW),
        ({"killed": 3}, ["terrorism_bombing"], {}, sev.MEDIUM),
        ({"killed": 45}, [], {}, sev.MEDIUM),
        ({"killed": 200}, [], {}, sev.HIGH),
        ({"killed": 1000}, [], {}, sev.CRITICAL),
        ({"displaced": 800}, ["flood"], {}, sev.LOW),
        ({"displaced": 60_000}, ["flood"], {}, sev.HIGH),
        ({"injured": 5}, [], {}, sev.INFO),
        ({}, ["earthquake"], {"alert_level": "orange"}, sev.HIGH),
        ({}, ["earthquake"], {"alert_level": "RED"}, sev.CRITICAL),
        ({}, ["earthquake"], {"alert_level": "green"}, sev.INFO),
        ({}, ["armed_conflict"], {"fatalities": 12}, sev.MEDIUM),
        ({"killed": 3}, [], {"escalation": True}, sev.MEDIUM),
        ({"killed": 200}, [], {"escalation": True}, sev.HIGH),  # words alone never make critical
        ({}, [], {"escalation": True}, sev.INFO),
        ({"killed": 120}, [], {"baseline": sev.CRITICAL}, sev.CRITICAL),
    ],
)
def test_levels(figures, topics, signals, level):
    assert sev.compute(figures, topics, signals) == level


def test_levels_parse_from_names_and_numbers():
    assert sev.parse_level("High") == sev.HIGH and sev.parse_level("0") == sev.INFO
    assert sev.parse_level("extreme") is None and sev.parse_level("7") is None


def _tolls_with_history(days_of_history: int) -> tuple[CountryTolls, date]:
    today = date(2025, 3, 9)
    tolls = CountryTolls()
    tolls.add("SDN", today - timedelta(days=days_of_history), 5)
    tolls.add("SYR", today - timedelta(days=200), 60)  # a smaller peak within the year
    return tolls, today


def test_country_toll_at_its_highest_in_a_year_signals_high_once():
    tolls, today = _tolls_with_history(400)
    tolls.add("SYR", today - timedelta(days=2), 40)
    assert tolls.check("SYR", today - timedelta(days=2)) is None  # under 100
    tolls.add("SYR", today, 80)
    signal = tolls.check("SYR", today)
    assert signal is not None and signal.level == sev.HIGH and signal.toll == 120
    assert "highest in a year" in signal.reason("Syria")
    tolls.add("SYR", today, 10)
    assert tolls.check("SYR", today) is None  # said once a month, not at every report


def test_country_toll_below_an_earlier_peak_says_nothing():
    tolls, today = _tolls_with_history(400)
    tolls.add("SYR", today - timedelta(days=100), 500)
    tolls.add("SYR", today, 150)
    assert tolls.check("SYR", today) is None


def test_no_record_claimed_without_a_year_of_history():
    tolls, today = _tolls_with_history(20)
    tolls.add("SYR", today, 150)
    assert tolls.check("SYR", today) is None


def test_highest_in_three_years_is_critical():
    tolls, today = _tolls_with_history(3 * 365 + 5)
    tolls.add("SYR", today, 300)
    signal = tolls.check("SYR", today)
    assert signal is not None and signal.level == sev.CRITICAL and signal.years == 3
