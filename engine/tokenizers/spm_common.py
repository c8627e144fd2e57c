"""Shared pieces of the SentencePiece folder layouts: the folder's tokenizer_config.json, special
tokens named there, BPE merges derived from a vocabulary, and the post-processor templates."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tokenizers import AddedToken, Tokenizer, processors

from ..errors import ModelLoadError


@dataclass
class SpmFolder:
    path: Path
    config: dict = field(default_factory=dict)  # tokenizer_config.json (empty when absent)
    model_config: dict = field(default_factory=dict)  # config.json (empty when absent)

    reader: str = "its SentencePiece tokenizer"  # the tokenizer class reading the folder, for messages

    def file(self, name: str) -> Path:
        p = self.path / name
        if not p.is_file():
            raise ModelLoadError(f"{self.path} has no {name}, which {self.reader} needs")
        return p

    def flag(self, key: str, default: bool) -> bool:
        v = self.config.get(key, default)
        return default if v is None else bool(v)

    def token(self, key: str, default: str | None) -> str | None:
        """A special token named in tokenizer_config.json: a string or an AddedToken dict."""
        v = self.config.get(key, default)
        if isinstance(v, dict):
            v = v.get("content")
        if v is not None and not isinstance(v, str):
            raise ModelLoadError(f"{self.path / 'tokenizer_config.json'}: {key} must be a string, not {v!r}")
        return v

    def token_list(self, key: str) -> list[str] | None:
        v = self.config.get(key)
        if v is None:
            return None
        if isinstance(v, dict):  # transformers 5 may write extra_special_tokens as {name: token}
            v = list(v.values())
        return [t.get("content") if isinstance(t, dict) else str(t) for t in v]


def read_json(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as e:
        raise ModelLoadError(f"{path} is not valid JSON ({e})") from None
    if not isinstance(d, dict):
        raise ModelLoadError(f"{path} does not hold a JSON object")
    return d


def generate_merges(vocab: dict[str, int]) -> list[tuple[str, str]]:
    """Every split of a piece into two pieces of the vocabulary is a merge, ranked by the merged
    piece's id (SentencePiece BPE files list pieces best score first), as transformers derives them."""
    found = []
    for piece, rank in vocab.items():
        local = [(piece[:k], piece[k:], rank) for k in range(1, len(piece))
                 if piece[:k] in vocab and piece[k:] in vocab]
        found.extend(sorted(local, key=lambda m: (vocab[m[0]], vocab[m[1]])))
    found.sort(key=lambda m: (m[2], len(m[0]), len(m[1])))
    return [(a, b) for a, b, _ in found]


def add_specials(tok: Tokenizer, tokens: list) -> None:
    """Add special tokens (str, or AddedToken for non-default flags) in order; strings present in
    the vocabulary keep their id, new ones are appended."""
    out = []
    for t in tokens:
        if t is None:
            continue
        out.append(t if isinstance(t, AddedToken) else AddedToken(t, special=True, normalized=False))
    if out:
        tok.add_special_tokens(out)


def spm_added(tok: Tokenizer, spm) -> None:
    """Control pieces (special) and user-defined pieces (not special) of the file, matched whole."""
    tok.add_tokens([AddedToken(p, normalized=False, special=control)
                    for _, p, control in spm.control_and_user()])


def token_id(tok: Tokenizer, token: str, what: str) -> int:
    i = tok.token_to_id(token)
    if i is None:
        raise ModelLoadError(f"the {what} token {token!r} is not in this tokenizer's vocabulary")
    return i


def template(tok: Tokenizer, prefix: list[str], suffix: list[str], what: str = "special") -> None:
    """Post-processor: prefix + text + suffix (a pair puts both texts between them)."""
    specials = sorted({(t, token_id(tok, t, what)) for t in prefix + suffix})
    tok.post_processor = processors.TemplateProcessing(
        single=[*prefix, "$A", *suffix], pair=[*prefix, "$A", "$B:1", *suffix], special_tokens=specials)


def clean_up_spaces(text: str) -> str:
    """transformers' clean_up_tokenization (used when tokenizer_config.json asks for it)."""
    for a, b in ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                 (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")):
        text = text.replace(a, b)
    return text


def added_tokens_decoder(tok: Tokenizer, folder: SpmFolder) -> None:
    """tokenizer_config.json's `added_tokens_decoder` ({id: AddedToken fields}), as transformers adds
    them: a token already in the vocabulary keeps its id and takes the flags; a new one must take the
    next free id. Anything else (a rename, a gap) is refused by name."""
    table = folder.config.get("added_tokens_decoder") or {}
    if not isinstance(table, dict):
        raise ModelLoadError(f"{folder.path / 'tokenizer_config.json'}: added_tokens_decoder must be an object")
    for key in sorted(table, key=lambda k: int(k)):
        spec = table[key]
        content = spec.get("content") if isinstance(spec, dict) else None
        if not isinstance(content, str):
            raise ModelLoadError(f"{folder.path / 'tokenizer_config.json'}: added_tokens_decoder[{key}] has no content")
        want, have = int(key), tok.token_to_id(content)
        free = tok.get_vocab_size(with_added_tokens=True)
        if have is None and want != free:
            raise ModelLoadError(f"{folder.path / 'tokenizer_config.json'}: added_tokens_decoder puts {content!r} "
                                 f"at id {want}, but the next free id is {free}; refused")
        if have is not None and have != want:
            raise ModelLoadError(f"{folder.path / 'tokenizer_config.json'}: added_tokens_decoder puts {content!r} "
                                 f"at id {want}, but the vocabulary has it at {have}; refused")
        t = AddedToken(content, single_word=bool(spec.get("single_word", False)), lstrip=bool(spec.get("lstrip", False)),
                       rstrip=bool(spec.get("rstrip", False)), normalized=bool(spec.get("normalized", False)),
                       special=bool(spec.get("special", False)))
        (tok.add_special_tokens if t.special else tok.add_tokens)([t])


def check_added_ids(vocab: dict[str, int], folder: SpmFolder) -> None:
    """For a vocab.json layout: added_tokens_decoder may only name tokens at their vocab.json ids."""
    for key, spec in (folder.config.get("added_tokens_decoder") or {}).items():
        content = spec.get("content") if isinstance(spec, dict) else None
        if vocab.get(content) != int(key):
            raise ModelLoadError(f"{folder.path / 'tokenizer_config.json'}: added_tokens_decoder puts {content!r} "
                                 f"at id {key}, but the vocabulary has it at {vocab.get(content)}; refused")
