"""Line endings: a short text never ends on a line of its own with a single short word."""

from __future__ import annotations

import re

NBSP = "\u00a0"
# A last word up to this many letters would look stranded alone on a line: it is joined to the
# word before it. A longer one fills its line well enough.
SHORT_WORD = 8
# Texts of fewer words are left alone: joining two of three words leaves nothing to balance.
MIN_WORDS = 3


def keep_last_word(text: str) -> str:
    """Join the last word of each line of `text` to the word before it with a no-break space,
    when the last word is short, so that a headline, demand or caption never ends on one."""
    return "\n".join(_keep(line) for line in text.split("\n"))


# Chinese and Japanese break between any two characters: their last few are joined instead.
WORD_JOINER = "\u2060"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
CJK_KEPT = 3


def _keep(line: str) -> str:
    stripped = line.rstrip()
    cut = stripped.rfind(" ")
    if cut < 0 and len(_CJK.findall(stripped)) > 2 * CJK_KEPT:
        return _keep_cjk(stripped) + line[len(stripped) :]
    if cut <= 0 or len(stripped.split()) < MIN_WORDS:
        return line
    last = stripped[cut + 1 :]
    letters = sum(ch.isalnum() for ch in last)
    # An address or markup written out is printed exactly as written.
    if letters > SHORT_WORD or any(ch in last for ch in "/@=<>"):
        return line
    return stripped[:cut].rstrip(" ") + NBSP + last + line[len(stripped) :]


def _keep_cjk(text: str) -> str:
    """`text` with word joiners between its last CJK_KEPT letters (its closing punctuation
    stays with them by the line-breaking rules), so that "な！" never stands alone."""
    places = [i for i, ch in enumerate(text) if ch.isalnum()][-CJK_KEPT:]
    for i in reversed(places[1:]):
        text = text[:i] + WORD_JOINER + text[i:]
    return text


def release_last_word(text: str) -> str:
    """`text` with the no-break space keep_last_word put before the last word of each line
    made a plain space again: for a headline whose last two words do not fit one line even at
    its smallest size, where the glue would break a word instead."""
    return "\n".join(_release(line) for line in text.split("\n"))


def _release(line: str) -> str:
    stripped = line.rstrip()
    token = stripped[stripped.rfind(" ") + 1 :]
    glue = token.find(NBSP)
    if glue <= 0:
        return line
    last = token[glue + 1 :]
    if sum(ch.isalnum() for ch in last) > SHORT_WORD or any(ch in last for ch in "/@=<>"):
        return line  # not what keep_last_word joins: a phone number, an address
    start = len(stripped) - len(token)
    return line[: start + glue] + " " + line[start + glue + 1 :]


_OPENING = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*\bclass=\"([^\"]*)\"[^>]*>")
_LINE_BREAK = re.compile(r"<br\s*/?>")


def release_last_words_in(html: str, selector: str) -> str:
    """`html` with release_last_word applied to the text of the elements of a class selector
    (".headline"); any other selector leaves it as it is."""
    if not selector.startswith(".") or " " in selector:
        return html
    name, out, at = selector[1:], [], 0
    for opening in _OPENING.finditer(html):
        if name not in opening.group(2).split() or opening.start() < at:
            continue
        close = html.find(f"</{opening.group(1)}>", opening.end())
        if close < 0:
            continue
        inner = html[opening.end() : close]
        # Each line of the text: the markup of a <br> stands where a line ended.
        parts = _LINE_BREAK.split(inner)
        breaks = _LINE_BREAK.findall(inner)
        released = "".join(
            release_last_word(part) + (breaks[i] if i < len(breaks) else "")
            for i, part in enumerate(parts)
        )
        out.append(html[at : opening.end()] + released)
        at = close
    out.append(html[at:])
    return "".join(out)
