"""Llama-2 / Mistral v0.1 `tokenizer.model`: SentencePiece BPE with byte fallback, as transformers 5's
LlamaTokenizer rebuilds it: merges derived from the vocabulary, Metaspace adding the prefix "▁"
('first' when not `legacy`, 'always' for `legacy`, 'never' without `add_prefix_space`), BOS added."""
from __future__ import annotations

from tokenizers import Tokenizer, decoders, pre_tokenizers
from tokenizers.models import BPE

from ..errors import ModelLoadError
from .spm_common import SpmFolder, add_specials, added_tokens_decoder, generate_merges, spm_added, token_id
from .spm_layouts import layout
from .spm_proto import read_spm
from .wrapper import TextTokenizer


def prepend_scheme(add_prefix_space: bool, legacy: bool) -> str:
    if not add_prefix_space:
        return "never"
    return "always" if legacy else "first"


@layout("LlamaTokenizer", ("tokenizer.model",))
def llama(folder: SpmFolder) -> TextTokenizer:
    path = folder.file("tokenizer.model")
    spm = read_spm(path)
    if spm.kind != "BPE":
        raise ModelLoadError(f"{path} is a SentencePiece {spm.kind} model, but LlamaTokenizer reads "
                             "tokenizer.model as BPE (its pieces would be merged wrongly); refused")
    vocab = {p: i for i, (p, _) in enumerate(spm.pieces)}
    # transformers 5 builds it with no unknown token and byte fallback always on
    tok = Tokenizer(BPE(vocab=vocab, merges=generate_merges(vocab), fuse_unk=True, byte_fallback=True,
                        dropout=None))
    prefix = folder.flag("add_prefix_space", True)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="▁", prepend_scheme=prepend_scheme(prefix, folder.flag("legacy", False)), split=False)
    steps = [decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()]
    if prefix:
        steps.append(decoders.Strip(content=" ", left=1, right=0))
    tok.decoder = decoders.Sequence(steps)
    spm_added(tok, spm)
    added_tokens_decoder(tok, folder)
    bos, eos = folder.token("bos_token", "<s>"), folder.token("eos_token", "</s>")
    add_specials(tok, [folder.token("unk_token", "<unk>"), bos, eos, folder.token("pad_token", None)])
    # BOS by default (Llama-2 / Mistral checkpoints are trained with it; a folder may say otherwise)
    head = [bos] if bos and folder.flag("add_bos_token", True) else []
    tail = [eos] if eos and folder.flag("add_eos_token", False) else []
    if head or tail:
        from tokenizers import processors

        specials = sorted({(t, token_id(tok, t, "BOS/EOS")) for t in head + tail})
        single = [f"{t}:0" for t in head] + ["$A:0"] + [f"{t}:0" for t in tail]
        pair = single + [f"{t}:1" for t in head] + ["$B:1"] + [f"{t}:1" for t in tail]
        tok.post_processor = processors.TemplateProcessing(single=single, pair=pair, special_tokens=specials)
    out = TextTokenizer(tok, str(path), cleanup=folder.flag("clean_up_tokenization_spaces", False))
    out.piece_scores = dict(spm.pieces)
    return out
