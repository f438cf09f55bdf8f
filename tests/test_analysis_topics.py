"""Topics: the documented list, what users type, and what a report is about."""

import pytest

from bot.analysis.topics import TOPICS, detect_topics, match_topic


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("epidemics", "epidemic"),
        ("disease outbreak", "epidemic"),
        ("cholera", "epidemic"),
        ("airstrikes", "airstrike_shelling"),
        ("floods", "flood"),
        ("Armed conflict", "armed_conflict"),
        ("armed_conflict", "armed_conflict"),
        ("earthquakes", "earthquake"),
    ],
)
def test_match_topic(query: str, topic: str) -> None:
    assert match_topic(query) == [topic]


def test_unknown_query_matches_nothing() -> None:
    assert match_topic("knitting patterns") == []
    assert match_topic("") == []


def test_every_topic_has_a_label() -> None:
    assert {"armed_conflict", "airstrike_shelling", "massacre_reprisal", "terrorism_bombing",
            "protest_unrest", "earthquake", "flood", "storm", "epidemic", "food_insecurity",
            "displacement"} <= set(TOPICS)
    assert all(label for label in TOPICS.values())


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("A drone strike hit a market in the town on Sunday.", "airstrike_shelling"),
        ("Des frappes aériennes ont visé le quartier.", "airstrike_shelling"),
        ("Las inundaciones arrasaron tres barrios.", "flood"),
        ("قصف مدفعي استهدف الحي الشرقي", "airstrike_shelling"),
        ("A 6.1 magnitude earthquake struck before dawn.", "earthquake"),
        ("Health officials declared a cholera outbreak in the camps.", "epidemic"),
    ],
)
def test_detect_topics_in_each_language(text: str, topic: str) -> None:
    assert topic in detect_topics(text)


def test_stormed_is_not_a_storm() -> None:
    assert "storm" not in detect_topics("Gunmen stormed the village before dawn.")


def test_french_attack_on_civilians_reads_as_armed_violence_and_killings() -> None:
    text = ("Des assaillants armés ont ouvert le feu sur des civils dans un village, "
            "faisant au moins douze civils tués, selon une source locale.")
    assert detect_topics(text) == ["armed_conflict", "massacre_reprisal"]


def test_french_bad_weather_is_a_flood() -> None:
    assert "flood" in detect_topics("Les intempéries ont fait 40 morts dans le sud du pays.")
