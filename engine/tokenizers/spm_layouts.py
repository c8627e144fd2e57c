"""Model folders that carry only SentencePiece files: which tokenizer class reads them, by name.

The class comes from tokenizer_config.json's `tokenizer_class` (or config.json's), else from
config.json's `model_type`, else from the file the folder holds (as transformers' AutoTokenizer picks it).
Each class is one builder, registered with `@layout(name, files)`, that mirrors the
transformers 5 tokenizer of that name.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..errors import ModelLoadError
from .spm_common import SpmFolder, read_json

# tokenizer class -> (builder, the files it reads)
LAYOUTS: dict[str, tuple[Callable[[SpmFolder], object], tuple[str, ...]]] = {}

# the file a folder holds -> the class that reads it when no config names one (first match wins)
BY_FILE: list[tuple[str, str]] = [
    ("source.spm", "MarianTokenizer"),
    ("tokenizer.model", "LlamaTokenizer"),
    ("spiece.model", "T5Tokenizer"),
]
SPM_FILES = ("tokenizer.model", "spiece.model", "source.spm", "sentencepiece.bpe.model")

# config.json model_type -> tokenizer class (transformers' TOKENIZER_MAPPING for these families)
BY_MODEL_TYPE = {
    "llama": "LlamaTokenizer", "mistral": "LlamaTokenizer", "t5": "T5Tokenizer", "mt5": "T5Tokenizer",
    "marian": "MarianTokenizer", "xlm-roberta": "XLMRobertaTokenizer", "mbart": "MBartTokenizer",
    "m2m_100": "M2M100Tokenizer", "nllb": "NllbTokenizer",
}

# classes known to read these files whose rules are not implemented: refused by name
REFUSED = {
    "AlbertTokenizer": "ALBERT's SentencePiece rules (lower-casing, [CLS]/[SEP]) are not implemented",
    "GemmaTokenizer": "Gemma's SentencePiece rules are not implemented for tokenizer.model folders",
    "CodeLlamaTokenizer": "Code Llama's infilling tokens are not implemented",
    "MBart50Tokenizer": "mBART-50's language-code layout is not implemented (mBART-25's is)",
}


def layout(name: str, files: tuple[str, ...]):
    def deco(fn):
        LAYOUTS[name] = (fn, files)
        return fn

    return deco


def _class_for(folder: SpmFolder) -> str:
    for named in (folder.config.get("tokenizer_class"), folder.model_config.get("tokenizer_class")):
        if isinstance(named, str) and named:
            return named[:-4] if named.endswith("Fast") else named
    mtype = folder.model_config.get("model_type")
    if mtype in BY_MODEL_TYPE:
        return BY_MODEL_TYPE[mtype]
    for fname, cls in BY_FILE:
        if (folder.path / fname).is_file():
            return cls
    if (folder.path / "sentencepiece.bpe.model").is_file():
        return "M2M100Tokenizer" if (folder.path / "vocab.json").is_file() else "XLMRobertaTokenizer"
    raise ModelLoadError(f"{folder.path}: cannot tell which tokenizer reads its SentencePiece file; "
                         "name it as tokenizer_class in tokenizer_config.json")


def has_sentencepiece(folder: Path) -> bool:
    return any((folder / f).is_file() for f in SPM_FILES)


def load_sentencepiece_folder(folder: Path):
    """The folder's TextTokenizer built from its SentencePiece files (ModelLoadError if refused)."""
    from . import spm_fairseq, spm_llama, spm_t5, spm_vocab_json  # noqa: F401  (register layouts)

    f = SpmFolder(folder, read_json(folder / "tokenizer_config.json"), read_json(folder / "config.json"))
    cls = _class_for(f)
    if cls in REFUSED:
        raise ModelLoadError(f"{folder}: tokenizer {cls} is refused: {REFUSED[cls]}")
    if cls not in LAYOUTS:
        raise ModelLoadError(f"{folder}: tokenizer class {cls!r} is not supported for SentencePiece "
                             f"folders; supported: {', '.join(sorted(LAYOUTS))}")
    build, files = LAYOUTS[cls]
    f.reader = cls
    for name in files:
        f.file(name)
    return build(f)
