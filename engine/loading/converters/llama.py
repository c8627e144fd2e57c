"""Converter for llama checkpoints (to be written)."""
