"""T5 `spiece.model`: SentencePiece Unigram, <pad>=0 </s>=1 <unk>=2, the <extra_id_N> sentinels
appended at the top of the vocabulary (highest N first), </s> appended to every text; as
transformers 5's T5Tokenizer rebuilds it (its normalizer: the file's precompiled rules)."""
from __future__ import annotations

from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers
from tokenizers.models import Unigram

from ..errors import ModelLoadError
from .spm_common import SpmFolder, add_specials, added_tokens_decoder, spm_added, template
from .spm_layouts import layout
from .spm_proto import read_spm
from .wrapper import TextTokenizer

T5_UNK_ID = 2  # transformers' T5Tokenizer fixes it


@layout("T5Tokenizer", ("spiece.model",))
def t5(folder: SpmFolder) -> TextTokenizer:
    path = folder.file("spiece.model")
    spm = read_spm(path)
    if spm.kind != "Unigram":
        raise ModelLoadError(f"{path} is a SentencePiece {spm.kind} model; T5Tokenizer reads Unigram only")
    if spm.unk_id != T5_UNK_ID:
        raise ModelLoadError(f"{path} has <unk> at id {spm.unk_id}; T5Tokenizer assumes id {T5_UNK_ID} "
                             "(T5's own layout: <pad>=0, </s>=1, <unk>=2); refused")
    n_extra = int(folder.config.get("extra_ids", 100) or 0)
    sentinels = [f"<extra_id_{i}>" for i in range(n_extra - 1, -1, -1)]
    tok = Tokenizer(Unigram(spm.pieces + [(s, 0.0) for s in sentinels], unk_id=T5_UNK_ID, byte_fallback=False))
    if spm.charsmap:
        tok.normalizer = normalizers.Precompiled(spm.charsmap)
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.WhitespaceSplit(),
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)])
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    spm_added(tok, spm)
    added_tokens_decoder(tok, folder)
    eos = folder.token("eos_token", "</s>")
    add_specials(tok, [eos, folder.token("unk_token", "<unk>"), folder.token("pad_token", "<pad>")])
    add_specials(tok, sorted(sentinels, key=lambda s: int(s[10:-1])))
    template(tok, [], [eos], "end-of-sequence")
    return TextTokenizer(tok, str(path), cleanup=folder.flag("clean_up_tokenization_spaces", False))
