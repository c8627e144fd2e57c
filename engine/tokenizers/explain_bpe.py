"""BPE, done by us so every step can be shown: characters (or byte-fallback bytes / unknown),
then merges in rank order, mirroring `tokenizers`' `Word::merge_all` (lowest rank first,
leftmost on ties, stale queue entries skipped)."""
from __future__ import annotations

import heapq

from .explain_steps import MAX_SYMBOLS_PER_STEP, ExplainError, StepLog, model_explainer, show


def _merge_pairs(merges) -> list[tuple[str, str]]:
    out = []
    for m in merges:
        if isinstance(m, str):  # legacy "a b"
            a, sep, b = m.partition(" ")
            if not sep:
                raise ExplainError(f"BPE merge {m!r} is not two tokens separated by a space")
            out.append((a, b))
        else:
            out.append((m[0], m[1]))
    return out


@model_explainer("BPE")
class BPEExplainer:
    def __init__(self, model: dict):
        if model.get("dropout") not in (None, 0, 0.0):
            raise ExplainError(
                f"this BPE tokenizer uses dropout ({model['dropout']}), which merges at random; "
                "its steps cannot be explained reproducibly"
            )
        self.vocab: dict[str, int] = model["vocab"]
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        self.unk = model.get("unk_token")
        self.prefix = model.get("continuing_subword_prefix")
        self.suffix = model.get("end_of_word_suffix")
        self.fuse_unk = bool(model.get("fuse_unk", False))
        self.byte_fallback = bool(model.get("byte_fallback", False))
        self.ignore_merges = bool(model.get("ignore_merges", False))
        plen = len(self.prefix.encode()) if self.prefix else 0
        # (left id, right id) -> (rank, merged id); a later duplicate wins, as in the library.
        self.merges: dict[tuple[int, int], tuple[int, int]] = {}
        for rank, (a, b) in enumerate(_merge_pairs(model.get("merges") or [])):
            merged = a + b.encode()[plen:].decode("utf-8", errors="strict")
            try:
                self.merges[(self.vocab[a], self.vocab[b])] = (rank, self.vocab[merged])
            except KeyError as e:
                raise ExplainError(f"BPE merge {a!r} + {b!r} names a token not in the vocabulary: {e}")

    def use_scores(self, scores: dict[str, float]) -> None:
        """A SentencePiece BPE file ranks its merges by the merged piece's score: show it."""
        self.scores = dict(scores)

    scores: dict[str, float] = {}

    # ---- characters -> initial symbols ---------------------------------------------------
    def _initial(self, word: str, wi: int, log: StepLog) -> list[int]:
        ids: list[int] = []
        unk: int | None = None  # a pending unknown (fused with the next one when fuse_unk)
        notes = []
        n = len(word)
        for i, ch in enumerate(word):
            s = ch
            if i > 0 and self.prefix:
                s = self.prefix + s
            if i == n - 1 and self.suffix:
                s = s + self.suffix
            if s in self.vocab:
                if unk is not None:
                    ids.append(unk)
                    unk = None
                ids.append(self.vocab[s])
                continue
            if self.byte_fallback:
                codes = [f"<0x{b:02X}>" for b in s.encode("utf-8")]
                if all(c in self.vocab for c in codes):
                    ids.extend(self.vocab[c] for c in codes)  # (a pending unk stays pending, as upstream)
                    notes.append({"char": ch, "bytes": codes})
                    continue
            if self.unk is None:
                notes.append({"char": ch, "dropped": True})  # no unk token: the library drops it
                continue
            if self.unk not in self.vocab:
                raise ExplainError(f"the BPE unknown token {self.unk!r} is not in the vocabulary")
            unk_id = self.vocab[self.unk]
            notes.append({"char": ch, "unknown": True})
            if unk is not None and not self.fuse_unk:
                ids.append(unk)
            unk = unk_id
        if unk is not None:
            ids.append(unk)
        symbols = [self.id_to_token[i] for i in ids]
        desc = f"word {wi} {show(word)}: start from {len(ids)} symbol(s)"
        if any("bytes" in x for x in notes):
            desc += "; characters missing from the vocabulary fall back to byte tokens <0xNN>"
        if any(x.get("unknown") for x in notes):
            desc += f"; unknown characters become {self.unk}"
        if any(x.get("dropped") for x in notes):
            desc += "; characters missing from the vocabulary are dropped (no unknown token)"
        log.emit("bpe_start", desc, word_index=wi, word=word, symbols=symbols, ids=list(ids),
                 fallback=notes)
        return ids

    # ---- merges (a linked list + heap, exactly like Word::merge_all) -----------------------
    def tokenize(self, word: str, wi: int, log: StepLog) -> list[tuple[int, str]]:
        if not word:
            return []
        if self.ignore_merges and word in self.vocab:
            i = self.vocab[word]
            log.emit("bpe_whole_word", f"word {wi} {show(word)} is itself in the vocabulary (id {i}): "
                     "taken whole, no merges", word_index=wi, word=word, ids=[i], tokens=[word])
            return [(i, word)]
        c = self._initial(word, wi, log)
        n = len(c)
        prev = list(range(-1, n - 1))
        nxt = list(range(1, n + 1))
        if n:
            nxt[-1] = -1
        alive = [True] * n
        heap = []
        for p in range(n - 1):
            m = self.merges.get((c[p], c[p + 1]))
            if m:
                heap.append((m[0], p, m[1]))
        heapq.heapify(heap)
        merges_done = 0
        while heap:
            rank, pos, new_id = heapq.heappop(heap)
            if not alive[pos] or nxt[pos] == -1:
                continue
            right = nxt[pos]
            cur = self.merges.get((c[pos], c[right]))
            if cur is None or cur[1] != new_id:
                continue  # an expired queue entry
            left_tok, right_tok = self.id_to_token[c[pos]], self.id_to_token[c[right]]
            c[pos] = new_id
            alive[right] = False
            nxt[pos] = nxt[right]
            if nxt[right] != -1:
                prev[nxt[right]] = pos
            merges_done += 1
            # start: index among the word's initial symbols; position/symbols: in the current
            # sequence (short words only: recomputing them is O(word length) per merge)
            data = dict(word_index=wi, pair=[left_tok, right_tok], rank=rank,
                        merged=self.id_to_token[new_id], id=new_id, start=pos)
            if n <= MAX_SYMBOLS_PER_STEP:
                live = [p for p in range(n) if alive[p]]
                data["position"] = live.index(pos)
                data["symbols"] = [self.id_to_token[c[p]] for p in live]
            merged = self.id_to_token[new_id]
            why = f"rank {rank}"
            if merged in self.scores:
                data["score"] = self.scores[merged]
                why += f"; its piece scores {self.scores[merged] + 0.0:.4f}, the best of the pairs present"
            log.emit("bpe_merge", f"merge {show(left_tok)} + {show(right_tok)} -> {show(merged)} ({why})", **data)
            if prev[pos] >= 0:
                m = self.merges.get((c[prev[pos]], c[pos]))
                if m:
                    heapq.heappush(heap, (m[0], prev[pos], m[1]))
            if nxt[pos] != -1:
                m = self.merges.get((c[pos], c[nxt[pos]]))
                if m:
                    heapq.heappush(heap, (m[0], pos, m[1]))
        out = [(c[p], self.id_to_token[c[p]]) for p in range(n) if alive[p]]
        log.emit("bpe_done", f"word {wi} {show(word)}: {merges_done} merge(s), no ranked pair left -> "
                 f"{len(out)} token(s)", word_index=wi, word=word, ids=[i for i, _ in out],
                 tokens=[t for _, t in out])
        return out
