"""GGUF files (llama.cpp's format), one registered entry per `general.architecture`.

Importing this package registers every entry (llama, mistral, qwen2, qwen3, gemma*, phi3, gpt2,
stablelm, falcon).
"""
from . import falcon, gemma, gpt2, llama, mistral, phi3, qwen, stablelm  # noqa: F401  (registers on import)
from .arch import ARCHITECTURES, VARIANTS, GGUFArchitecture, unpermute_rows
from .loader import config_from_header, describe_gguf, hf_view, load_gguf
from .reader import Contents, read

__all__ = ["ARCHITECTURES", "VARIANTS", "Contents", "config_from_header", "GGUFArchitecture", "describe_gguf", "hf_view", "load_gguf", "read",
           "unpermute_rows"]
