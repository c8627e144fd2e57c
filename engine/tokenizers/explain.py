"""Explain a tokenization step by step: added/special tokens, normalisation, pre-tokenisation
(both with the library's own objects), the model (BPE merges in rank order, WordPiece longest
match, byte fallback, Unigram best path: done by us so each step can be shown), truncation, the
post-processor and padding.

`explain(tok, text)` always checks its result against `tok.encode(text)` and raises ExplainError
instead of returning steps that disagree with the library.
"""
from __future__ import annotations

import copy
import json
from typing import Any

from tokenizers import Tokenizer

from . import explain_bpe, explain_unigram, explain_wordpiece  # noqa: F401  (register explainers)
from .explain_added import Added, Matcher, split_added
from .explain_spm import component_notes
from .explain_post import pad, post_process, truncate
from .explain_steps import MODEL_EXPLAINERS, Explanation, ExplainError, Step, StepLog, show

__all__ = ["explain", "Explainer", "Explanation", "Step", "ExplainError"]

PREVIEW = 80  # characters of a string quoted in a description (data holds it whole)


def _preview(s: str) -> str:
    return show(s) if len(s) <= PREVIEW else show(s[:PREVIEW]) + f"… ({len(s)} chars)"


def _component_name(spec: dict | None) -> str:
    if not spec:
        return "none"
    subs = spec.get("normalizers") or spec.get("pretokenizers")
    if spec.get("type") == "Sequence" and subs:
        return "Sequence[" + ", ".join(_component_name(s) for s in subs) + "]"
    return spec.get("type", "?")


def _without_first_prepend(spec: dict | None) -> dict | None:
    """Metaspace(prepend_scheme='first') prepends '▁' only to the piece at the very start of the
    text; pieces after an added token get this variant ('never'). None when nothing changes."""
    if not spec:
        return None
    if spec.get("type") == "Metaspace" and str(spec.get("prepend_scheme", "")).lower() == "first":
        return {**spec, "prepend_scheme": "never"}
    if spec.get("type") == "Sequence":
        subs = [_without_first_prepend(s) for s in spec["pretokenizers"]]
        if any(s is not None for s in subs):
            new = copy.deepcopy(spec)
            new["pretokenizers"] = [n if n is not None else o for n, o in zip(subs, spec["pretokenizers"])]
            return new
    return None


def _pre_tokenizer_from(spec: dict):
    shell = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": [],
             "normalizer": None, "pre_tokenizer": spec, "post_processor": None, "decoder": None,
             "model": {"type": "WordLevel", "vocab": {}, "unk_token": "<unk>"}}
    return Tokenizer.from_str(json.dumps(shell)).pre_tokenizer


def _unwrap(tok) -> Tokenizer:
    inner = getattr(tok, "tok", tok)  # TextTokenizer or tokenizers.Tokenizer
    if not isinstance(inner, Tokenizer):
        raise ExplainError(f"cannot explain a {type(tok).__name__}: expected a tokenizers.Tokenizer")
    return inner


def check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise ExplainError(f"the text must be a string, not {type(text).__name__}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ExplainError(
            f"the text holds an unpaired surrogate (U+{ord(text[e.start]):04X}) at character {e.start}, "
            "which is not valid Unicode"
        ) from None
    return text


class Explainer:
    """Built once per tokenizer (reads its JSON); `explain(text)` per text."""

    def __init__(self, tok, piece_scores: dict[str, float] | None = None):
        """piece_scores: a SentencePiece file's piece -> score, shown beside BPE merges when given."""
        self.tok = _unwrap(tok)
        spec = json.loads(self.tok.to_str())
        mtype = spec["model"].get("type")
        cls = MODEL_EXPLAINERS.get(mtype)
        if cls is None:
            raise ExplainError(f"the explainer does not know the {mtype!r} tokenizer model; "
                               f"known: {', '.join(sorted(MODEL_EXPLAINERS))}")
        self.kind = mtype
        self.model = cls(spec["model"])
        if piece_scores and hasattr(self.model, "use_scores"):
            self.model.use_scores(piece_scores)
        self.notes = component_notes(spec)
        self.normalizer = self.tok.normalizer
        self.normalizer_name = _component_name(spec.get("normalizer"))
        self.pre = self.tok.pre_tokenizer
        self.pre_name = _component_name(spec.get("pre_tokenizer"))
        later = _without_first_prepend(spec.get("pre_tokenizer"))
        self.pre_later = _pre_tokenizer_from(later) if later is not None else self.pre
        self.processor = spec.get("post_processor")
        self.vocab_size = self.tok.get_vocab_size(with_added_tokens=True)
        self._added(spec.get("added_tokens") or [])

    def _added(self, entries: list[dict]) -> None:
        raw, norm = [], []
        # specials first, then the others, as the library builds its matchers
        for e in sorted(entries, key=lambda e: (not e.get("special", False), e["id"])):
            content = e["content"]
            if e.get("normalized", True) and self.normalizer is not None:
                content = self.normalizer.normalize_str(content)
            a = Added(e["id"], content, bool(e.get("single_word")), bool(e.get("lstrip")),
                      bool(e.get("rstrip")), bool(e.get("special")))
            (norm if e.get("normalized", True) else raw).append(a)
        self.raw_matcher, self.norm_matcher = Matcher(raw), Matcher(norm)

    # ---- the walk ----------------------------------------------------------------------
    def explain(self, text: str, add_special_tokens: bool = True) -> Explanation:
        text = check_text(text)
        try:
            enc = self.tok.encode(text, add_special_tokens=add_special_tokens)
        except Exception as e:  # the library raises bare exceptions (e.g. a missing unk token)
            raise ExplainError(f"the tokenizer itself fails on this text: {e}") from None
        log = StepLog()
        log.emit("input", f"input: {len(text)} character(s), {len(text.encode('utf-8'))} UTF-8 byte(s)",
                 text=text)
        log.emit("model", f"model: {self.kind}, {self.vocab_size} tokens; normalizer "
                 f"{self.normalizer_name}; pre-tokenizer {self.pre_name}", model=self.kind,
                 vocab_size=self.vocab_size, normalizer=self.normalizer_name, pre_tokenizer=self.pre_name)
        for note in self.notes:
            log.emit("sentencepiece", note)
        skip = bool(getattr(self.tok, "encode_special_tokens", False))
        pieces: list[tuple[int, str]] = []
        counter = {"piece": 0, "word": 0}
        splits = split_added(text, self.raw_matcher, skip)
        self._log_added(log, "added_tokens", text, splits, raw=True)
        for start, end, added in splits:
            if added is not None:
                pieces.append((added.id, text[start:end]))
            else:
                pieces.extend(self._piece(text[start:end], start, log, counter, skip))
        pieces = truncate(pieces, self.tok.truncation,
                          self.tok.num_special_tokens_to_add(False) if add_special_tokens else 0, log)
        pieces = post_process(pieces, self.processor, add_special_tokens, log)
        pieces = pad(pieces, self.tok.padding, log)
        ids, tokens = [i for i, _ in pieces], [t for _, t in pieces]
        self._check(text, ids, tokens, enc)
        offsets = [tuple(o) for o in enc.offsets]
        log.emit("result", f"{len(ids)} token(s)", ids=ids, tokens=tokens, offsets=[list(o) for o in offsets])
        return Explanation(text, self.kind, log.steps, ids, tokens, offsets)

    def _log_added(self, log: StepLog, kind: str, s: str, splits, raw: bool) -> None:
        found = [(a, b, t) for a, b, t in splits if t is not None]
        where = "the raw text" if raw else "the normalized text"
        if found:
            desc = f"split out {len(found)} added/special token(s) in {where}: " + ", ".join(
                _preview(s[a:b]) for a, b, _ in found[:8]) + (" …" if len(found) > 8 else "")
        elif not raw:
            return
        else:
            desc = "no added/special tokens in the text"
        log.emit(kind, desc, splits=[{"text": s[a:b], "start": a, "end": b,
                                      "id": None if t is None else t.id} for a, b, t in splits])

    def _piece(self, raw: str, start: int, log: StepLog, counter: dict, skip: bool):
        p = counter["piece"]
        counter["piece"] += 1
        norm = self.normalizer.normalize_str(raw) if self.normalizer is not None else raw
        if self.normalizer is not None:
            same = " (unchanged)" if norm == raw else ""
            log.emit("normalize", f"normalize with {self.normalizer_name}: {_preview(raw)} -> "
                     f"{_preview(norm)}{same}", piece=p, start=start, before=raw, after=norm)
        splits = split_added(norm, self.norm_matcher, skip)
        self._log_added(log, "added_tokens_normalized", norm, splits, raw=False)
        out: list[tuple[int, str]] = []
        for a, b, added in splits:
            if added is not None:
                out.append((added.id, norm[a:b]))
                continue
            q = norm[a:b]
            pre = self.pre if (start == 0 and a == 0) else self.pre_later
            words = pre.pre_tokenize_str(q) if pre is not None else [(q, (0, len(q)))]
            first = counter["word"]
            log.emit("pre_tokenize", f"pre-tokenize with {self.pre_name}: {len(words)} word(s)"
                     + (": " + " ".join(_preview(w) for w, _ in words[:12]) if words else "")
                     + (" …" if len(words) > 12 else ""),
                     piece=p, text=q, first_word=first,
                     words=[{"text": w, "start": o[0], "end": o[1]} for w, o in words])
            for w, _ in words:
                out.extend(self.model.tokenize(w, counter["word"], log))
                counter["word"] += 1
        return out

    def _check(self, text: str, ids: list[int], tokens: list[str], enc) -> None:
        lib_ids, lib_tokens = list(enc.ids), list(enc.tokens)
        if ids == lib_ids and tokens == lib_tokens:
            return
        k = next((i for i, (a, b) in enumerate(zip(ids, lib_ids)) if a != b), min(len(ids), len(lib_ids)))
        if ids == lib_ids:
            k = next(i for i, (a, b) in enumerate(zip(tokens, lib_tokens)) if a != b)
        raise ExplainError(
            f"this tokenizer configuration cannot be explained faithfully for this text: the step-by-step "
            f"result differs from the library's at token {k} "
            f"({ids[k:k + 1] or 'end'} vs {lib_ids[k:k + 1] or 'end'}); please report it"
        )


_CACHE: dict[int, tuple[Tokenizer, int, Explainer]] = {}


def explain(tok, text: str, add_special_tokens: bool = True) -> Explanation:
    """Steps from `text` to `tok.encode(text).ids` (tok: a TextTokenizer or tokenizers.Tokenizer)."""
    carry_on = getattr(tok, "map_explanation", None)  # ids from a vocab.json (Marian, M2M100)
    if carry_on is not None:
        return carry_on(_explain_inner(tok, text, add_special_tokens=False), add_special_tokens)
    return _explain_inner(tok, text, add_special_tokens)


def _explain_inner(tok, text: str, add_special_tokens: bool) -> Explanation:
    inner = _unwrap(tok)
    size = inner.get_vocab_size(with_added_tokens=True)
    hit = _CACHE.get(id(inner))
    if hit is None or hit[0] is not inner or hit[1] != size:
        if len(_CACHE) >= 8:
            _CACHE.pop(next(iter(_CACHE)))
        hit = (inner, size, Explainer(inner, getattr(tok, "piece_scores", None)))
        _CACHE[id(inner)] = hit
    return hit[2].explain(text, add_special_tokens)
