"""What each stop view needs run before it can be drawn (no Qt here: prepare.py runs in a worker).

A stop's `view` is a debugger view (gui/views/registry.py: drawn from the prompt's trace at the
stop's steps) or one of the tour's own stages below; gui/tour/stage_widgets.py draws each."""
from __future__ import annotations

from dataclasses import dataclass

from engine.errors import InputError

from ..trace_store import TOKENS


@dataclass(frozen=True)
class StageKind:
    needs: str  # "trace" | "generation" | "training"

    def default_steps(self, store) -> list[str]:
        """The steps shown when the stop lists none: the tokens table, for a trace stage."""
        if self.needs != "trace":
            return []
        return [TOKENS]


TRACE = StageKind("trace")
STAGES = {
    "greedy": StageKind("generation"),  # the lab's translation view of a greedy run
    "beam": StageKind("generation"),  # the lab's beam tree, every returned beam ranked
    "training": StageKind("training"),  # the lab's training view (the micro translator)
    "positions-diagram": TRACE,  # the model's position table beside the paper's 20 × 512 picture
}


def check_view(view: str, where: str) -> None:
    from ..views.registry import VIEWS

    if view not in VIEWS and view not in STAGES:
        raise InputError(f"{where}: unknown view {view!r} (views: {', '.join(sorted(VIEWS) + sorted(STAGES))})")
