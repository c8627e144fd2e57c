"""A `tokenizers.Tokenizer` rebuilt from a GGUF file's metadata (a GGUF carries no tokenizer.json).

`tokenizer.ggml.model` says which kind: "gpt2" is byte-level BPE, whose pre-tokenizer (how text
is cut before merging) depends on `tokenizer.ggml.pre`; "llama" is sentencepiece-style BPE with
byte fallback. Token types follow llama.cpp: 2 unknown, 3 control, 4 user-defined; those are
matched whole in text. BOS/EOS are added as `tokenizer.ggml.add_bos_token` / `add_eos_token` say.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import BPE

from ..errors import ModelLoadError
from .wrapper import TextTokenizer

UNKNOWN, CONTROL, USER_DEFINED = 2, 3, 4

# ---- byte-level BPE ("gpt2"): pre-tokenizers by `tokenizer.ggml.pre` ---------------------
_LLAMA3_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
_QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def _gpt2_regex():
    """GPT-2's split (the ByteLevel pre-tokenizer's own regex)."""
    return pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)


def _digits_then_gpt2():
    """SmolLM/StarCoder: every digit on its own, then GPT-2's split (llama.cpp: "\\p{N}" first)."""
    return pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True), _gpt2_regex()]
    )


def _split_then_bytes(regex: str):
    def build():
        return pre_tokenizers.Sequence(
            [
                pre_tokenizers.Split(Regex(regex), behavior="isolated"),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
            ]
        )

    return build


# `tokenizer.ggml.pre` -> (pre-tokenizer builder, ignore_merges). ignore_merges: a word found
# whole in the vocabulary is taken as is (llama.cpp does this for the Llama 3 family).
BYTE_LEVEL_PRE: dict[str, tuple[Callable, bool]] = {
    "default": (_gpt2_regex, False),
    "gpt-2": (_gpt2_regex, False),
    "gpt2": (_gpt2_regex, False),
    "smollm": (_digits_then_gpt2, False),
    "starcoder": (_digits_then_gpt2, False),
    "refact": (_digits_then_gpt2, False),
    "codeshell": (_digits_then_gpt2, False),
    "llama3": (_split_then_bytes(_LLAMA3_SPLIT), True),
    "llama-v3": (_split_then_bytes(_LLAMA3_SPLIT), True),
    "llama-bpe": (_split_then_bytes(_LLAMA3_SPLIT), True),
    "smaug-bpe": (_split_then_bytes(_LLAMA3_SPLIT), False),
    "qwen2": (_split_then_bytes(_QWEN2_SPLIT), False),
    "deepseek-r1-qwen": (_split_then_bytes(_QWEN2_SPLIT), False),
}


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's printable spelling of every byte (the alphabet of byte-level vocabularies)."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
    keep += list(range(ord("®"), ord("ÿ") + 1))
    out, n = {}, 0
    for b in range(256):
        if b in keep:
            out[b] = chr(b)
        else:
            out[b] = chr(256 + n)
            n += 1
    return out


def _byte_level(meta: dict, tokens: list[str]) -> Tokenizer:
    pre = meta.get("tokenizer.ggml.pre") or "default"
    if pre not in BYTE_LEVEL_PRE:
        raise ModelLoadError(
            f"this GGUF's byte-level tokenizer uses pre-tokenizer {pre!r}, which the playground does "
            f"not know; known: {', '.join(sorted(BYTE_LEVEL_PRE))}"
        )
    build_pre, ignore_merges = BYTE_LEVEL_PRE[pre]
    spelling = _bytes_to_unicode()
    alphabet = set(spelling.values())
    if set("".join(tokens)) <= alphabet:  # the usual file: every token already in the alphabet (one C-level pass)
        vocab = {t: i for i, t in enumerate(tokens)}
    else:
        vocab = {}
        for i, t in enumerate(tokens):  # a token spelled outside the alphabet is respelled byte by byte
            vocab[t if set(t) <= alphabet else "".join(spelling[b] for b in t.encode("utf-8"))] = i
    merges = [tuple(m.split(" ", 1)) for m in meta.get("tokenizer.ggml.merges") or []]
    tok = Tokenizer(
        BPE(vocab, merges, continuing_subword_prefix="", end_of_word_suffix="", fuse_unk=False,
            ignore_merges=ignore_merges)
    )
    tok.pre_tokenizer = build_pre()
    tok.decoder = decoders.ByteLevel()
    return tok


# ---- sentencepiece-style BPE ("llama") -------------------------------------------------
def merges_from_scores(tokens: list[str], scores: list[float]) -> list[tuple[str, str]]:
    """Old sentencepiece files list no merges: every split of a token into two known tokens is a
    merge, ranked by the merged token's score (best first), as transformers derives them."""
    vocab = {t: i for i, t in enumerate(tokens)}
    found = []
    for piece, score in zip(tokens, scores):
        local = [
            (piece[:k], piece[k:], score)
            for k in range(1, len(piece))
            if piece[:k] in vocab and piece[k:] in vocab
        ]
        found.extend(sorted(local, key=lambda m: (vocab[m[0]], vocab[m[1]])))
    found.sort(key=lambda m: (m[2], len(m[0]), len(m[1])), reverse=True)
    return [(a, b) for a, b, _ in found]


def _sentencepiece_bpe(meta: dict, tokens: list[str], scores=None) -> Tokenizer:
    """BPE with byte fallback over the file's vocabulary; merges from the file or from `scores`."""
    vocab = {t: i for i, t in enumerate(tokens)}
    if meta.get("tokenizer.ggml.merges"):
        merges = [tuple(m.split(" ", 1)) for m in meta["tokenizer.ggml.merges"]]
    else:
        scores = scores if scores is not None else meta.get("tokenizer.ggml.scores")
        if not scores:
            raise ModelLoadError("this GGUF's sentencepiece tokenizer has neither merges nor scores")
        merges = merges_from_scores(tokens, list(scores))
    unk_id = meta.get("tokenizer.ggml.unknown_token_id")
    unk = tokens[unk_id] if unk_id is not None and 0 <= unk_id < len(tokens) else None
    return Tokenizer(BPE(vocab, merges, unk_token=unk, fuse_unk=True, byte_fallback=True))


_SP_DECODE = [decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()]


def _sentencepiece(meta: dict, tokens: list[str]) -> Tokenizer:
    """Llama / Mistral / TinyLlama: Metaspace adds the prefix space as `add_space_prefix` says."""
    tok = _sentencepiece_bpe(meta, tokens)
    prefix = bool(meta.get("tokenizer.ggml.add_space_prefix", True))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="▁", prepend_scheme="first" if prefix else "never", split=False
    )
    steps = list(_SP_DECODE)
    if prefix:
        steps.append(decoders.Strip(content=" ", left=1, right=0))
    tok.decoder = decoders.Sequence(steps)
    return tok


def _gemma(meta: dict, tokens: list[str]) -> Tokenizer:
    """Gemma 1-3: spaces become "▁" with no prefix and no pre-split. Its files spell whitespace
    tokens with real spaces ("  "), looked up as "▁▁"; its scores do not follow its merge order,
    the token order does (as transformers' GGUF loader rebuilds it)."""
    respelled = ["▁" * len(t) if " " in t and not t.strip() else t for t in tokens]
    tok = _sentencepiece_bpe(meta, respelled, scores=[-float(i) for i in range(len(tokens))])
    tok.normalizer = normalizers.Replace(" ", "▁")
    tok.decoder = decoders.Sequence(list(_SP_DECODE))
    return tok


def _phi3(meta: dict, tokens: list[str]) -> Tokenizer:
    """Phi-3: the prefix "▁" comes from a normalizer (text starting with spaces keeps one more)."""
    tok = _sentencepiece_bpe(meta, tokens)
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.decoder = decoders.Sequence(list(_SP_DECODE) + [decoders.Strip(content=" ", left=1, right=0)])
    return tok


# sentencepiece ("llama") vocabularies by `general.architecture`: nothing else in a GGUF says
# which normalisation a model wants. Others use `_sentencepiece`.
SENTENCEPIECE_BY_ARCH: dict[str, Callable[[dict, list[str]], Tokenizer]] = {
    "gemma": _gemma,
    "gemma2": _gemma,
    "gemma3": _gemma,
    "phi3": _phi3,
}


def _sentencepiece_for_arch(meta: dict, tokens: list[str]) -> Tokenizer:
    return SENTENCEPIECE_BY_ARCH.get(meta.get("general.architecture"), _sentencepiece)(meta, tokens)


# tokenizer.ggml.model -> (builder, add BOS by default). llama.cpp adds BOS to a sentencepiece
# vocabulary whose file does not say otherwise.
KINDS: dict[str, tuple[Callable[[dict, list[str]], Tokenizer], bool]] = {
    "gpt2": (_byte_level, False),
    "llama": (_sentencepiece_for_arch, True),
}


# ---- shared: special tokens, BOS/EOS -----------------------------------------------------
def _add_special(tok: Tokenizer, meta: dict, tokens: list[str], byte_level: bool) -> None:
    types = list(meta.get("tokenizer.ggml.token_type") or [])[:len(tokens)]
    alphabet = set(_bytes_to_unicode().values()) if byte_level else None
    special, user = [], []
    wanted = np.flatnonzero(np.isin(np.asarray(types, dtype=np.int64), (UNKNOWN, CONTROL, USER_DEFINED)))
    for i in wanted.tolist():  # the few special and user-defined tokens, not every token in Python
        t, kind = tokens[i], types[i]
        if kind in (UNKNOWN, CONTROL) and (alphabet is None or set(t) <= alphabet):
            special.append(AddedToken(t, normalized=False, special=True))
        elif kind == USER_DEFINED:
            user.append(AddedToken(t, normalized=False, special=False))
    if special:
        tok.add_special_tokens(special)
    if user:
        tok.add_tokens(user)


def _bos_eos(tok: Tokenizer, meta: dict, tokens: list[str], bos_default: bool) -> None:
    def pick(flag: str, key: str, default: bool):
        i = meta.get(f"tokenizer.ggml.{key}")
        on = bool(meta.get(f"tokenizer.ggml.{flag}", default))
        return (tokens[i], int(i)) if on and i is not None and 0 <= i < len(tokens) else None

    bos = pick("add_bos_token", "bos_token_id", bos_default)
    eos = pick("add_eos_token", "eos_token_id", False)
    if bos is None and eos is None:
        return
    head = [f"{bos[0]}:0"] if bos else []
    tail = [f"{eos[0]}:0"] if eos else []
    tok.post_processor = processors.TemplateProcessing(
        single=head + ["$A:0"] + tail,
        pair=head + ["$A:0"] + tail + head + ["$B:1"] + tail,
        special_tokens=sorted({s for s in (bos, eos) if s}),
    )


def tokenizer_from_gguf(meta: dict, source: str = "") -> TextTokenizer:
    kind = meta.get("tokenizer.ggml.model")
    if kind not in KINDS:
        raise ModelLoadError(
            f"this GGUF's tokenizer kind {kind!r} is not supported; supported: {', '.join(sorted(KINDS))}"
        )
    tokens = list(meta.get("tokenizer.ggml.tokens") or [])
    if not tokens:
        raise ModelLoadError("this GGUF has no tokenizer vocabulary (tokenizer.ggml.tokens)")
    build, bos_default = KINDS[kind]
    try:
        tok = build(meta, tokens)
    except ModelLoadError:
        raise
    except Exception as e:  # the library rejects inconsistent vocabularies/merges with bare errors
        raise ModelLoadError(f"this GGUF's tokenizer could not be built ({e})") from None
    _add_special(tok, meta, tokens, byte_level=kind == "gpt2")
    _bos_eos(tok, meta, tokens, bos_default)
    return TextTokenizer(tok, source)
