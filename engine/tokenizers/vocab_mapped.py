"""A TextTokenizer whose ids come from a vocab.json, not from the SentencePiece file that cuts the
text (Marian, M2M100), as transformers' slow tokenizers do it: special tokens written in the text
are split out whole, each stretch between them is cut by the `sentencepiece` package itself, each
piece is looked up by its string in vocab.json (missing: the unknown token), and the layout's fixed
tokens (</s>, a language code) go around it. Decoding goes back through vocab.json and
sentencepiece's own decode_pieces.

The inner `tokenizers.Tokenizer` (`.tok`) segments the same way, rebuilt with `tokenizers`' parts, for
the step-through only; its explanation is checked against this encoding and refused where they
differ (its Precompiled normalizer drops a combining mark after a rewritten character, which
SentencePiece keeps)."""
from __future__ import annotations

import re
from dataclasses import replace

from tokenizers import Tokenizer

from .wrapper import Encoded, TextTokenizer


class VocabMappedTokenizer(TextTokenizer):
    def __init__(self, inner: Tokenizer, vocab: dict[str, int], unk: str, *, prefix: list[str],
                 suffix: list[str], specials: list[str], split: list[str], spm, join_special: str,
                 source: str = "", cleanup: bool = False, vocab_name: str = "vocab.json",
                 lang_code_prefix: bool = False, target_spm=None, target_prefix: list[str] | None = None):
        """specials: skipped by decode(skip_special); split: matched whole in text (specials and
        e.g. language tokens); spm: the sentencepiece.SentencePieceProcessor that cuts and decodes;
        lang_code_prefix: a stretch starting ">>xx<<" keeps that code whole (Marian's multilingual targets);
        target_spm / target_prefix: what encode_target uses instead (Marian's target.spm, M2M100's tgt_lang)."""
        super().__init__(inner, source, cleanup)
        self.vocab = dict(vocab)
        self.inverse = {i: t for t, i in self.vocab.items()}
        self.unk_id = self.vocab[unk]
        self.prefix, self.suffix = list(prefix), list(suffix)
        self.specials = set(specials)
        self.spm = spm
        self.lang_code_prefix = lang_code_prefix
        self.target_spm = target_spm
        self.target_prefix = target_prefix
        words = sorted(set(split), key=len, reverse=True)
        self._split = re.compile("|".join(map(re.escape, words))) if words else None
        self.join_special = join_special  # what follows a special token in decoded text (Marian: " ")
        self.vocab_name = vocab_name

    @property
    def vocab_size(self) -> int:
        return max(self.inverse) + 1 if self.inverse else 0

    def map_piece(self, piece: str) -> int:
        return self.vocab.get(piece, self.unk_id)

    def encode_target(self, text: str, special: bool = True) -> Encoded:
        """The target side: Marian cuts it with target.spm, M2M100 starts it with tgt_lang's token."""
        prefix = self.target_prefix if self.target_prefix is not None else self.prefix
        return self._encode(text, special, self.target_spm or self.spm, prefix)

    def _stretch(self, text: str, base: int, sp) -> tuple[list[str], list[tuple[int, int]]]:
        """SentencePiece's pieces of one stretch, with character offsets into the whole text (pieces
        with no characters of their own, like the dummy prefix or leading byte pieces, share the
        span of the piece that follows, as `tokenizers` reports them)."""
        if not text:
            return [], []
        if self.lang_code_prefix and text.startswith(">>") and (end := text.find("<<")) != -1:
            rest, spans = self._stretch(text[end + 2:], base + end + 2, sp)
            return [text[:end + 2]] + rest, [(base, base + end + 2)] + spans
        proto = sp.encode(text, return_type="proto")
        char_at = [0] * (len(text.encode("utf-8")) + 1)  # byte offset -> character offset
        b = 0
        for k, ch in enumerate(text):
            n = len(ch.encode("utf-8"))
            for j in range(n):
                char_at[b + j] = k
            b += n
        char_at[b] = len(text)
        pieces = [p.piece for p in proto.pieces]
        spans = [(base + char_at[p.begin], base + char_at[p.end]) for p in proto.pieces]
        for k in range(len(spans) - 2, -1, -1):
            if spans[k][0] == spans[k][1]:
                spans[k] = spans[k + 1]
        return pieces, spans

    def encode(self, text: str, special: bool = True) -> Encoded:
        return self._encode(text, special, self.spm, self.prefix)

    def _encode(self, text: str, special: bool, sp, prefix: list[str]) -> Encoded:
        tokens: list[str] = []
        offsets: list[tuple[int, int]] = []
        pos = 0
        for m in (self._split.finditer(text) if self._split else ()):
            p, o = self._stretch(text[pos:m.start()], pos, sp)
            tokens += p + [m.group()]
            offsets += o + [(m.start(), m.end())]
            pos = m.end()
        p, o = self._stretch(text[pos:], pos, sp)
        tokens += p
        offsets += o
        ids = [self.map_piece(t) for t in tokens]
        if special:
            head, tail = prefix, self.suffix
            ids = [self.vocab[t] for t in head] + ids + [self.vocab[t] for t in tail]
            tokens = head + tokens + tail
            offsets = [(0, 0)] * len(head) + offsets + [(0, 0)] * len(tail)
        return Encoded(ids, tokens, offsets)

    def id_to_token(self, i: int) -> str:
        return self.inverse.get(int(i), f"<{i}>")

    def token_to_id(self, token: str) -> int | None:
        return self.vocab.get(token)

    def decode(self, ids: list[int], skip_special: bool = True) -> str:
        special_ids = {self.vocab[t] for t in self.specials if t in self.vocab}
        tokens = [self.inverse.get(int(i), self.inverse[self.unk_id]) for i in ids
                  if not (skip_special and int(i) in special_ids)]
        out, run = "", []
        for t in tokens:
            if t in self.specials:
                out += self.spm.decode_pieces(run) + t + self.join_special
                run = []
            else:
                run.append(t)
        out += self.spm.decode_pieces(run)
        text = out.replace("▁", " ").strip()
        if self.cleanup:
            from .spm_common import clean_up_spaces

            text = clean_up_spaces(text)
        return text

    def token_strings(self, ids) -> list[str]:
        out = []
        for i in ids:
            t = self.id_to_token(i)
            out.append(t if t in self.specials else t.replace("▁", " "))
        return out

    def map_explanation(self, exp, special: bool = True):
        """The inner explanation (SentencePiece ids) carried on to this layout's ids: one step per
        lookup in vocab.json, then the fixed tokens; checked against encode()."""
        from .explain_steps import ExplainError, Step

        pieces = [t for t in exp.tokens]
        ids = [self.map_piece(t) for t in pieces]
        missing = [t for t in pieces if t not in self.vocab]
        steps = list(exp.steps)
        if steps and steps[-1].kind == "result":
            steps.pop()  # the inner result (SentencePiece ids); this layout's result ends the list
        desc = (f"look each of the {len(pieces)} piece(s) up in {self.vocab_name}: the model's ids are not "
                "the SentencePiece file's")
        if missing:
            desc += f"; {len(missing)} piece(s) missing from it become {self.inverse[self.unk_id]}"
        steps.append(Step("vocab_lookup", desc, {"tokens": pieces, "spm_ids": list(exp.ids), "ids": ids,
                                                 "missing": missing}))
        if special and (self.prefix or self.suffix):
            ids = [self.vocab[t] for t in self.prefix] + ids + [self.vocab[t] for t in self.suffix]
            pieces = self.prefix + pieces + self.suffix
            steps.append(Step("post_process", "add " + " and ".join(
                x for x in (("before: " + " ".join(self.prefix)) if self.prefix else "",
                            ("after: " + " ".join(self.suffix)) if self.suffix else "") if x),
                {"prefix": self.prefix, "suffix": self.suffix, "ids": ids, "tokens": pieces}))
        real = self.encode(exp.text, special)
        if ids != real.ids:
            raise ExplainError("this text cannot be explained faithfully: the step-through's rebuilt "
                               "segmentation differs from SentencePiece's own here (e.g. a combining mark "
                               "after a character the normalisation rewrites, or a byte piece typed as text)")
        # the same ids; the token strings and offsets are SentencePiece's own (an unknown piece keeps its text)
        pieces, offsets = real.tokens, real.offsets
        steps.append(Step("result", f"{len(ids)} token(s)", {"ids": ids, "tokens": pieces,
                                                          "offsets": [list(o) for o in offsets]}))
        return replace(exp, steps=steps, ids=ids, tokens=pieces, offsets=offsets)
