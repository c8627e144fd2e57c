"""Importing this package registers every converter (one file per architecture)."""
from . import bert, gpt2, llama, marian, phi3, smollm3  # noqa: F401
