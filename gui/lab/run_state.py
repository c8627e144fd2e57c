"""The lab's run state, without Qt: the open generation, its events, the selected step, what-if
re-processing, the texts that say where a run stands, and session snapshot / restore.

LabController (the Qt adapter) owns one and only moves its results onto widgets and jobs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .lab_calls import GenerationSettings, LabEvent, LiveGeneration
from .session_file import LabSession
from .stats import StepView, reprocess
from ..i18n import N_, tr

MORE = N_(" · Next token / Generate N continue this run (changed settings start a new one)")
# the engine's stop reasons (engine/decoding), shown in the interface's language
STOP_REASONS = (N_("paused"), N_("end-of-sequence"), N_("max-new-tokens"), N_("cancelled"), N_("every candidate finished"),
                N_("all beams finished (early stopping)"), N_("no running beam can beat the finished ones"))


def notes_text(notes) -> str:
    """The engine's notes as lines under the state text."""
    return "".join(tr("\nnote: {note}").format(note=n) for n in notes)


@dataclass
class LabRun:
    lm: object = None
    model_ref: str = ""
    live: LiveGeneration | None = None
    events: list[LabEvent] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)  # the followed line's generated ids
    stop_reason: str | None = None
    selected: int | None = None  # index into events; None = follow the newest step
    settings: GenerationSettings = field(default_factory=GenerationSettings)  # the panel's, now
    run_settings: GenerationSettings | None = None  # what the open run was started with
    interrupted: str | None = None  # set when a model change stopped the running generation
    loading: str | None = None  # the model loading now (between model_changing and set_model / model_failed)
    tokenizer: object = None  # a recording's tokenizer, for decoding when no model is loaded (replay)

    # --- the open run -----------------------------------------------------------------------
    def reset(self) -> None:
        """Forget the open generation: the next pull starts a new run."""
        self.live, self.events, self.tokens = None, [], []
        self.stop_reason, self.selected = None, None

    def needs_start(self, prompt: str, settings: GenerationSettings) -> bool:
        """No run, a finished one, or one for another prompt or settings."""
        live = self.live
        return live is None or live.done or live.prompt_text != prompt or settings != self.run_settings

    def start(self, prompt: str, settings: GenerationSettings) -> LiveGeneration:
        """A new run (tokenizing may raise PlaygroundError); the caller resets the views first."""
        self.reset()
        ids = self.lm.tokenizer.encode(prompt).ids if prompt else []
        self.run_settings = settings
        self.live = LiveGeneration(self.lm, ids, settings)
        self.live.prompt_text = prompt
        return self.live

    def add(self, ev: LabEvent) -> None:
        self.events.append(ev)
        self.tokens = ev.tokens
        if ev.done:
            self.stop_reason = ev.stop_reason

    def can_generate(self, busy: bool) -> bool:
        """Next token / Generate N: a model that generates (or none yet: pressing says so), no run
        going and no other model loading."""
        return (self.lm is None or self.lm.model.generates) and not busy and self.loading is None

    # --- what the state line says ---------------------------------------------------------------
    def running_text(self, notes=()) -> str:
        return tr("{strategy}: running…").format(strategy=self.run_settings.strategy) + notes_text(notes)

    def finished_text(self) -> tuple[str, str]:
        """(why the pull ended, the whole state line)."""
        live = self.live
        reason = self.interrupted or (live.stop_text(self.stop_reason) if live else self.stop_reason) or "paused"
        more = "" if self.interrupted or live is None or live.done else tr(MORE)
        return reason, (tr("{n} steps · {reason}").format(n=len(self.events), reason=tr(reason))
                        + more + notes_text(live.notes if live else []))

    def model_change_text(self, lm, old: str, steps: int, shown: bool) -> str:
        said = []
        if self.interrupted:
            said.append(tr("stopped: model changed · the {old} run was cancelled after {steps} steps; "
                           "its output was cleared").format(old=old, steps=steps))
        elif shown:
            said.append(tr("model changed: the {old} output was cleared").format(old=old))
        return "\n".join(said)

    # --- the shown step -------------------------------------------------------------------------
    def whatif(self) -> bool:
        """True when the panel's processor values differ from what the run used."""
        rs = self.run_settings
        return rs is not None and self.settings.options().processor_values() != rs.options().processor_values()

    def view_for(self, i: int) -> StepView:
        """Step i as recorded, or re-processed with the panel's processor values (no forward pass)."""
        v = self.events[i].view
        if self.whatif() and v.raw is not None:
            return reprocess(v, self.settings.options().processor_values(),
                             self.lm.tokenizer if self.lm else self.tokenizer)
        return v

    def shown_index(self) -> int:
        return self.selected if self.selected is not None else len(self.events) - 1

    def select_step(self, step: int) -> int | None:
        """Select the event of `step` (the newest one means: follow new steps); its index."""
        idx = next((i for i, e in enumerate(self.events) if e.view.step == step), None)
        if idx is not None:
            self.selected = None if idx == len(self.events) - 1 else idx
        return idx

    def context_ids(self, prompt: str) -> tuple[list[int], list[int] | None]:
        """(input ids, decoder target ids or None) for the text so far: prompt + generated."""
        ids = self.lm.tokenizer.encode(prompt).ids
        if self.lm.model.has_encoder:
            return ids, self.lm.model.decoder_start_ids() + list(self.tokens)
        return ids + list(self.tokens), None

    # --- sessions -------------------------------------------------------------------------------
    def snapshot(self, prompt: str, settings: GenerationSettings, nodes, ranking) -> LabSession:
        text = self.lm.tokenizer.decode(self.tokens) if self.lm else ""
        return LabSession(self.model_ref, prompt, settings, list(self.tokens), text, list(nodes), list(ranking),
                          self.stop_reason, list(self.events), self.selected)

    def restore(self, s: LabSession) -> None:
        """Take a saved session's tokens and stop reason (after reset()); its events come back
        through the charts (LabCharts.restore), as they came live. No generation is open: the
        next Next token starts a new run."""
        self.tokens, self.stop_reason = list(s.tokens), s.stop_reason
        self.run_settings = s.settings if s.events else None  # what the saved run used (what-if compares)

    def decode(self, ids) -> str:
        tok = self.lm.tokenizer if self.lm else self.tokenizer
        return tok.decode(ids) if tok else str(ids)
