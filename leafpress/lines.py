"""Line endings: a short text never ends on a line of its own with a single short word."""

from __future__ import annotations

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


def _keep(line: str) -> str:
    stripped = line.rstrip()
    cut = stripped.rfind(" ")
    if cut <= 0 or len(stripped.split()) < MIN_WORDS:
        return line
    last = stripped[cut + 1 :]
    letters = sum(ch.isalnum() for ch in last)
    # An address or markup written out is printed exactly as written.
    if letters > SHORT_WORD or any(ch in last for ch in "/@=<>"):
        return line
    return stripped[:cut].rstrip(" ") + NBSP + last + line[len(stripped) :]
