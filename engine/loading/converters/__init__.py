"""Importing this package registers every converter (one file per architecture)."""
from . import bert, gemma, gemma2, gemma3, gpt2, llama, marian, mistral, olmo, olmo2, phi3, qwen2, qwen3, smollm3  # noqa: F401
