"""fairseq-style `sentencepiece.bpe.model` folders, as transformers 5 rebuilds them: the specials
<s>=0 <pad>=1 </s>=2 <unk>=3 take the first ids and every other piece moves up by one.
XLM-R appends <mask>; mBART appends its 25 language codes, then <mask>, and ends a text with
"</s> src_lang"; NLLB (BPE) starts a text with its src_lang code and ends it with </s>."""
from __future__ import annotations

from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers
from tokenizers.models import BPE, Unigram

from ..errors import ModelLoadError
from .spm_common import SpmFolder, add_specials, added_tokens_decoder, generate_merges, spm_added, template
from .spm_languages import MBART
from .spm_layouts import layout
from .spm_proto import read_spm
from .wrapper import TextTokenizer

FILE = "sentencepiece.bpe.model"


def _specials(folder: SpmFolder) -> list[str]:
    return [folder.token("bos_token", "<s>"), folder.token("pad_token", "<pad>"),
            folder.token("eos_token", "</s>"), folder.token("unk_token", "<unk>")]


def _read(folder: SpmFolder, cls: str, kind: str):
    path = folder.file(FILE)
    spm = read_spm(path)
    if spm.kind != kind:
        raise ModelLoadError(f"{path} is a SentencePiece {spm.kind} model, but {cls} reads it as {kind}; "
                             "refused")
    return path, spm


def _metaspace(tok: Tokenizer, prepend: str, whitespace_split: bool) -> None:
    meta = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme=prepend, split=True)
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), meta]) if whitespace_split else meta
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme=prepend, split=True)


def _done(tok: Tokenizer, folder: SpmFolder, path, scores=None, target=None) -> TextTokenizer:
    """target(tokenizer, language): sets the target side's post-processor (when tgt_lang is named)."""
    out = TextTokenizer(tok, str(path), cleanup=folder.flag("clean_up_tokenization_spaces", False))
    out.piece_scores = scores
    tgt = folder.config.get("tgt_lang")
    if target is not None and tgt:
        out.target_tok = Tokenizer.from_str(tok.to_str())
        target(out.target_tok, tgt)
        out.target_tok.no_padding()
        out.target_tok.no_truncation()
    return out


@layout("XLMRobertaTokenizer", (FILE,))
def xlm_roberta(folder: SpmFolder) -> TextTokenizer:
    path, spm = _read(folder, "XLMRobertaTokenizer", "Unigram")
    specials = _specials(folder)
    mask = folder.token("mask_token", "<mask>")
    vocab = [(t, 0.0) for t in specials] + spm.pieces[3:] + [(mask, 0.0)]
    tok = Tokenizer(Unigram(vocab, unk_id=3, byte_fallback=False))
    if spm.charsmap:
        tok.normalizer = normalizers.Precompiled(spm.charsmap)
    _metaspace(tok, "always" if folder.flag("add_prefix_space", True) else "never", whitespace_split=True)
    spm_added(tok, spm)
    added_tokens_decoder(tok, folder)
    add_specials(tok, specials + [mask])
    template(tok, [specials[0]], [specials[2]], "begin/end-of-sequence")
    return _done(tok, folder, path)


@layout("MBartTokenizer", (FILE,))
def mbart(folder: SpmFolder) -> TextTokenizer:
    path, spm = _read(folder, "MBartTokenizer", "Unigram")
    specials = _specials(folder)
    mask = folder.token("mask_token", "<mask>")
    vocab = [(t, 0.0) for t in specials] + spm.pieces[3:] + [(c, 0.0) for c in MBART] + [(mask, 0.0)]
    tok = Tokenizer(Unigram(vocab, unk_id=3, byte_fallback=False))  # transformers 5: no normalizer
    _metaspace(tok, "always", whitespace_split=True)
    spm_added(tok, spm)
    added_tokens_decoder(tok, folder)
    add_specials(tok, specials + [AddedToken(mask, lstrip=True, rstrip=False, special=True, normalized=False)])
    add_specials(tok, MBART + [t for t in folder.token_list("additional_special_tokens") or [] if t not in MBART])
    src = folder.config.get("src_lang") or "en_XX"
    template(tok, [], [specials[2], src], "source-language")
    return _done(tok, folder, path, target=lambda t, lang: template(t, [], [specials[2], lang], "target-language"))


@layout("NllbTokenizer", (FILE,))
def nllb(folder: SpmFolder) -> TextTokenizer:
    path, spm = _read(folder, "NllbTokenizer", "BPE")
    specials = _specials(folder)
    spm_vocab = {p: i for i, (p, _) in enumerate(spm.pieces)}
    vocab = {t: i for i, t in enumerate(specials)}
    for p in spm_vocab:
        vocab.setdefault(p, len(vocab))
    tok = Tokenizer(BPE(vocab=vocab, merges=generate_merges(spm_vocab), dropout=None, unk_token=specials[3],
                        fuse_unk=True, byte_fallback=False))
    if spm.charsmap:
        tok.normalizer = normalizers.Sequence([normalizers.Precompiled(spm.charsmap),
                                               normalizers.Replace(Regex(r" {2,}"), " ")])
    _metaspace(tok, "always", whitespace_split=False)
    spm_added(tok, spm)
    added_tokens_decoder(tok, folder)
    mask = folder.token("mask_token", "<mask>")
    add_specials(tok, specials + [AddedToken(mask, normalized=True, lstrip=True, special=True)])
    codes = folder.token_list("extra_special_tokens") or folder.token_list("additional_special_tokens")
    if not codes:
        raise ModelLoadError(f"{folder.path}: NllbTokenizer needs its language codes listed in "
                             "tokenizer_config.json (additional_special_tokens); none are")
    add_specials(tok, codes)
    src = folder.config.get("src_lang") or "eng_Latn"

    def frame(t, lang, what):
        if folder.flag("legacy_behaviour", False):
            template(t, [], [specials[2], lang], what)
        else:
            template(t, [lang], [specials[2]], what)

    frame(tok, src, "source-language")
    return _done(tok, folder, path, dict(spm.pieces), target=lambda t, lang: frame(t, lang, "target-language"))
