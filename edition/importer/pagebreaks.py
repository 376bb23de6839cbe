"""Page breaks: a blank line inside a sentence.

The transcripts mark the end of a page of the original only by a paragraph
break where no paragraph can end ("In the past we / knew who Nasser was").
The two blocks are one paragraph of the record with a ``pb`` between them.
"""

from __future__ import annotations

import re

_TRAILING = re.compile(r"(?:\^?\[\^?\d{1,3}\]|\\?\*|[\s\"”’'»)\]])+$")


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends where a paragraph can end (., ?, !, :, ;, …), calls and quotes aside."""
    stripped = _TRAILING.sub("", text.rstrip())
    return not stripped or stripped[-1] in ".!?:;…"


def continues(previous: str, following: str) -> bool:
    """Whether ``following`` continues the sentence ``previous`` broke off (a page break between).

    ``previous`` must stop mid-sentence; to tell a short heading from a broken
    sentence, it must also be prose-length or be followed by a lowercase word.
    """
    if ends_sentence(previous) or not following.strip():
        return False
    first = following.lstrip()[:1]
    return first.islower() or (len(previous.split()) >= 8 and (first.isalnum() or first in "“\"‘'("))
