"""Recordings: one run saved to one file that reopens without the model (no Qt, no pickle).

A recording is a safetensors file (extension .tplayrec) whose tensors are the run's values and
whose metadata holds one JSON document describing them (format, version, what the GUI needs to
show each tensor). See container.py for the file and its checks.
"""
from .container import FORMAT, SUFFIX, VERSION, Recording, estimate_bytes, read, write

__all__ = ["FORMAT", "SUFFIX", "VERSION", "Recording", "estimate_bytes", "read", "write"]
