"""Plain text from what feeds put in their descriptions."""

from bot.sources.text import clean_text


def test_wrapped_lines_are_joined_so_sentences_read_whole():
    raw = "More than 1,000 were killed, according to the Syrian Observatory for\n" \
          "        Human Rights.\n\nA second paragraph."
    assert clean_text(raw) == (
        "More than 1,000 were killed, according to the Syrian Observatory for Human Rights."
        "\n\nA second paragraph."
    )


def test_list_items_keep_their_lines():
    assert clean_text("Arrivals by month:\n- March 2025\n- April 2025\n1. Adré") == (
        "Arrivals by month:\n- March 2025\n- April 2025\n1. Adré"
    )


def test_html_is_reduced_to_text_with_entities_decoded():
    assert clean_text("<p>Jableh &amp; Baniyas</p><script>x()</script><p>Two</p>") == (
        "Jableh & Baniyas\n\nTwo"
    )
