"""A TextTokenizer whose ids come from a vocab.json, not from the SentencePiece file that cuts the
text (Marian, M2M100): the inner Tokenizer segments exactly like SentencePiece, on the file's own
ids; each piece is then looked up by its string in vocab.json (missing: the unknown token), and
the layout's fixed tokens (</s>, a language code) are added around it. Decoding goes back through
vocab.json and the `sentencepiece` package's own decode_pieces, as the slow tokenizers do."""
from __future__ import annotations

from dataclasses import replace

from tokenizers import Tokenizer

from .wrapper import Encoded, TextTokenizer


class VocabMappedTokenizer(TextTokenizer):
    def __init__(self, inner: Tokenizer, vocab: dict[str, int], unk: str, *, prefix: list[str],
                 suffix: list[str], specials: list[str], decode_spm, join_special: str, source: str = "",
                 cleanup: bool = False, vocab_name: str = "vocab.json"):
        super().__init__(inner, source, cleanup)
        self.vocab = dict(vocab)
        self.inverse = {i: t for t, i in self.vocab.items()}
        self.unk_id = self.vocab[unk]
        self.prefix, self.suffix = list(prefix), list(suffix)
        self.specials = set(specials)
        self.decode_spm = decode_spm  # sentencepiece.SentencePieceProcessor
        self.join_special = join_special  # what follows a special token in decoded text (Marian: " ")
        self.vocab_name = vocab_name

    @property
    def vocab_size(self) -> int:
        return max(self.inverse) + 1 if self.inverse else 0

    def map_piece(self, piece: str) -> int:
        return self.vocab.get(piece, self.unk_id)

    def encode(self, text: str, special: bool = True) -> Encoded:
        enc = self.tok.encode(text, add_special_tokens=False)
        tokens, offsets = list(enc.tokens), [tuple(o) for o in enc.offsets]
        ids = [self.map_piece(t) for t in tokens]
        if special:
            head, tail = self.prefix, self.suffix
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
                out += self.decode_spm.decode_pieces(run) + t + self.join_special
                run = []
            else:
                run.append(t)
        out += self.decode_spm.decode_pieces(run)
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
        n_head, n_tail = (len(self.prefix), len(self.suffix)) if special else (0, 0)
        offsets = [(0, 0)] * n_head + list(exp.offsets) + [(0, 0)] * n_tail
        if ids != self.encode(exp.text, special).ids:
            raise ExplainError("the step-by-step vocab.json lookup differs from the tokenizer's; please report it")
        steps.append(Step("result", f"{len(ids)} token(s)", {"ids": ids, "tokens": pieces,
                                                          "offsets": [list(o) for o in offsets]}))
        return replace(exp, steps=steps, ids=ids, tokens=pieces, offsets=offsets)
