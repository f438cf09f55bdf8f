"""Telegram-HTML parsing as the Bot API does it: tags in, plain text and entities out.

Only the tags Telegram documents are accepted, they must be well nested, and `&` must start
`&lt;`, `&gt;`, `&amp;`, `&quot;` or a numeric reference. Telegram itself keeps a stray `&`
literally; we refuse it, because in our messages it always means an outside string went in
unescaped. A bare `>` is accepted, as Telegram does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Tag name -> entity type; a few tags need attributes, checked in _entity_for.
_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{0,30}));")
_NAME_RE = re.compile(r"[a-zA-Z0-9-]*")
_ATTR_NAME_RE = re.compile(r"[a-zA-Z0-9_-]+")
_SPACE = " \t\r\n"


class HtmlError(ValueError):
    """Not valid Telegram HTML; str() is what Telegram says after "can't parse entities: "."""


@dataclass
class _Open:
    name: str
    attrs: dict[str, str]
    start: int  # index into the plain text (code points)
    byte_offset: int


@dataclass
class Parsed:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> Parsed:
    """Turn Telegram HTML into the plain text Telegram shows and its entities (UTF-16 offsets)."""
    out: list[str] = []
    out_len = 0  # code points in out so far
    stack: list[_Open] = []
    spans: list[tuple[int, int, dict[str, Any]]] = []  # (start, end, entity) in code points
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "&":
            decoded, i = _decode_entity(source, i)
            out.append(decoded)
            out_len += len(decoded)
            continue
        if ch != "<":
            j = i + 1
            while j < n and source[j] not in "<&":
                j += 1
            out.append(source[i:j])
            out_len += j - i
            i = j
            continue
        tag_offset = _byte_offset(source, i)
        if i + 1 < n and source[i + 1] == "/":
            i = _close_tag(source, i, tag_offset, stack, spans, out_len)
        else:
            tag, i = _open_tag(source, i, tag_offset)
            stack.append(_Open(tag[0], tag[1], out_len, tag_offset))
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    text = "".join(out)
    return Parsed(text, _to_utf16_entities(text, spans))


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _decode_entity(source: str, i: int) -> tuple[str, int]:
    match = _ENTITY_RE.match(source, i)
    if match is None:
        raise HtmlError(
            f'Unescaped "&" at byte offset {_byte_offset(source, i)}: write it as &amp;'
        )
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        if name not in _NAMED_ENTITIES:
            raise HtmlError(
                f'Unsupported HTML entity "&{name};" at byte offset {_byte_offset(source, i)}'
            )
        return _NAMED_ENTITIES[name], match.end()
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise HtmlError(f"Invalid character reference at byte offset {_byte_offset(source, i)}")
    return chr(code), match.end()


def _open_tag(source: str, i: int, tag_offset: int) -> tuple[tuple[str, dict[str, str]], int]:
    name_match = _NAME_RE.match(source, i + 1)
    assert name_match is not None  # the pattern accepts the empty string
    name = name_match.group().lower()
    if name not in _TAG_TYPES:
        raise HtmlError(f'Unsupported start tag "{name}" at byte offset {tag_offset}')
    j = name_match.end()
    attrs: dict[str, str] = {}
    n = len(source)
    while True:
        while j < n and source[j] in _SPACE:
            j += 1
        if j >= n:
            raise HtmlError(f"Unclosed start tag at byte offset {tag_offset}")
        if source[j] == ">":
            break
        attr_match = _ATTR_NAME_RE.match(source, j)
        if attr_match is None:
            raise HtmlError(f'Empty attribute name in the tag "{name}" at byte offset {tag_offset}')
        attr_name = attr_match.group().lower()
        j = attr_match.end()
        while j < n and source[j] in _SPACE:
            j += 1
        if j >= n or source[j] != "=":
            # Telegram allows a bare "expandable" on blockquote and nothing else.
            if name == "blockquote" and attr_name == "expandable":
                attrs[attr_name] = ""
                continue
            raise HtmlError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{name}" at byte offset {tag_offset}'
            )
        j += 1
        while j < n and source[j] in _SPACE:
            j += 1
        if j >= n:
            raise HtmlError(f"Unclosed start tag at byte offset {tag_offset}")
        value, j = _attribute_value(source, j, tag_offset)
        attrs[attr_name] = value
    return (name, attrs), j + 1


def _attribute_value(source: str, j: int, tag_offset: int) -> tuple[str, int]:
    quote = source[j]
    if quote in "\"'":
        end = source.find(quote, j + 1)
        if end < 0:
            raise HtmlError(f"Unclosed start tag at byte offset {tag_offset}")
        raw, j = source[j + 1 : end], end + 1
    else:
        end = j
        while end < len(source) and source[end] not in _SPACE + ">":
            end += 1
        raw, j = source[j:end], end
    return _unescape_attribute(raw, tag_offset), j


def _unescape_attribute(raw: str, tag_offset: int) -> str:
    if "&" not in raw:
        return raw
    parts: list[str] = []
    k = 0
    while k < len(raw):
        if raw[k] == "&":
            try:
                decoded, k = _decode_entity(raw, k)
            except HtmlError as exc:
                raise HtmlError(f"{exc} inside the tag at byte offset {tag_offset}") from None
            parts.append(decoded)
        else:
            parts.append(raw[k])
            k += 1
    return "".join(parts)


def _close_tag(
    source: str,
    i: int,
    tag_offset: int,
    stack: list[_Open],
    spans: list[tuple[int, int, dict[str, Any]]],
    out_len: int,
) -> int:
    end = source.find(">", i + 2)
    if end < 0:
        raise HtmlError(f"Unclosed end tag at byte offset {tag_offset}")
    name = source[i + 2 : end].strip().lower()
    if not stack:
        raise HtmlError(f"Unexpected end tag at byte offset {tag_offset}")
    opened = stack.pop()
    if opened.name != name:
        raise HtmlError(
            f'Unmatched end tag at byte offset {tag_offset}, expected "</{opened.name}>", '
            f'found "</{name}>"'
        )
    entity = _entity_for(opened, stack)
    if entity is not None and out_len > opened.start:
        spans.append((opened.start, out_len, entity))
    return end + 1


def _entity_for(opened: _Open, stack: list[_Open]) -> dict[str, Any] | None:
    kind = _TAG_TYPES[opened.name]
    attrs = opened.attrs
    if opened.name == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlError(
            f'Tag "span" must have class "tg-spoiler" at byte offset {opened.byte_offset}'
        )
    if kind == "text_link":
        href = attrs.get("href", "")
        if not href:
            return None  # Telegram drops a link without a target and keeps its text
        if href.startswith("tg://user?id="):
            user_id = href.removeprefix("tg://user?id=")
            if user_id.isdigit():
                return {"type": "text_mention", "user": {"id": int(user_id), "is_bot": False,
                                                          "first_name": "User"}}
        return {"type": "text_link", "url": href}
    if kind == "custom_emoji":
        emoji_id = attrs.get("emoji-id", "")
        if not emoji_id:
            raise HtmlError(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {opened.byte_offset}'
            )
        return {"type": "custom_emoji", "custom_emoji_id": emoji_id}
    if kind == "blockquote" and "expandable" in attrs:
        return {"type": "expandable_blockquote"}
    if kind == "code" and stack and stack[-1].name == "pre":
        # <pre><code class="language-x"> gives the pre block its language.
        language = attrs.get("class", "").removeprefix("language-")
        if language and attrs.get("class", "").startswith("language-"):
            stack[-1].attrs["_language"] = language
    if kind == "pre" and attrs.get("_language"):
        return {"type": "pre", "language": attrs["_language"]}
    return {"type": kind}


def _to_utf16_entities(
    text: str, spans: list[tuple[int, int, dict[str, Any]]]
) -> list[dict[str, Any]]:
    if not spans:
        return []
    # Map code-point indices to UTF-16 offsets only when the text has astral characters.
    astral = any(ord(c) > 0xFFFF for c in text)
    entities = []
    for start, end, entity in spans:
        if astral:
            offset = utf16_len(text[:start])
            length = utf16_len(text[start:end])
        else:
            offset, length = start, end - start
        # A code block nested directly in pre only carries the language; Telegram drops it.
        entities.append({**entity, "offset": offset, "length": length})
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return _drop_code_inside_pre(entities)


def _drop_code_inside_pre(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Telegram keeps no formatting inside code or pre blocks: nested entities are dropped."""
    blocks = {(e["offset"], e["offset"] + e["length"]) for e in entities
              if e["type"] in ("code", "pre")}
    if not blocks:
        return entities
    pres = {(e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] == "pre"}
    kept = []
    for entity in entities:
        span = (entity["offset"], entity["offset"] + entity["length"])
        if entity["type"] == "code" and span in pres:
            continue  # <pre><code class=...> only gave the pre block its language
        if any(b[0] <= span[0] and span[1] <= b[1] and b != span for b in blocks):
            continue
        kept.append(entity)
    return kept


def strip_parsed(parsed: Parsed) -> Parsed:
    """Trim surrounding whitespace as Telegram does, moving and clipping entities to match."""
    text = parsed.text
    stripped = text.strip()
    if stripped == text or not parsed.entities:
        return Parsed(stripped, parsed.entities if stripped == text else [])
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    size = utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return Parsed(stripped, entities)
