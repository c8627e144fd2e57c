"""The bytes behind a token string: byte-level BPE ('Ġ' = space), byte fallback ('<0xE6>'),
WordPiece ('##' continuation) and SentencePiece ('▁' = space)."""
from __future__ import annotations

import re
from functools import lru_cache

_FALLBACK = re.compile(r"^<0x([0-9A-Fa-f]{2})>$")


@lru_cache(maxsize=1)
def _byte_decoder() -> dict[str, int]:
    """Inverse of GPT-2's bytes_to_unicode table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


def token_bytes(token: str, byte_level: bool) -> bytes:
    m = _FALLBACK.match(token)
    if m:
        return bytes([int(m.group(1), 16)])
    dec = _byte_decoder()
    if byte_level and all(ch in dec for ch in token):
        return bytes(dec[ch] for ch in token)
    if token.startswith("##"):
        token = token[2:]
    return token.replace("▁", " ").encode("utf-8")
