"""The bytes a token stands for: byte-level BPE spells bytes as printable characters, byte
fallback as '<0xNN>', sentencepiece spaces as '▁', WordPiece continuations as '##...'."""
from __future__ import annotations

import re
from functools import lru_cache

from tokenizers import Tokenizer

_BYTE_TOKEN = re.compile(r"<0x([0-9A-Fa-f]{2})>")


@lru_cache(maxsize=1)
def byte_level_alphabet() -> dict[str, int]:
    """GPT-2's bytes_to_unicode, inverted: printable character -> byte."""
    keep = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    out, n = {}, 0
    for b in range(256):
        if b in keep:
            out[chr(b)] = b
        else:
            out[chr(256 + n)] = b
            n += 1
    return out


def is_byte_level(tok: Tokenizer) -> bool:
    return "ByteLevel" in f"{tok.pre_tokenizer!r} {tok.decoder!r}"


def token_bytes(tok: Tokenizer, token: str, byte_level: bool | None = None) -> bytes:
    m = _BYTE_TOKEN.fullmatch(token)
    if m:
        return bytes([int(m.group(1), 16)])
    if byte_level is None:
        byte_level = is_byte_level(tok)
    alphabet = byte_level_alphabet()
    if byte_level and all(c in alphabet for c in token):
        return bytes(alphabet[c] for c in token)
    prefix = getattr(tok.model, "continuing_subword_prefix", None)
    if prefix and type(tok.model).__name__ == "WordPiece" and token.startswith(prefix) and token != prefix:
        token = token[len(prefix):]
    return token.replace("▁", " ").encode("utf-8")
