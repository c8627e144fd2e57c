"""What a SentencePiece-style tokenizer does with spaces, said once at the start of an explanation:
notes registered per component type of the tokenizer's JSON (normalizer, pre-tokenizer), so a new
component gets a note by registering, not by a branch in the walk."""
from __future__ import annotations

from typing import Callable

# component "type" -> note(spec) -> one sentence, or None when this spec needs no note
COMPONENT_NOTES: dict[str, Callable[[dict], str | None]] = {}


def note(kind: str):
    def deco(fn):
        COMPONENT_NOTES[kind] = fn
        return fn

    return deco


PREPEND = {"always": "a '▁' is put before the text (and before each stretch between special tokens)",
           "first": "a '▁' is put before the text's first stretch only (not after a special token)",
           "never": "no '▁' is put before the text"}


@note("Metaspace")
def _metaspace(spec: dict) -> str:
    scheme = str(spec.get("prepend_scheme", "always")).lower()
    split = " and the text is cut before each '▁'" if spec.get("split", True) else ""
    return (f"SentencePiece spaces: every space becomes '{spec.get('replacement', '▁')}' (U+2581), so a "
            f"piece carries the space before it; {PREPEND.get(scheme, scheme)}{split}")


@note("Replace")
def _replace(spec: dict) -> str | None:
    pattern = spec.get("pattern", {})
    if spec.get("content") == "▁" and pattern.get("String") == " ":
        return "SentencePiece spaces: every space becomes '▁' (U+2581), so a piece carries the space before it"
    return None


@note("Prepend")
def _prepend(spec: dict) -> str | None:
    if spec.get("prepend") == "▁":
        return "SentencePiece's dummy prefix: a '▁' is put before the text, as if it followed a space"
    return None


@note("Precompiled")
def _precompiled(spec: dict) -> str:
    return ("SentencePiece normalisation: the model file's own precompiled rules (NFKC-style: full-width "
            "forms, ligatures, compatibility characters) rewrite the text first")


def component_notes(spec: dict) -> list[str]:
    """Notes for the normalizer and pre-tokenizer of a tokenizer JSON, in pipeline order."""
    out: list[str] = []

    def walk(component: dict | None) -> None:
        if not component:
            return
        for sub in component.get("normalizers") or component.get("pretokenizers") or []:
            walk(sub)
        fn = COMPONENT_NOTES.get(component.get("type"))
        text = fn(component) if fn else None
        if text and text not in out:
            out.append(text)

    walk(spec.get("normalizer"))
    walk(spec.get("pre_tokenizer"))
    # a note that a later one says again in full (spaces escaped, then the prefix rule) is dropped
    return [n for k, n in enumerate(out) if not any(m.startswith(n) for m in out[k + 1:])]
