"""Language of a report."""

import pytest

from bot.analysis.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Twelve people were killed in the attack on the market, officials said.", "en"),
        ("Les affrontements ont fait au moins douze morts dans la ville selon la police.", "fr"),
        ("Al menos doce personas murieron en el ataque contra el mercado, según la policía.",
         "es"),
        ("قتل 12 شخصا في هجوم على السوق بحسب الشرطة", "ar"),
    ],
)
def test_detects_supported_languages(text: str, lang: str) -> None:
    assert detect_language(text) == lang
