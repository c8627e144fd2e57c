"""Importing this package registers every converter (one file per architecture)."""
from . import bert, falcon, gpt2, gpt_neox, gptj, llama, marian, opt, phi, phi3, smollm3, stablelm  # noqa: F401
