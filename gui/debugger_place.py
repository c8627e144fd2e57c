"""Where the debugger was when the window closed, kept in the settings' "debugger" group."""
from __future__ import annotations

from dataclasses import dataclass

from .stored import as_int, as_names, as_text


@dataclass(frozen=True)
class DebuggerPlace:
    """Where the debugger was when the window closed: the step (by hook name), the head and
    position, the breakpoints. Restored once, with the first trace of the next launch."""

    step: str | None = None
    head: int = 0
    position: int = -1  # -1 = last
    bp_names: tuple[str, ...] = ()
    bp_kinds: tuple[str, ...] = ()

    @classmethod
    def from_values(cls, raw: dict) -> "DebuggerPlace":
        """From stored values of any type: one that is unusable keeps its default."""
        return cls(step=as_text(raw.get("step")) or None,
                   head=as_int(raw.get("head"), 0), position=as_int(raw.get("position"), -1),
                   bp_names=as_names(raw.get("breakpoints")), bp_kinds=as_names(raw.get("breakpoint_kinds")))

    def values(self) -> dict:
        return {"step": self.step or "", "head": self.head, "position": self.position,
                "breakpoints": list(self.bp_names), "breakpoint_kinds": list(self.bp_kinds)}
