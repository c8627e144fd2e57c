"""Importing this package registers every converter (one file per architecture)."""
from . import bert, falcon, gpt2, llama, marian, opt  # noqa: F401
