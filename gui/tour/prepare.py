"""A stop's run, done off the UI thread (no Qt): the model, the prompt's trace or the lab's run,
the facts that fill its caption, and its resolved place. The presenter and `tplay tour run`
both draw from a PreparedStop, so the picture and the caption's numbers come from one run."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from engine.errors import InputError
from engine.tour import Stop, fill_caption
from engine.tour.facts import FactInput, compute

from .stages import STAGES, TRACE

TRAIN_STEPS = 120  # the training stop's default: a few seconds on one core, the loss has clearly fallen
never = lambda: False  # noqa: E731


@dataclass
class PreparedStop:
    stop: Stop
    lm: object = None
    store: object = None  # gui TraceStore, trace stops
    values: dict = field(default_factory=dict)
    layer: int = 0
    head: int = 0
    position: int = -1
    highlight: tuple[int, int] | None = None
    steps: list[str] = field(default_factory=list)  # resolved hook names (F10 walks them)
    events: list = field(default_factory=list)  # lab LabEvents (greedy / beam)
    training: tuple | None = None  # (MicroRun, [StepReport], TrainResult)

    @property
    def n_steps(self) -> int:
        """What F10 walks: the trace steps, or the generation's steps (the beam tree grows)."""
        if self.events:
            return len(self.events)
        return max(1, len(self.steps))

    @property
    def first_step(self) -> int:
        """A lab run opens finished (its caption speaks of the result); F10 then replays it."""
        return self.n_steps - 1 if self.events else 0

    def caption(self, lang: str) -> str:
        return fill_caption(self.stop.text("caption", lang), self.values, f"the caption of stop {self.stop.id!r} ({lang})")

    def title(self, lang: str) -> str:
        return fill_caption(self.stop.text("title", lang), self.values, f"the title of stop {self.stop.id!r}")


class Models:
    """Loaded models by name, so a tour loads each once."""

    def __init__(self):
        self.loaded: dict[str, object] = {}

    def get(self, name: str):
        if name not in self.loaded:
            from engine import load_model

            self.loaded[name] = load_model(name)
        return self.loaded[name]


def _fact_input(stop: Stop, lm, store, layer: int) -> FactInput:
    first = stop.step_names(layer)[0] if stop.steps else ""
    module = first.rsplit(".", 1)[0] if "." in first and ".hook_" in first else ""
    return FactInput(lm=lm, prompt=stop.prompt, ids=list(store.ids), tokens=list(store.tokens), tensors=store,
                     names=[n for n in store.order if n in store], args=dict(stop.args), layer=layer,
                     head=stop.head or 0, position=-1 if stop.position is None else stop.position,
                     module=module, target_tokens=list(store.target_tokens or []))


def prepare(stop: Stop, models: Models, cancel: Callable[[], bool] = never) -> PreparedStop:
    """Everything a stop shows, computed on the calling thread (the worker's, in the presenter)."""
    kind = STAGES.get(stop.view, TRACE)
    where = f"stop {stop.id!r}"
    out = PreparedStop(stop)
    fin = None
    if kind.needs == "training":
        from ..lab.training_calls import build_micro

        reports: list = []
        run = build_micro(int(stop.args.get("steps", TRAIN_STEPS)), callbacks=[reports.append])
        result = run.trainer.run()
        out.training = (run, reports, result)
        fin = FactInput(lm=None, prompt=stop.prompt, ids=[], tokens=[], tensors={}, names=[], args=dict(stop.args),
                        training={"history": reports, "vocab": run.vocab})
    else:
        lm = out.lm = models.get(stop.model)
        if not stop.prompt:
            raise InputError(f"{where} needs a prompt")
        from .. import engine_calls

        store = out.store = engine_calls.run_prompt(lm, stop.prompt, None, cancel, full=True, target=stop.target or None)
        fin = _fact_input(stop, lm, store, stop.layer or 0)
        if kind.needs == "generation":
            out.events = generate(lm, stop)
            last = out.events[-1]
            fin.sequences = list(last.sequences or [(last.tokens, 0.0)])
    out.values = compute(stop.facts, fin, where)
    place = out.values.get("_place", {})
    pick = lambda key, default: getattr(stop, key) if getattr(stop, key) is not None else place.get(key, default)  # noqa: E731
    out.layer, out.head, out.position = pick("layer", 0), pick("head", 0), pick("position", -1)
    out.values.update(layer=out.layer, head=out.head)  # the place, for captions ("layer {layer}")
    hl = pick("highlight", None)
    out.highlight = tuple(hl) if hl is not None else None
    if out.store is not None:
        out.steps = stop.step_names(out.layer) or kind.default_steps(out.store)
        missing = [s for s in out.steps if not out.store.has(s)]
        if missing:
            raise InputError(f"{where}: {stop.model} has no step {missing[0]!r}")
    for lang in ("en", "zh"):
        out.caption(lang)  # a placeholder no fact gives fails here, before anything is drawn
    return out


def generate(lm, stop: Stop) -> list:
    """The lab's greedy or beam run of the stop's prompt: its LabEvents (what the lab's charts draw)."""
    from ..lab.lab_calls import LiveGeneration

    settings = settings_for(stop)
    ids = lm.tokenizer.encode(stop.prompt).ids
    live = LiveGeneration(lm, ids, settings)
    live.prompt_text = stop.prompt
    events: list = []
    live.pull(settings.max_new_tokens + 1, events.append, never)
    if not events:
        raise InputError(f"stop {stop.id!r}: the generation produced nothing")
    return events


def settings_for(stop: Stop):
    """The lab's settings for a greedy or beam stop (beam: args.beams wide, that many returned)."""
    from ..lab.lab_calls import GenerationSettings

    return GenerationSettings(strategy="beam" if stop.view == "beam" else "greedy",
                              num_beams=int(stop.args.get("beams", 2)),
                              max_new_tokens=int(stop.args.get("max_new_tokens", 20)))
