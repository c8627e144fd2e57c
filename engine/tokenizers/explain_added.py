"""Added/special tokens are cut out of the text before anything else, mirroring `tokenizers`'
`AddedVocabulary::find_matches`: leftmost-longest matching (its Aho-Corasick automaton), then
the single_word / lstrip / rstrip options. Tokens with `normalized=False` are matched in the raw
text; those with `normalized=True` in each normalized piece."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Rust's `char::is_whitespace` / regex `\s`: the Unicode White_Space property (Python's
# str.isspace also counts U+001C..U+001F, which Rust does not).
WHITE_SPACE = frozenset(
    [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029,
     0x202F, 0x205F, 0x3000]
)
# Rust regex `\w`: Alphabetic + marks + decimal digits + connector punctuation + join controls.
_OTHER_ALPHABETIC_SYMBOLS = [(0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189)]


def is_space(ch: str) -> bool:
    return ord(ch) in WHITE_SPACE


def is_word_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    if cat[0] in "LM" or cat in ("Nd", "Nl", "Pc") or ch in "\u200c\u200d":
        return True
    cp = ord(ch)
    return any(a <= cp <= b for a, b in _OTHER_ALPHABETIC_SYMBOLS)


@dataclass(frozen=True)
class Added:
    id: int
    content: str  # the pattern searched for (normalized content for normalized tokens)
    single_word: bool
    lstrip: bool
    rstrip: bool
    special: bool


class Matcher:
    """Leftmost-longest, non-overlapping matching of a fixed set of strings."""

    def __init__(self, tokens: list[Added]):
        self.by_first: dict[str, list[Added]] = {}
        for order, t in enumerate(tokens):
            if t.content:
                self.by_first.setdefault(t.content[0], []).append((order, t))
        for k, lst in self.by_first.items():  # longest first; the earlier pattern on equal strings
            self.by_first[k] = [t for _, t in sorted(lst, key=lambda ot: (-len(ot[1].content), ot[0]))]

    def __bool__(self) -> bool:
        return bool(self.by_first)

    def find_iter(self, s: str):
        i = 0
        while i < len(s):
            for t in self.by_first.get(s[i], ()):
                if s.startswith(t.content, i):
                    yield t, i, i + len(t.content)
                    i += len(t.content)
                    break
            else:
                i += 1


def split_added(s: str, matcher: Matcher, skip_special: bool) -> list[tuple[int, int, Added | None]]:
    """[(start, end, added token or None)] covering `s` (char offsets), like find_matches."""
    if not s:
        return []
    out: list[tuple[int, int, Added | None]] = []
    done = 0
    for t, start, stop in matcher.find_iter(s):
        if skip_special and t.special:
            continue
        if t.single_word:
            start_ok = start == 0 or not is_word_char(s[start - 1])
            stop_ok = stop == len(s) or not is_word_char(s[stop])
            if not (start_ok and stop_ok):
                continue
        if t.lstrip:
            k = start
            while k > 0 and is_space(s[k - 1]):
                k -= 1
            start = max(k, done)
        if t.rstrip:
            while stop < len(s) and is_space(s[stop]):
                stop += 1
        if done < start:
            out.append((done, start, None))
        out.append((start, stop, t))
        done = stop
    if done != len(s):
        out.append((done, len(s), None))
    return out
