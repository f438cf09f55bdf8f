"""Reconciled figures: which toll is current, and which disagreements are shown."""

from datetime import timedelta

from bot.incidents.figures import Claim, claim_phrase, conflicts, current, phrase, trim
from tests.test_incidents_support import at


def claim(value, qualifier="exact", reporter=None, source="Outlet", when=None) -> Claim:
    return Claim(value, qualifier, reporter, source, f"https://{source}.example/", when or at(7))


def test_climbing_toll_takes_the_newest_highest_figure():
    claims = [
        claim(200, "more_than", "a war monitor", "Wire One", at(7)),
        claim(745, "exact", "SOHR", "Gulf Daily", at(8)),
        claim(1000, "more_than", "SOHR", "Wire Two", at(9)),
    ]
    assert claim_phrase(current(claims)) == "more than 1,000"


def test_more_than_beats_the_same_exact_number():
    claims = [claim(1000, "exact", source="A"), claim(1000, "more_than", source="B")]
    assert current(claims).qualifier == "more_than"


def test_single_outlet_outlier_does_not_win_alone():
    claims = [
        claim(5000, "exact", "a local channel", "Channel", at(7, 10)),
        claim(310, "exact", "the health ministry", "Wire One", at(7, 12)),
        claim(300, "about", "the UN", "Wire Two", at(7, 13)),
    ]
    assert current(claims).value == 310
    shown = conflicts(claims)
    assert [c.value for c in shown] == [310, 5000, 300]


def test_outlier_wins_once_another_outlet_confirms_it():
    claims = [
        claim(5000, "exact", "a local channel", "Channel", at(7, 10)),
        claim(310, "exact", "the health ministry", "Wire One", at(7, 12)),
        claim(4500, "about", "the UN", "Wire Two", at(7, 20)),
    ]
    assert current(claims).value == 5000


def test_disagreeing_reporters_at_the_same_time_are_a_conflict():
    claims = [
        claim(745, "exact", "the ministry", "Wire One", at(9, 9)),
        claim(1000, "more_than", "SOHR", "Gulf Daily", at(9, 11)),
    ]
    assert [(c.credited, claim_phrase(c)) for c in conflicts(claims)] == [
        ("SOHR, via Gulf Daily", "more than 1,000"),
        ("the ministry, via Wire One", "745"),
    ]


def test_figure_names_its_reporter_and_the_outlet_only_when_they_differ():
    assert claim(9, reporter="SOHR", source="Sample feed").credited == "SOHR, via Sample feed"
    assert claim(9, reporter="Reuters", source="reuters").credited == "Reuters"
    assert claim(9, reporter=None, source="Sample feed").credited == "Sample feed"


def test_one_reporter_quoted_by_two_outlets_is_not_a_conflict():
    claims = [
        claim(1000, "more_than", "SOHR", "Wire One", at(9, 9)),
        claim(745, "exact", "SOHR", "Gulf Daily", at(9, 11)),
    ]
    assert conflicts(claims) == []


def test_older_lower_toll_is_superseded_not_a_conflict():
    claims = [
        claim(200, "more_than", "a war monitor", "Wire One", at(7)),
        claim(745, "exact", "SOHR", "Gulf Daily", at(8)),
    ]
    assert conflicts(claims) == []


def test_figures_without_a_number_count_at_their_lowest_reading():
    claims = [claim(None, "hundreds", source="A"), claim(150, "exact", source="A")]
    assert claim_phrase(current(claims)) == "hundreds"
    assert phrase(None, "dozens") == "dozens" and phrase(12, "at_least") == "at least 12"


def test_trim_keeps_the_current_figure_and_the_newest_claims():
    claims = [claim(9999, source="A", when=at(1))] + [
        claim(n, source="A", when=at(2) + timedelta(minutes=n)) for n in range(1, 60)
    ]
    kept = trim(claims, current(claims))
    assert len(kept) == 20 and kept[0].value == 9999 and kept[-1].value == 59
