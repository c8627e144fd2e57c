"""Tokenizers through the Hugging Face `tokenizers` library, plus a step-by-step explainer."""
from .wrapper import TextTokenizer, load_tokenizer

__all__ = ["TextTokenizer", "load_tokenizer"]
