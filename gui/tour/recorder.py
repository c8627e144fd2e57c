"""Recording a tour: the debugger's current view becomes a stop (no Qt here).

The stop keeps what reproduces the view: the model (by name, or its folder or file), the prompt
and target, the step, head and position; its caption starts as a line to be written (Tour ▸ Edit
captions…). A recorded stop names no facts, so its caption holds only what the user types.
"""
from __future__ import annotations

from engine.errors import InputError
from engine.hook_names import layer_of
from engine.tour import Stop, Tour

from ..trace_store import TOKENS
from ..i18n import tr

NAMED_KINDS = ("bundled", "pack", "hf-cache", "ollama", "lmstudio")  # found again by name; others by path
NEW_CAPTION = {"en": "(write what this view shows)", "zh": "（写下这个视图展示了什么）"}


def model_spec(lm) -> str:
    ref = lm.ref
    return ref.name if ref.kind in NAMED_KINDS else str(ref.path)


def stop_from_session(session, n_existing: int) -> Stop:
    """A stop for what the debugger shows now (InputError when nothing has been run yet)."""
    from ..views.registry import view_name_for

    if session.lm is None or session.store is None or not session.prompt:
        raise InputError(tr("run a prompt first: a stop is the view of a run"))
    step = session.current_name() or TOKENS
    view = view_name_for(step)
    return Stop(id=f"stop-{n_existing + 1}", model=model_spec(session.lm), view=view, prompt=session.prompt,
                target=session.target or "", steps=(step,) if step != TOKENS else (),
                layer=layer_of(step) if step != TOKENS else None, head=session.head, position=session.position,
                title={"en": step}, caption=dict(NEW_CAPTION))


class Recorder:
    """The tour being recorded, and where it was last saved."""

    def __init__(self):
        self.tour = Tour({"en": "My tour", "zh": "我的导览"}, ())
        self.path: str | None = None

    def add(self, stop: Stop) -> int:
        self.tour = self.tour.with_stop(stop)
        return len(self.tour.stops) - 1

    def set_caption(self, index: int, lang: str, text: str) -> None:
        self.tour = self.tour.with_caption(index, lang, text)

    def open(self, tour: Tour, path: str) -> None:
        """Go on recording into an existing tour file (its stops are kept)."""
        self.tour, self.path = tour, path
