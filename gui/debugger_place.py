"""Where the debugger was when the window closed, kept in the settings' "debugger" group."""
from __future__ import annotations

from dataclasses import dataclass

from .stored import as_int, as_names, as_text
from .i18n import tr


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


class DebuggerSection:
    """The debugger's part of a lab session (gui/lab/session_sections.py): the model, the prompt
    and target shown, and its place (step, head, position, breakpoints). Restoring runs that
    prompt and puts the place back with its trace, as a launch does with the remembered place:
    what the debugger then draws is the model's own numbers, never stored pictures."""

    def __init__(self, win):
        self.win = win

    def save(self) -> dict:
        w, s = self.win, self.win.session
        model = s.lm.name if s.lm is not None else (w.requested_model or "")
        return {"model": model, "prompt": w.prompt.text(), "target": w.prompt.target.text(),
                "place": s.remembered().values()}

    def check(self, d) -> None:
        from .lab import session_checks as check

        check.fields(d, "debugger", ("model", "prompt", "target", "place"))
        for k in ("model", "prompt", "target"):
            check.text(d[k], f"debugger {k}")
        p = check.fields(d["place"], "debugger place", ("step", "head", "position", "breakpoints", "breakpoint_kinds"))
        check.text(p["step"], "debugger step")
        check.integer(p["head"], "debugger head")
        check.integer(p["position"], "debugger position")
        check.texts(p["breakpoints"], "debugger breakpoints")
        check.texts(p["breakpoint_kinds"], "debugger breakpoint kinds")

    def restore(self, d) -> None:
        w, s = self.win, self.win.session
        w.prompt.set_text(d["prompt"])
        w.prompt.target.setText(d["target"])
        s.remember(DebuggerPlace.from_values(d["place"]))
        s.run(d["prompt"], d["target"])


def session_model(s) -> str:
    """The model a lab session was saved with (the debugger's, else the lab's)."""
    return (s.sections.get("debugger") or {}).get("model") or s.model


def model_gate(win):
    """For LabWidget.model_gate: restore a session once its model is the loaded one, loading it
    first when another (or none) is loaded; a load that fails leaves the window as it was and says so."""

    def gate(s, restore, report) -> None:
        want, lm = session_model(s), win.session.lm
        if not want or (lm is not None and lm.name == want):
            return restore()
        sess = win.session

        def loaded(_lm):
            from engine.errors import PlaygroundError

            done()
            try:
                restore()
            except PlaygroundError as e:  # checked against the model just loaded: said, not raised into Qt
                report(str(e))

        def failed(msg):
            done()
            report(tr("cannot open the session: its model {model} did not load ({why})").format(
                model=want, why=msg.splitlines()[0]))

        def done():
            sess.modelChanged.disconnect(loaded)
            sess.modelFailed.disconnect(failed)

        sess.modelChanged.connect(loaded)  # after the lab's own modelChanged slot: the lab follows first
        sess.modelFailed.connect(failed)
        sess.load_model(want, win.model_panel.device.currentText(), win.model_panel.dtype.currentText())

    return gate
