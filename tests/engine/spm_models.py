"""Small SentencePiece models trained here (sentencepiece's own trainer, a fixed corpus) and laid
out as each folder type: Llama tokenizer.model, T5 spiece.model, Marian source/target.spm +
vocab.json, XLM-R / mBART / NLLB sentencepiece.bpe.model, M2M100 spm + vocab.json."""
from __future__ import annotations

import io
import json
import random
from pathlib import Path

WORDS = (
    "the animal did not cross street because it was too tired je suis étudiant très café naïve "
    "straße über grün 中文 我是 一个 学生 日本語 한국어 مرحبا नमस्ते hello world capital of france is "
    "1 2 3 10 42 2026 3.14 ½ — … don't I'm 😀 👍 translation model tokenizer piece sentence Ünïcödé "
    "ﬁ ² Ⅻ le chat noir der Hund das Haus"
).split()


def corpus(n: int = 800, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))) for _ in range(n)]


def train(kind: str, byte_fallback: bool, vocab: int | None = None, seed: int = 0, **options) -> bytes:
    """A serialized ModelProto; `options` go to SentencePieceTrainer (ids, normalisation, ...)."""
    import sentencepiece as spm

    out = io.BytesIO()
    size = vocab or (420 if byte_fallback else 160)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus(seed=seed)), model_writer=out, model_type=kind, vocab_size=size,
        byte_fallback=byte_fallback, character_coverage=0.98, hard_vocab_limit=False, minloglevel=2,
        num_threads=1, **options)
    return out.getvalue()


def pieces(model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


LLAMA_SPEC = dict(normalization_rule_name="identity", remove_extra_whitespaces=False, split_digits=True,
                  add_dummy_prefix=True, allow_whitespace_only_pieces=True)
T5_SPEC = dict(pad_id=0, eos_id=1, unk_id=2, bos_id=-1)


def write(folder: Path, files: dict[str, bytes | dict | str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        p = folder / name
        if isinstance(data, bytes):
            p.write_bytes(data)
        else:
            p.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def marian_vocab(src: bytes, tgt: bytes, drop: int = 3) -> dict[str, int]:
    """opus-mt's shared vocabulary: </s>=0, <unk>=1, the pieces of both models, <pad> last;
    a few source pieces left out (as real vocabularies miss pieces never seen in training)."""
    seen = ["</s>", "<unk>"]
    src_p = [p for p in pieces(src) if p not in ("<s>", "</s>", "<unk>")]
    kept = src_p[:-drop] if drop else src_p
    for p in kept + pieces(tgt):
        if p not in seen and p != "<s>":
            seen.append(p)
    seen.append("<pad>")
    return {p: i for i, p in enumerate(seen)}


def fairseq_vocab(model: bytes) -> dict[str, int]:
    """fairseq's dictionary for M2M100: <s> <pad> </s> <unk>, then the pieces shifted by one."""
    out = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for p in pieces(model)[3:]:
        out.setdefault(p, len(out))
    return out


def trained_set() -> dict:
    """One trained model per (name, byte_fallback) for the layouts below (~0.5 s in all)."""
    out = {}
    for bf in (False, True):
        out["llama", bf] = train("bpe", bf, **LLAMA_SPEC)
        out["t5", bf] = train("unigram", bf, **T5_SPEC)
        out["unigram", bf] = train("unigram", bf)
        out["bpe", bf] = train("bpe", bf)
        out["unigram-tgt", bf] = train("unigram", bf, seed=1)
        out["bpe-tgt", bf] = train("bpe", bf, seed=1)
    return out


def _llama(cfg):
    return lambda b, bf: {"tokenizer.model": b["llama", bf], "tokenizer_config.json": cfg}


def _marian(kind, codes=()):
    def files(b, bf):
        src, tgt = b[kind, bf], b[kind + "-tgt", bf]
        vocab = marian_vocab(src, tgt)
        for c in codes:  # multilingual targets: the language codes are vocabulary entries
            vocab[c] = len(vocab)
        return {"source.spm": src, "target.spm": tgt, "vocab.json": vocab}

    return files


def _llama_added(b, bf):
    """A chat-style config: added_tokens_decoder with a <pad> and an [INST] after the vocabulary."""
    n = len(pieces(b["llama", bf]))
    entry = lambda c, special, rstrip=False: {"content": c, "lstrip": False, "normalized": False,  # noqa: E731
                                              "rstrip": rstrip, "single_word": False, "special": special}
    table = {"0": entry("<unk>", True), "1": entry("<s>", True), "2": entry("</s>", True),
             str(n): entry("<pad>", True), str(n + 1): entry("[INST]", False, rstrip=True)}
    return {"tokenizer.model": b["llama", bf],
            "tokenizer_config.json": {"add_bos_token": True, "pad_token": "<pad>", "added_tokens_decoder": table}}


def _fairseq(cls_name, kind, **cfg):
    return lambda b, bf: {"sentencepiece.bpe.model": b[kind, bf],
                          "tokenizer_config.json": {"tokenizer_class": cls_name, **cfg}}


def _m2m(kind):
    return lambda b, bf: {"sentencepiece.bpe.model": b[kind, bf], "vocab.json": fairseq_vocab(b[kind, bf]),
                          "tokenizer_config.json": {"tokenizer_class": "M2M100Tokenizer", "src_lang": "fr"}}


def _nllb_codes():
    from engine.tokenizers.spm_languages import NLLB

    return NLLB


# layout name -> (the folder's files from (trained set, byte_fallback), transformers' tokenizer class)
FOLDERS = {
    "llama": (_llama({"add_bos_token": True}), "LlamaTokenizer"),
    "llama-legacy": (_llama({"add_bos_token": True, "legacy": True}), "LlamaTokenizer"),
    "llama-no-prefix-eos": (_llama({"add_prefix_space": False, "add_eos_token": True, "add_bos_token": False}),
                            "LlamaTokenizer"),
    "llama-added-tokens": (_llama_added, "LlamaTokenizer"),
    "t5": (lambda b, bf: {"spiece.model": b["t5", bf]}, "T5Tokenizer"),
    "marian-unigram": (_marian("unigram"), "MarianTokenizer"),
    "marian-bpe": (_marian("bpe"), "MarianTokenizer"),
    "marian-multilingual": (_marian("unigram", codes=(">>fra<<", ">>spa<<")), "MarianTokenizer"),
    "xlm-roberta": (_fairseq("XLMRobertaTokenizer", "unigram"), "XLMRobertaTokenizer"),
    "mbart": (_fairseq("MBartTokenizer", "unigram", src_lang="fr_XX"), "MBartTokenizer"),
    "nllb": (lambda b, bf: _fairseq("NllbTokenizer", "bpe", src_lang="fra_Latn",
                                    additional_special_tokens=_nllb_codes())(b, bf), "NllbTokenizer"),
    "m2m100-bpe": (_m2m("bpe"), "M2M100Tokenizer"),
    "m2m100-unigram": (_m2m("unigram"), "M2M100Tokenizer"),
}
