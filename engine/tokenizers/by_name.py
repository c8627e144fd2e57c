"""Load only a model's tokenizer by name (bundled, pack, folder, GGUF, cached repo id, Ollama, LM Studio): no weights."""
from __future__ import annotations

from ..errors import ModelLoadError
from .wrapper import TextTokenizer, load_tokenizer


def load_tokenizer_only(name: str | None):
    """(ModelRef, TextTokenizer) for `name`, resolved exactly as `load_model` resolves it."""
    from ..loading.sources import default_model, resolve

    from ..loading.model_info import is_gguf_path

    ref = resolve(name or default_model())
    if ref.info.get("refusal"):
        raise ModelLoadError(ref.info["refusal"])
    if is_gguf_path(ref.path):  # by its magic bytes: Ollama's and the HF cache's blobs have no extension
        from ..loading.gguf_header import read_header
        from .gguf_tokenizer import tokenizer_from_gguf

        return ref, tokenizer_from_gguf(read_header(ref.path).meta, str(ref.path))
    if not ref.path.is_dir():
        raise ModelLoadError(f"{ref.path} is neither a model folder nor a GGUF file")
    return ref, load_tokenizer(ref.path)
