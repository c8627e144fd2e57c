"""Transformer Playground desktop app (PySide6). Imports engine; engine never imports gui."""
