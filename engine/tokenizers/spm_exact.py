"""A `tokenizers.Tokenizer` that segments like `SentencePieceProcessor.encode` on the file's own
ids, following the model's normalizer spec: the precompiled rules, extra-space removal, the dummy
prefix "▁" (each stretch between special tokens gets its own, as the slow tokenizers call
SentencePiece per stretch), BPE merges ranked by piece score, byte fallback, user-defined pieces
kept whole. (The same construction as transformers' SpmConverter.build_tokenizer_from_spm_proto.)"""
from __future__ import annotations

import re

from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers
from tokenizers.models import BPE, Unigram

from .spm_proto import BYTE, NORMAL, USER_DEFINED, SpmFile


def spm_merges(spm: SpmFile) -> list[tuple[str, str]]:
    """Merges between normal pieces, best merged-piece score first (ties: lower id first)."""
    normal = {p.piece: (p.score, i) for i, p in enumerate(spm.proto.pieces) if p.type == NORMAL}
    ranked = []
    for token, (score, i) in normal.items():
        for k in range(1, len(token)):
            left, right = token[:k], token[k:]
            if left in normal and right in normal:
                ranked.append((-score, i, left, right))
    return [(a, b) for _, _, a, b in sorted(ranked)]


def _unmatchable_specials(spm: SpmFile) -> list[tuple[str, float]]:
    """SentencePiece never matches control, unknown or unused pieces in text ("<s>" typed in a
    prompt is '<', 's', '>'); a Unigram lattice would. Their strings get spaces around them, which
    never survive into the lattice (whitespace is escaped to "▁"), so they cannot match."""
    out = []
    for (piece, score), kind in zip(spm.pieces, spm.types):
        hide = kind not in (NORMAL, USER_DEFINED, BYTE) and spm.normalizer_spec.escape_whitespaces
        out.append((f" {piece} " if hide else piece, score))
    return out


def spm_exact(spm: SpmFile, known_chars=()) -> Tokenizer:
    """`known_chars`: characters the caller's own vocabulary has (Marian's vocab.json). SentencePiece
    BPE without byte fallback keeps an unknown character's own text as its piece, which such a
    vocabulary then finds; `tokenizers` would say "<unk>". Added as unmergeable BPE symbols, they
    come out as their own text too."""
    vocab_list = spm.pieces
    user = [p for (p, _), t in zip(vocab_list, spm.types) if t == USER_DEFINED]
    ts = spm.proto.trainer_spec
    if spm.kind == "BPE":
        vocab = {p: i for i, (p, _) in enumerate(vocab_list)}
        if not spm.byte_fallback:
            for c in known_chars:
                if len(c) == 1 and c not in vocab:
                    vocab[c] = len(vocab)
        tok = Tokenizer(BPE(vocab=vocab, merges=spm_merges(spm), unk_token=ts.unk_piece, fuse_unk=True,
                            byte_fallback=spm.byte_fallback, dropout=None, ignore_merges=bool(user)))
    else:
        tok = Tokenizer(Unigram(_unmatchable_specials(spm), unk_id=spm.unk_id, byte_fallback=spm.byte_fallback))
    spec = spm.normalizer_spec
    steps = []
    if spm.charsmap:
        steps.append(normalizers.Precompiled(spm.charsmap))
    if spec.remove_extra_whitespaces:  # spaces only: SentencePiece leaves newlines and tabs alone
        steps += [normalizers.Replace(Regex(r"\A +| +\z"), ""), normalizers.Replace(Regex(" {2,}"), " ")]
    if spec.escape_whitespaces:
        steps.append(normalizers.Replace(" ", "▁"))
    if spec.add_dummy_prefix:  # Metaspace skips the prefix when the text starts with "▁"; SentencePiece does not
        steps.append(normalizers.Replace(Regex(r"\A▁"), "▁▁"))
    tok.normalizer = normalizers.Sequence(steps)
    pre = []
    if spec.add_dummy_prefix:
        pre.append(pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=False))
    if user:
        pattern = "|".join(re.escape(p) for p in sorted(user, key=len, reverse=True))
        pre.append(pre_tokenizers.Split(Regex(pattern), behavior="isolated"))
    if pre:
        tok.pre_tokenizer = pre_tokenizers.Sequence(pre)
    dec = [decoders.Replace("▁", " ")]
    if spm.byte_fallback:
        dec.append(decoders.ByteFallback())
    if spec.add_dummy_prefix:
        dec += [decoders.Fuse(), decoders.Strip(content=" ", left=1, right=0)]
    elif spm.byte_fallback:
        dec.append(decoders.Fuse())
    tok.decoder = decoders.Sequence(dec)
    return tok
