"""Helpers that build fast patterns out of word lists.

Python's regex engine tries every alternative at every position. Two cheap tests up front
cut that work: a word-start gate with a class of possible first letters (`cue`), and
alternatives grouped under their first letter (`by_first_letter`).
"""

import re
from functools import cache


def first_letters(pattern: str) -> set[str]:
    """The letters a match of `pattern` can start with: "a|b(?:c|d)|(?:e|f)g" gives a, b, e,
    f. Only what the word lists use is read: letters, (?:...) groups, optional letters and
    groups, and look-arounds and \\b before the first letter."""
    return {char for alt in _alternatives_of(pattern) for char in _first_of(alt, pattern)}


_first_letters = first_letters


def _group_end(text: str) -> int:
    """Where the group opening `text` closes."""
    depth, at = 0, 0
    while at < len(text):
        if text[at] == "\\":
            at += 2
            continue
        depth += (text[at] == "(") - (text[at] == ")")
        if depth == 0:
            return at
        at += 1
    raise ValueError(f"unbalanced group: {text!r}")


def _first_of(alternative: str, pattern: str) -> set[str]:
    if alternative.startswith(("(?<", "(?=", "(?!")):  # a look-around: the letter follows it
        return _first_of(alternative[_group_end(alternative) + 1 :], pattern)
    if alternative.startswith("\\b"):
        return _first_of(alternative[2:], pattern)
    if alternative.startswith("(?:"):
        end = _group_end(alternative)
        inner, rest = alternative[3:end], alternative[end + 1 :]
        if rest[:1] in ("?", "*"):  # optional: what follows it may come first
            return _first_letters(inner) | _first_of(rest[1:], pattern)
        if "" in _alternatives_of(inner):
            return _first_letters(inner.replace("||", "|").strip("|")) | _first_of(rest, pattern)
        return _first_letters(inner)
    if alternative and alternative[0] not in "([\\.^$?*+|){":
        if alternative[1:2] in ("?", "*"):
            return {alternative[0]} | _first_of(alternative[2:], pattern)
        return {alternative[0]}
    raise ValueError(f"a cue must start with a letter: {pattern!r}")


def _alternatives_of(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern: "a|b(?:c|d)|" gives "a", "b(?:c|d)", ""."""
    out, depth, start, at = [], 0, 0, 0
    while at < len(pattern):
        if pattern[at] == "\\":
            at += 2
            continue
        depth += (pattern[at] == "(") - (pattern[at] == ")")
        if pattern[at] == "|" and depth == 0:
            out.append(pattern[start:at])
            start = at + 1
        at += 1
    out.append(pattern[start:])
    return out


def cue(pattern: str) -> re.Pattern[str]:
    """A cue pattern, found only at word starts. Testing the word's first letter against one
    class before any alternative lets the engine pass over most positions at once."""
    first = "".join(sorted(re.escape(c) for c in _first_letters(pattern)))
    return re.compile(rf"(?<![\w\u0621-\u064a])(?=[{first}])(?:{pattern})")


def by_first_letter(parts: list[str]) -> str:
    """The alternatives of `parts` grouped under their first letter ("k(?:illed|illing)|d(?:ead|
    ied)"): at a word start the engine then tries one group, not every word of the list. A
    leading group is spread first ("(?:taken|admitted) to" gives "taken to|admitted to")."""
    groups: dict[str, list[str]] = {}
    for alternative in (alt for part in parts for alt in _spread(part)):
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "|".join(
        re.escape(first) + "(?:" + "|".join(sorted(rests, key=len, reverse=True)) + ")"
        for first, rests in sorted(groups.items())
    )


def _spread(pattern: str) -> list[str]:
    """The alternatives of a pattern, each starting with a plain letter."""
    out = []
    for alternative in _alternatives_of(pattern):
        if alternative.startswith("(?:"):
            end = _group_end(alternative)
            rest = alternative[end + 1 :]
            if rest[:1] in ("?", "*", "{", "+"):
                raise ValueError(f"a casualty word must start with a letter: {pattern!r}")
            out += [inner + rest for inner in _spread(alternative[3:end])]
        elif alternative[:1].isalpha() and alternative[1:2] not in ("?", "*", "{", "+"):
            out.append(alternative)
        else:
            raise ValueError(f"a casualty word must start with a letter: {pattern!r}")
    return out


# Python's regex engine tests a class such as \w by Unicode category, character by character;
# the same set spelt out as ranges compiles to a bitmap lookup, and long scans run about
# twice as fast. Characters past U+FFFF would make the spelt-out set slow, so it holds the
# Basic Multilingual Plane only and serves text that stays within it (see `in_bmp`).


@cache
def bmp_class(char_class: str) -> str:
    """The BMP characters a one-character class matches, as a class of ranges:
    bmp_class(r"[^\\W\\d_]") matches what r"[^\\W\\d_]" matches on text within the BMP."""
    everything = "".join(map(chr, range(0x10000)))
    runs = re.finditer(f"{char_class}+", everything)
    return "[" + "".join(
        re.escape(run[0][0]) + ("-" + re.escape(run[0][-1]) if len(run[0]) > 1 else "")
        for run in runs
    ) + "]"


def in_bmp(text: str) -> bool:
    """Whether the text holds no character past U+FFFF (emoji are past it)."""
    return text.isascii() or len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)
