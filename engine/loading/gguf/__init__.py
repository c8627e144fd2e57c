"""GGUF files (llama.cpp's format), one registered entry per `general.architecture`.

Importing this package registers every entry (llama, qwen2, qwen3, gemma*, phi3, gpt2).
"""
from . import gemma, gpt2, llama, phi3, qwen  # noqa: F401  (registers on import)
from .arch import ARCHITECTURES, GGUFArchitecture, unpermute_rows
from .loader import config_from_header, describe_gguf, hf_view, load_gguf
from .reader import Contents, read

__all__ = ["ARCHITECTURES", "Contents", "config_from_header", "GGUFArchitecture", "describe_gguf", "hf_view", "load_gguf", "read",
           "unpermute_rows"]
