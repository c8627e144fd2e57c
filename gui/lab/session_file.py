"""Lab sessions on disk: model reference, prompt, settings, generated tokens, the beam tree, the
run's events (what the charts drew: step views with their raw scores, cross-attention rows), the
shown step and open tab, and named sections (ablation, training, the debugger's place: see
gui/lab/session_sections.py), as one JSON file written atomically (engine.io_utils.atomic_write:
temp file, then rename), so an interrupted save leaves the previous file as it was.

Version 1 files (no events, no sections) still open: their charts stay empty until a new run.
A recording (gui/recording.py) stores the same JSON with its tensors in safetensors instead.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import InputError
from engine.io_utils import atomic_write

from . import session_checks as check
from .lab_calls import GenerationSettings
from .tree_model import Node
from ..i18n import tr

FORMAT = "tplay-lab-session"
VERSION = 2
READABLE = (1, 2)


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
    events: list = field(default_factory=list)  # LabEvents of the run, as the charts received them
    selected: int | None = None  # the event shown (None: the newest)
    tab: str | None = None  # the lab's open tab
    sections: dict = field(default_factory=dict)  # name -> JSON object (session_sections.py checks each)

    def __eq__(self, other) -> bool:
        """Equal content, tensors bit for bit (events hold arrays, which == cannot compare)."""
        return isinstance(other, LabSession) and self.to_json() == other.to_json()

    def to_json(self) -> dict:
        """The whole session as JSON, its tensors inline (base64)."""
        from ..recording_codec import InlineTensors

        tensors = InlineTensors()
        d = self.to_parts(tensors)
        d["tensors"] = tensors.d
        return d

    def to_parts(self, tensors) -> dict:
        """The JSON without its tensors, which go to `tensors.put` (a recording's safetensors)."""
        from ..recording_codec import encode_events

        return {
            "format": FORMAT, "version": VERSION, "model": self.model, "prompt": self.prompt,
            "settings": self.settings.flat(), "tokens": list(self.tokens), "text": self.text,
            "nodes": [n.to_json() for n in self.nodes],
            "ranking": [[list(ids), score] for ids, score in self.ranking],
            "stop_reason": self.stop_reason, "events": encode_events(self.events, tensors),
            "selected": self.selected, "tab": self.tab, "sections": dict(self.sections),
        }

    @classmethod
    def from_json(cls, d) -> "LabSession":
        """Check every field (session_checks) before building: a damaged file is one InputError."""
        from ..recording_codec import InlineTensors

        tensors = InlineTensors(d.get("tensors", {})) if isinstance(d, dict) else None
        return cls.from_parts(d, tensors)

    @classmethod
    def from_parts(cls, d, tensors) -> "LabSession":
        from ..recording_codec import decode_events

        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise InputError(tr("this file is not a Transformer Playground lab session"))
        version = d.get("version")
        if isinstance(version, bool) or version not in READABLE or not isinstance(version, int):
            raise InputError(tr("lab session version {version} is not supported (expected the number {expected})").format(
                version=repr(version), expected=tr(" or ").join(map(str, READABLE))))
        for key in ("model", "prompt", "settings", "tokens", "nodes", "ranking"):
            if key not in d:
                raise InputError(tr("the lab session has no '{key}'").format(key=key))
        stop = d.get("stop_reason")
        events = decode_events(d.get("events", []), tensors)
        selected = check.optional(d.get("selected"), check.integer, "selected")
        if selected is not None and not 0 <= selected < len(events):
            raise InputError(f"selected step {selected} is not one of the session's {len(events)} events")
        sections = d.get("sections", {})
        if not isinstance(sections, dict) or not all(isinstance(v, dict) for v in sections.values()):
            raise InputError("sections must be an object of objects")
        return cls(
            check.text(d["model"], "model"), check.text(d["prompt"], "prompt"),
            GenerationSettings.from_flat(check.settings(d["settings"], GenerationSettings.kinds())),
            check.token_ids(d["tokens"], "tokens"), check.text(d.get("text", ""), "text"),
            [Node(**check.node(n, i)) for i, n in enumerate(check.listed(d["nodes"], "nodes"))],
            check.ranking(d["ranking"]), None if stop is None else check.text(stop, "stop_reason"),
            events, selected, check.optional(d.get("tab"), check.text, "tab"), dict(sections))


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
    """Read and check a session; every way a file can be damaged is one InputError naming it."""
    path = Path(path)
    try:
        return LabSession.from_json(_parse(path))
    except InputError as e:
        raise InputError(tr("cannot open {file}: {error}").format(file=path.name, error=e)) from None


def _parse(path: Path):
    if path.is_dir():
        raise InputError(tr("it is a folder, not a lab session file"))
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(e.strerror or str(e)) from None
    if not raw.strip():
        raise InputError(tr("the file is empty"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(tr("it is not a lab session (not UTF-8 text)")) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(tr("not valid JSON (line {line}): was the save interrupted?").format(line=e.lineno)) from None
    except RecursionError:
        raise InputError(tr("its JSON is nested too deeply to be a lab session")) from None
