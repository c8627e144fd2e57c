"""The prompt's pieces after the first k steps of a tokenizer explanation, as character spans of
the prompt: what the tokens view colours while the step-through plays (no Qt here).

Words not reached yet are plain; a word whose BPE merges are under way shows its current symbols
(each merge joins two neighbours into one colour); a WordPiece word shows the pieces matched so
far; a finished word shows its final tokens, at the library's own offsets. Inside a final token a
symbol's characters are found from its bytes (a ByteLevel character or <0xNN> is one byte) when
those add up to the token's text, else shared in proportion; the boundaries between final tokens
are always the library's.
"""
from __future__ import annotations

from dataclasses import dataclass, field

DONE_KINDS = ("bpe_done", "bpe_whole_word", "wordpiece_done", "wordpiece_unk", "unigram_done", "wordlevel_lookup")


@dataclass(frozen=True)
class Span:
    start: int  # characters of the prompt, [start, end)
    end: int
    colour: int  # index into the view's palette
    label: str  # the piece as the tokenizer spells it
    fresh: bool = False  # made by the step just shown (a merge, a match)


@dataclass
class _Word:
    tokens: list[int] = field(default_factory=list)  # final token indices
    start_step: int | None = None
    done_step: int | None = None
    symbols: list[str] = field(default_factory=list)  # BPE's initial symbols
    merges: list[tuple[int, int]] = field(default_factory=list)  # (step, initial index of the left symbol)
    matches: list[int] = field(default_factory=list)  # WordPiece: the step of each piece's match
    word_tokens: list[str] = field(default_factory=list)  # the word's tokens, from its last step


def _symbol_bytes(sym: str, byte_level: bool) -> int:
    if len(sym) == 6 and sym.startswith("<0x") and sym.endswith(">"):
        return 1  # a byte-fallback token
    if byte_level:
        return len(sym)  # ByteLevel: one character per byte
    return len(sym.replace("▁", " ").encode("utf-8"))


def _group(groups: list[list[int]], start: int) -> None:
    """Merge the group that begins at initial symbol `start` with the one after it."""
    i = next(i for i, g in enumerate(groups) if g[0] == start)
    groups[i:i + 2] = [groups[i] + groups[i + 1]]


class PieceSteps:
    """Built once per explanation; `spans(k)` is the picture after its first k steps."""

    def __init__(self, exp):
        self.text, self.steps = exp.text, exp.steps
        self.tokens, self.offsets = list(exp.tokens), [tuple(o) for o in exp.offsets]
        pre = next((s.data.get("pre_tokenizer", "") for s in exp.steps if s.kind == "model"), "")
        self.byte_level = "ByteLevel" in str(pre)
        self.words: dict[int, _Word] = {}
        for k, s in enumerate(exp.steps):
            wi = s.data.get("word_index")
            if wi is None:
                continue
            w = self.words.setdefault(wi, _Word())
            if w.start_step is None:
                w.start_step = k
            if s.kind == "bpe_start":
                w.symbols = list(s.data.get("symbols", []))
            elif s.kind == "bpe_merge":
                w.merges.append((k, int(s.data["start"])))
            elif s.kind == "wordpiece_match":
                w.matches.append(k)
            if s.kind in DONE_KINDS:
                w.done_step = k
                w.word_tokens = list(s.data.get("tokens", []))
        self._place_words()
        owned = {t for w in self.words.values() for t in w.tokens}
        self.loose = [t for t in range(len(self.tokens)) if t not in owned and self.offsets[t][0] < self.offsets[t][1]]

    def _place_words(self) -> None:
        """Each word's final tokens among the explanation's, in order (added or special tokens and
        the post-processor's sit between them; a truncated word finds none)."""
        cursor = 0
        for wi in sorted(self.words):
            w = self.words[wi]
            want = w.word_tokens
            for j in range(cursor, len(self.tokens) - len(want) + 1):
                if want and self.tokens[j:j + len(want)] == want:
                    w.tokens = list(range(j, j + len(want)))
                    cursor = j + len(want)
                    break

    # --- the picture after k steps ------------------------------------------------------------
    def spans(self, k: int) -> list[Span]:
        out = [self._final(t) for t in self.loose if k > 0]
        for w in self.words.values():
            if not w.tokens or w.start_step is None or w.start_step >= k:
                continue  # not reached yet (or not found among the final tokens): plain text
            if w.done_step is not None and w.done_step < k:
                out += [self._final(t, fresh=w.done_step == k - 1 and not (w.merges or w.matches)) for t in w.tokens]
            elif w.matches:
                out += [self._final(t, fresh=w.matches[r] == k - 1)
                        for r, t in enumerate(w.tokens[:sum(m < k for m in w.matches)])]
            elif w.symbols:
                out += self._merging(w, k)
        return sorted(out, key=lambda s: (s.start, s.end))

    def _final(self, t: int, fresh: bool = False) -> Span:
        a, b = self.offsets[t]
        return Span(a, b, t, self.tokens[t], fresh)

    def _merging(self, w: _Word, k: int) -> list[Span]:
        """A BPE word part way through its merges: its current symbols, inside its final tokens."""
        n = len(w.symbols)
        final = [[i] for i in range(n)]
        for _, start in w.merges:
            _group(final, start)
        if len(final) != len(w.tokens):  # fused unknowns or the like: show the word as it ends
            return [self._final(t) for t in w.tokens]
        now = [[i] for i in range(n)]
        fresh_start = None
        for step, start in w.merges:
            if step < k:
                _group(now, start)
                if step == k - 1:
                    fresh_start = start
        cuts = self._char_cuts(w, final)  # initial symbol i begins at character cuts[i]
        out = []
        for g, grp in enumerate(now):
            a, b = cuts[grp[0]], cuts[grp[-1] + 1]
            label = "".join(w.symbols[i] for i in grp)
            out.append(Span(a, b, w.tokens[0] + g, label, grp[0] == fresh_start))
        return out

    def _char_cuts(self, w: _Word, final: list[list[int]]) -> list[int]:
        """The prompt character at which each initial symbol starts (and one past the last)."""
        cuts: list[int] = []
        for grp, t in zip(final, w.tokens):
            a, b = self.offsets[t]
            sizes = [_symbol_bytes(w.symbols[i], self.byte_level) for i in grp]
            piece = self.text[a:b]
            ends = []  # the byte offset at the end of each character of the piece
            for ch in piece:
                ends.append((ends[-1] if ends else 0) + len(ch.encode("utf-8")))
            total = sum(sizes)
            pos = 0
            for s in sizes:
                if total == (ends[-1] if ends else 0):  # the bytes add up: exact
                    c = sum(e <= pos for e in ends)  # characters wholly before this symbol
                else:  # shared in proportion
                    c = round(pos / max(total, 1) * (b - a))
                cuts.append(a + c)
                pos += s
        last = w.tokens[-1]
        cuts.append(self.offsets[last][1])
        return cuts
