"""WordPiece (greedy longest-match-first with a continuation prefix) and WordLevel (one lookup),
done by us step by step, mirroring `tokenizers`' models."""
from __future__ import annotations

from .explain_steps import ExplainError, StepLog, model_explainer, show

MAX_REJECTED_SHOWN = 32  # candidates listed per match step (the count is always given)


@model_explainer("WordPiece")
class WordPieceExplainer:
    def __init__(self, model: dict):
        self.vocab: dict[str, int] = model["vocab"]
        self.unk = model.get("unk_token", "[UNK]")
        self.prefix = model.get("continuing_subword_prefix", "##")
        self.max_chars = int(model.get("max_input_chars_per_word", 100))

    def _unk(self, word: str, wi: int, log: StepLog, why: str) -> list[tuple[int, str]]:
        if self.unk not in self.vocab:
            raise ExplainError(f"the WordPiece unknown token {self.unk!r} is not in the vocabulary")
        i = self.vocab[self.unk]
        log.emit("wordpiece_unk", f"word {wi} {show(word)} -> {self.unk}: {why}", word_index=wi,
                 word=word, reason=why, ids=[i], tokens=[self.unk])
        return [(i, self.unk)]

    def tokenize(self, word: str, wi: int, log: StepLog) -> list[tuple[int, str]]:
        if len(word) > self.max_chars:
            return self._unk(word, wi, log, f"longer than {self.max_chars} characters "
                             "(max_input_chars_per_word)")
        out: list[tuple[int, str]] = []
        start = 0
        while start < len(word):
            end = len(word)
            rejected = []
            found = None
            while start < end:
                piece = (self.prefix if start > 0 else "") + word[start:end]
                if piece in self.vocab:
                    found = piece
                    break
                rejected.append(piece)
                end -= 1
            if found is None:
                return self._unk(word, wi, log, f"nothing in the vocabulary matches at character {start} "
                                 f"({show(word[start:])}), so the whole word is unknown")
            i = self.vocab[found]
            log.emit("wordpiece_match", f"word {wi}: longest vocabulary entry at character {start} is "
                     f"{show(found)} (id {i}); {len(rejected)} longer candidate(s) not in the vocabulary",
                     word_index=wi, word=word, start=start, end=end, piece=found, id=i,
                     rejected=rejected[:MAX_REJECTED_SHOWN], n_rejected=len(rejected))
            out.append((i, found))
            start = end
        log.emit("wordpiece_done", f"word {wi} {show(word)} -> {len(out)} token(s)", word_index=wi,
                 word=word, ids=[i for i, _ in out], tokens=[t for _, t in out])
        return out


@model_explainer("WordLevel")
class WordLevelExplainer:
    def __init__(self, model: dict):
        self.vocab: dict[str, int] = model["vocab"]
        self.unk = model.get("unk_token", "<unk>")

    def tokenize(self, word: str, wi: int, log: StepLog) -> list[tuple[int, str]]:
        if word in self.vocab:
            tok, i = word, self.vocab[word]
        elif self.unk in self.vocab:
            tok, i = self.unk, self.vocab[self.unk]
        else:
            raise ExplainError(f"the WordLevel unknown token {self.unk!r} is not in the vocabulary")
        log.emit("wordlevel_lookup", f"word {wi} {show(word)} -> {show(tok)} (id {i})", word_index=wi,
                 word=word, ids=[i], tokens=[tok])
        return [(i, tok)]
