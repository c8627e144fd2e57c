"""TextTokenizer: the checkpoint's own tokenizer (post-processor included) behind one small API."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tokenizers import Tokenizer

from ..errors import ModelLoadError


@dataclass
class Encoded:
    ids: list[int]
    tokens: list[str]
    offsets: list[tuple[int, int]]


class TextTokenizer:
    def __init__(self, tok: Tokenizer, source: str = "", cleanup: bool = False):
        # tokenizer.json may carry padding/truncation settings (MiniLM's: pad and cut at 128);
        # transformers ignores them unless asked, and so do we: one prompt = its own ids.
        tok.no_padding()
        tok.no_truncation()
        self.tok = tok
        self.source = source
        self.cleanup = cleanup  # transformers' clean_up_tokenization_spaces, when the folder asks
        self.piece_scores: dict[str, float] | None = None  # a SentencePiece BPE file's (for the explainer)
        self.target_tok: Tokenizer | None = None  # the target side's, where it differs (mBART, NLLB)

    @property
    def kind(self) -> str:
        """'BPE', 'WordPiece', 'Unigram' or 'WordLevel' (the library's model class)."""
        return type(self.tok.model).__name__

    @property
    def vocab_size(self) -> int:
        return self.tok.get_vocab_size(with_added_tokens=True)

    def encode(self, text: str, special: bool = True) -> Encoded:
        enc = self.tok.encode(text, add_special_tokens=special)
        return Encoded(list(enc.ids), list(enc.tokens), [tuple(o) for o in enc.offsets])

    def encode_target(self, text: str, special: bool = True) -> Encoded:
        """A translation target's (decoder side's) tokens, as transformers' `text_target=` gives them:
        the same as encode() except where the layout has a target side of its own."""
        if self.target_tok is None:
            return self.encode(text, special)
        enc = self.target_tok.encode(text, add_special_tokens=special)
        return Encoded(list(enc.ids), list(enc.tokens), [tuple(o) for o in enc.offsets])

    def decode(self, ids: list[int], skip_special: bool = True) -> str:
        text = self.tok.decode(list(ids), skip_special_tokens=skip_special)
        if self.cleanup:
            from .spm_common import clean_up_spaces

            text = clean_up_spaces(text)
        return text

    def id_to_token(self, i: int) -> str:
        return self.tok.id_to_token(int(i)) or f"<{i}>"

    def token_to_id(self, token: str) -> int | None:
        return self.tok.token_to_id(token)

    def token_strings(self, ids) -> list[str]:
        """Display strings per id (byte-level 'Ġ' shown as a space, '▁' likewise)."""
        out = []
        for i in ids:
            piece = self.tok.decode([int(i)], skip_special_tokens=False)
            out.append(piece if piece else self.id_to_token(i))
        return out


def _from_vocab_files(folder: Path) -> Tokenizer | None:
    from tokenizers.implementations import BertWordPieceTokenizer, ByteLevelBPETokenizer

    if (folder / "vocab.json").is_file() and (folder / "merges.txt").is_file():
        return ByteLevelBPETokenizer(str(folder / "vocab.json"), str(folder / "merges.txt"))._tokenizer
    if (folder / "vocab.txt").is_file():
        lower = True
        cfg = folder / "tokenizer_config.json"
        if cfg.is_file():
            import json

            lower = bool(json.loads(cfg.read_text()).get("do_lower_case", True))
        return BertWordPieceTokenizer(str(folder / "vocab.txt"), lowercase=lower)._tokenizer
    return None


def load_tokenizer(folder: Path) -> TextTokenizer:
    path = folder / "tokenizer.json"
    if path.is_file():
        try:
            return TextTokenizer(Tokenizer.from_file(str(path)), str(path))
        except Exception as e:  # the library raises a bare Exception on bad JSON
            raise ModelLoadError(f"{path} is not a valid tokenizer.json ({e})") from None
    from .spm_layouts import SPM_FILES, has_sentencepiece, load_sentencepiece_folder

    if has_sentencepiece(folder):  # before vocab.json: Marian and M2M100 pair it with .spm files
        return load_sentencepiece_folder(folder)
    tok = _from_vocab_files(folder)
    if tok is None:
        raise ModelLoadError(
            f"{folder} has no tokenizer (looked for tokenizer.json, {', '.join(SPM_FILES)}, "
            "vocab.json + merges.txt, vocab.txt)"
        )
    return TextTokenizer(tok, str(folder))
