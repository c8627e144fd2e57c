"""Load only a model's tokenizer by name (bundled, pack, folder, .gguf, cached repo id): no weights."""
from __future__ import annotations

from ..errors import ModelLoadError
from .wrapper import TextTokenizer, load_tokenizer


def load_tokenizer_only(name: str | None):
    """(ModelRef, TextTokenizer) for `name`, resolved exactly as `load_model` resolves it."""
    from ..loading.sources import default_model, resolve

    ref = resolve(name or default_model())
    if ref.path.is_file() and ref.path.suffix.lower() == ".gguf":
        from ..loading.gguf_file import read
        from .gguf_tokenizer import tokenizer_from_gguf

        meta, _ = read(ref.path)
        return ref, tokenizer_from_gguf(meta, str(ref.path))
    if not ref.path.is_dir():
        raise ModelLoadError(f"{ref.path} is neither a model folder nor a .gguf file")
    return ref, load_tokenizer(ref.path)
