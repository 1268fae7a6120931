"""Words in what people typed: counting nouns ("1 response") and the frequent words of answers.

Qt-free, so the projector, the facilitator's window, the phones and the workbook say it alike.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

# A small English stop-word list: the words that top every count and say nothing about the answer.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each etc few for from further get gets got had hadn't has
    hasn't have haven't having he her here hers herself him himself his how i i'm i've if in into
    is isn't it it's its itself just let's like lot lots many may me might more most much must
    mustn't my myself need no nor not now of off on once one only or other ought our ours
    ourselves out over own really same shall she should shouldn't so some such than that that's
    the their theirs them themselves then there there's these they they're this those through
    to too under until up us very was wasn't we we're we've were weren't what what's when where
    which while who whom why will with won't would wouldn't yes yet you you're your yours
    yourself yourselves
    """.split()
)

WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


def plural(n: float, noun: str, nouns: str | None = None) -> str:
    """'1 response', '2 responses', '0 responses' (n is shown as a whole number when it is one)."""
    shown = f"{n:g}" if isinstance(n, float) else str(n)
    return f"{shown} {noun if n == 1 else (nouns or noun + 's')}"


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, without stop words, numbers or one-letter words."""
    return list(_words(text))


# The open answers are counted again on every drain of the votes while a room answers: each
# answer's words are found once (measured: 2,000 answers, 15 ms to count, 2 ms again).
@functools.lru_cache(maxsize=16_384)
def _words(text: str) -> tuple[str, ...]:
    out = []
    for match in WORD.finditer(text.casefold()):
        w = match.group().replace("’", "'").strip("'-")
        if len(w) > 2 and w not in STOPWORDS:
            out.append(w)
    return tuple(out)


def frequent_words(texts: Iterable[str], top: int = 20) -> list[tuple[str, int]]:
    """The most frequent words across `texts`, most first; ties in alphabetical order."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_words(text))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
