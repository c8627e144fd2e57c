"""Lab sessions on disk: model reference, prompt, settings, generated tokens and the beam tree,
as one JSON file written atomically (engine.io_utils.atomic_write: temp file, then rename), so
an interrupted save leaves the previous file as it was.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import InputError
from engine.io_utils import atomic_write

from .lab_calls import GenerationSettings
from .tree_model import Node

FORMAT = "tplay-lab-session"
VERSION = 1


@dataclass
class LabSession:
    model: str  # name or folder given to load_model
    prompt: str
    settings: GenerationSettings = field(default_factory=GenerationSettings)
    tokens: list[int] = field(default_factory=list)  # the followed line's generated ids
    text: str = ""  # those tokens decoded
    nodes: list[Node] = field(default_factory=list)  # beam tree, in insertion order
    ranking: list[tuple[list[int], float]] = field(default_factory=list)  # final beams, best first
    stop_reason: str | None = None

    def to_json(self) -> dict:
        return {
            "format": FORMAT, "version": VERSION, "model": self.model, "prompt": self.prompt,
            "settings": self.settings.flat(), "tokens": list(self.tokens), "text": self.text,
            "nodes": [n.to_json() for n in self.nodes],
            "ranking": [[list(ids), score] for ids, score in self.ranking],
            "stop_reason": self.stop_reason,
        }

    @classmethod
    def from_json(cls, d: dict) -> "LabSession":
        if d.get("format") != FORMAT:
            raise InputError("this file is not a Transformer Playground lab session")
        if d.get("version") != VERSION:
            raise InputError(f"lab session version {d.get('version')} is not supported (expected {VERSION})")
        try:
            return cls(d["model"], d["prompt"], GenerationSettings.from_flat(d["settings"]), list(d["tokens"]),
                       d.get("text", ""), [Node.from_json(n) for n in d["nodes"]],
                       [(list(ids), float(s)) for ids, s in d["ranking"]], d.get("stop_reason"))
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(f"the lab session file is damaged ({type(e).__name__}: {e})") from None


def _dump(session: LabSession, tmp: str) -> None:
    """Write the JSON to the temp file (a separate function so tests can interrupt it)."""
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(session.to_json(), f, ensure_ascii=False, indent=1)
        f.flush()


def save(session: LabSession, path: str | Path) -> Path:
    path = Path(path)
    atomic_write(path, lambda tmp: _dump(session, tmp))
    return path


def load(path: str | Path) -> LabSession:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path.name} is not valid JSON (line {e.lineno}): was the save interrupted?") from None
    return LabSession.from_json(data)
