"""SentencePiece + vocab.json folders, as transformers' slow (sentencepiece) tokenizers read them.

Marian (opus-mt): source.spm cuts the source text, target.spm belongs to the target side, ids come
from vocab.json, </s> ends every text. M2M100: sentencepiece.bpe.model + vocab.json, the language
tokens __xx__ numbered after vocab.json's entries, a text framed as "__src_lang__ … </s>"."""
from __future__ import annotations

import sentencepiece

from tokenizers import AddedToken

from ..errors import ModelLoadError
from .spm_common import SpmFolder, check_added_ids, read_json
from .spm_exact import spm_exact
from .spm_languages import M2M100_SETS
from .spm_layouts import layout
from .spm_proto import read_spm
from .vocab_mapped import VocabMappedTokenizer


def _vocab(folder: SpmFolder, name: str) -> dict[str, int]:
    d = read_json(folder.file(name))
    if not all(isinstance(v, int) for v in d.values()):
        raise ModelLoadError(f"{folder.path / name} must map token strings to integer ids")
    return d


def _processor(path) -> sentencepiece.SentencePieceProcessor:
    sp = sentencepiece.SentencePieceProcessor()
    sp.Load(str(path))
    return sp


@layout("MarianTokenizer", ("source.spm", "target.spm", "vocab.json"))
def marian(folder: SpmFolder) -> VocabMappedTokenizer:
    if folder.flag("separate_vocabs", False):
        raise ModelLoadError(f"{folder.path}: Marian with separate_vocabs (a target vocabulary of its own) "
                             "is not supported; only shared-vocabulary Marian folders are")
    src = folder.file("source.spm")
    folder.file("target.spm")
    vocab = _vocab(folder, "vocab.json")
    unk, eos, pad = (folder.token(k, d) for k, d in
                     (("unk_token", "<unk>"), ("eos_token", "</s>"), ("pad_token", "<pad>")))
    for t in (unk, eos, pad):
        if t not in vocab:
            raise ModelLoadError(f"{folder.path / 'vocab.json'} has no {t!r}, which Marian needs")
    check_added_ids(vocab, folder)
    spm = read_spm(src)
    inner = spm_exact(spm, known_chars=[t for t in vocab if len(t) == 1])  # for the step-through
    # specials written in the text are matched whole, before SentencePiece sees it
    inner.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in (eos, unk, pad)])
    codes = [t for t in vocab if t.startswith(">>") and t.endswith("<<")]  # multilingual targets: ">>fra<<"
    if codes:  # the step-through keeps them whole too (refused where Marian would not: mid-text)
        inner.add_tokens([AddedToken(t, normalized=False) for t in codes])
    # shared vocabularies decode with the source model (transformers: use_source_tokenizer)
    out = VocabMappedTokenizer(inner, vocab, unk, prefix=[], suffix=[eos], specials=[eos, unk, pad],
                               split=[eos, unk, pad], spm=_processor(src), join_special=" ", source=str(src),
                               cleanup=folder.flag("clean_up_tokenization_spaces", False), lang_code_prefix=True,
                               target_spm=_processor(folder.file("target.spm")))
    out.piece_scores = dict(spm.pieces)
    return out


@layout("M2M100Tokenizer", ("sentencepiece.bpe.model", "vocab.json"))
def m2m100(folder: SpmFolder) -> VocabMappedTokenizer:
    path = folder.file("sentencepiece.bpe.model")
    vocab = _vocab(folder, "vocab.json")
    codes_set = folder.config.get("language_codes", "m2m100")
    if codes_set not in M2M100_SETS:
        raise ModelLoadError(f"{folder.path}: M2M100 language_codes {codes_set!r} is unknown; known: "
                             f"{', '.join(sorted(M2M100_SETS))}")
    n = len(vocab)
    lang = {f"__{c}__": n + i for i, c in enumerate(M2M100_SETS[codes_set])}
    full = {**vocab, **lang}
    unk, eos, pad, bos = (folder.token(k, d) for k, d in (("unk_token", "<unk>"), ("eos_token", "</s>"),
                                                          ("pad_token", "<pad>"), ("bos_token", "<s>")))
    for t in (unk, eos):
        if t not in vocab:
            raise ModelLoadError(f"{folder.path / 'vocab.json'} has no {t!r}, which M2M100 needs")
    check_added_ids(full, folder)
    src = folder.config.get("src_lang") or "en"
    if f"__{src}__" not in lang:
        raise ModelLoadError(f"{folder.path}: src_lang {src!r} is not one of M2M100's language codes")
    specials = [t for t in (bos, eos, unk, pad) if t]
    spm = read_spm(path)
    inner = spm_exact(spm, known_chars=[t for t in vocab if len(t) == 1])  # for the step-through
    # language tokens typed in the text are plain text to transformers' M2M100Tokenizer (it splits out only
    # the specials), and decode as plain pieces
    inner.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    tgt = folder.config.get("tgt_lang")
    if tgt is not None and f"__{tgt}__" not in lang:
        raise ModelLoadError(f"{folder.path}: tgt_lang {tgt!r} is not one of M2M100's language codes")
    out = VocabMappedTokenizer(inner, full, unk, prefix=[f"__{src}__"], suffix=[eos], specials=specials,
                               target_prefix=[f"__{tgt}__"] if tgt else None,
                               split=specials, spm=_processor(path), join_special="", source=str(path),
                               cleanup=folder.flag("clean_up_tokenization_spaces", False))
    out.piece_scores = dict(spm.pieces)
    return out
