"""The tour file: TOML (read with tomllib) or JSON, one [[stops]] table per stop.

A stop names a model, what to run (a prompt, optionally a decoder target, or a lab run), the view
and its place (step hook names with {L} for the layer, head, position), an optional highlight
cell, the facts to compute and a caption per language. Every number in a caption is a
{placeholder} filled from those facts (engine/tour/facts.py), never typed in the file.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from ..errors import InputError
from ..io_utils import atomic_write_bytes

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, as the tomli package (declared in pyproject.toml for 3.10)
    import tomli as tomllib

BUILTIN = Path(__file__).resolve().parents[2] / "resources" / "tours"
LANGS = ("en", "zh")
PLACE = ("layer", "head", "position", "highlight")  # given in the file, or from a fact's "place"


@dataclass(frozen=True)
class Stop:
    id: str
    model: str
    view: str  # a trace view (gui/views/registry.py name) or a tour stage (greedy, beam, training, …)
    prompt: str = ""
    target: str = ""  # decoder input of an encoder-decoder model ("" = the start token only)
    steps: tuple[str, ...] = ()  # hook names ({L} = layer); F10 walks them inside the stop
    layer: int | None = None
    head: int | None = None
    position: int | None = None  # -1 = last
    highlight: tuple[int, int] | None = None  # (row, column) of the cell the caption talks about
    facts: tuple[str, ...] = ()
    args: dict = field(default_factory=dict)  # the facts' arguments (e.g. query = "it", key = "animal")
    title: dict = field(default_factory=dict)  # lang -> text
    caption: dict = field(default_factory=dict)  # lang -> template with {placeholders}

    def text(self, what: str, lang: str) -> str:
        """The title or caption in `lang`, else in English."""
        d = getattr(self, what)
        return d.get(lang) or d.get("en", "")

    def step_names(self, layer: int) -> list[str]:
        return [s.format(L=layer) for s in self.steps]


@dataclass(frozen=True)
class Tour:
    title: dict
    stops: tuple[Stop, ...]
    path: str = ""

    def text(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en", "")

    def with_stop(self, stop: Stop, at: int | None = None) -> "Tour":
        stops = list(self.stops)
        stops.insert(len(stops) if at is None else at, stop)
        return replace(self, stops=tuple(stops))

    def with_caption(self, index: int, lang: str, text: str) -> "Tour":
        s = self.stops[index]
        stops = list(self.stops)
        stops[index] = replace(s, caption={**s.caption, lang: text})
        return replace(self, stops=tuple(stops))


def _texts(raw, what: str, where: str) -> dict:
    """{lang: text} from `title = "…"` or `[stops.caption] en = "…" zh = "…"`."""
    if isinstance(raw, str):
        return {"en": raw}
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise InputError(f"{where}: {what} must be text or a table of texts by language (en, zh)")
    bad = sorted(set(raw) - set(LANGS))
    if bad:
        raise InputError(f"{where}: {what} has language {bad[0]!r}; the languages are {', '.join(LANGS)}")
    return dict(raw)


def _int(v, what: str, where: str) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise InputError(f"{where}: {what} must be a whole number, not {v!r}")
    return v


def _stop(raw: dict, i: int) -> Stop:
    where = f"stop {i + 1}"
    if not isinstance(raw, dict):
        raise InputError(f"{where} must be a table")
    known = {f.name for f in fields(Stop)}
    extra = sorted(set(raw) - known)
    if extra:
        raise InputError(f"{where}: unknown field {extra[0]!r} (known: {', '.join(sorted(known))})")
    for need in ("id", "model", "view"):
        if not isinstance(raw.get(need), str) or not raw[need]:
            raise InputError(f"{where}: {need} is required (text)")
    where = f"stop {i + 1} ({raw['id']})"
    hl = raw.get("highlight")
    if hl is not None and not (isinstance(hl, list) and len(hl) == 2 and all(_int(v, "highlight", where) is not None for v in hl)):
        raise InputError(f"{where}: highlight must be [row, column]")
    for key in ("steps", "facts"):
        v = raw.get(key, [])
        if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
            raise InputError(f"{where}: {key} must be a list of texts")
    args = raw.get("args", {})
    if not isinstance(args, dict):
        raise InputError(f"{where}: args must be a table")
    for key in ("prompt", "target"):
        if not isinstance(raw.get(key, ""), str):
            raise InputError(f"{where}: {key} must be text")
    caption = _texts(raw.get("caption", {}), "caption", where)
    if "en" not in caption:
        raise InputError(f"{where}: the caption needs at least its English text (caption.en)")
    return Stop(id=raw["id"], model=raw["model"], view=raw["view"], prompt=raw.get("prompt", ""),
                target=raw.get("target", ""), steps=tuple(raw.get("steps", [])),
                layer=_int(raw.get("layer"), "layer", where), head=_int(raw.get("head"), "head", where),
                position=_int(raw.get("position"), "position", where),
                highlight=tuple(hl) if hl is not None else None, facts=tuple(raw.get("facts", [])),
                args=dict(args), title=_texts(raw.get("title", {}), "title", where), caption=caption)


def parse_tour(raw: dict, path: str = "") -> Tour:
    """A Tour from the file's parsed tables; a malformed one raises InputError naming the stop."""
    if not isinstance(raw, dict) or not isinstance(raw.get("stops"), list) or not raw["stops"]:
        raise InputError(f"{path or 'the tour'}: no stops (a tour is [[stops]] tables)")
    stops = tuple(_stop(s, i) for i, s in enumerate(raw["stops"]))
    ids = [s.id for s in stops]
    dup = next((x for x in ids if ids.count(x) > 1), None)
    if dup:
        raise InputError(f"{path or 'the tour'}: two stops have the id {dup!r}")
    return Tour(_texts(raw.get("title", "Tour"), "title", "the tour"), stops, path)


def builtin_names() -> list[str]:
    return sorted(p.stem for p in BUILTIN.glob("*.toml"))


def find_tour(name: str) -> Path:
    """A file path, or a built-in tour's name (resources/tours/NAME.toml)."""
    p = Path(name).expanduser()
    if p.is_file():
        return p
    b = BUILTIN / f"{name}.toml"
    if b.is_file():
        return b
    raise InputError(f"no tour {name!r}: give a .toml or .json file or a built-in name ({', '.join(builtin_names())})")


def load_tour(name: str) -> Tour:
    path = find_tour(name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read tour {path}: {getattr(e, 'strerror', None) or e}") from None
    try:
        raw = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as e:
        raise InputError(f"tour {path.name} is not valid {'JSON' if path.suffix.lower() == '.json' else 'TOML'}: {e}") from None
    return parse_tour(raw, str(path))


# --- writing -------------------------------------------------------------------------------
def _raw_stop(s: Stop) -> dict:
    d = {"id": s.id, "model": s.model, "view": s.view}
    for key in ("prompt", "target"):
        if getattr(s, key):
            d[key] = getattr(s, key)
    for key in ("steps", "facts"):
        if getattr(s, key):
            d[key] = list(getattr(s, key))
    for key in PLACE:
        v = getattr(s, key)
        if v is not None:
            d[key] = list(v) if key == "highlight" else v
    for key in ("args", "title", "caption"):
        if getattr(s, key):
            d[key] = dict(getattr(s, key))
    return d


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise InputError(f"cannot write {v!r} in a tour file")


def tour_text(tour: Tour, fmt: str = "toml") -> str:
    """The tour as TOML (the default) or JSON text; load_tour reads either back to an equal Tour."""
    raw = {"title": dict(tour.title), "stops": [_raw_stop(s) for s in tour.stops]}
    if fmt == "json":
        return json.dumps(raw, ensure_ascii=False, indent=2) + "\n"
    out = ["[title]"] + [f"{k} = {_toml_value(v)}" for k, v in raw["title"].items()]
    for s in raw["stops"]:
        out += ["", "[[stops]]"]
        out += [f"{k} = {_toml_value(v)}" for k, v in s.items() if not isinstance(v, dict)]
        for k, v in s.items():
            if isinstance(v, dict):
                out += [f"[stops.{k}]"] + [f"{json.dumps(a)} = {_toml_value(b)}" for a, b in v.items()]
    return "\n".join(out) + "\n"


def save_tour(tour: Tour, path: str | Path) -> Path:
    """Write the tour atomically, as JSON for a .json name, else TOML."""
    path = Path(path)
    text = tour_text(tour, "json" if path.suffix.lower() == ".json" else "toml")
    atomic_write_bytes(path, text.encode("utf-8"))
    return path
