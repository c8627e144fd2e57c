"""GGUF files: kept as the import path others use; the code lives in engine/loading/gguf/."""
from .gguf import ARCHITECTURES, VARIANTS, config_from_header, describe_gguf, hf_view, load_gguf, read, unpermute_rows  # noqa: F401
