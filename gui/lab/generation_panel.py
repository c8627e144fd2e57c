"""Generation panel: prompt, strategy and every decoding knob, Next token / Generate N / Stop.

One knob per registered processor, made from its declared option (engine/decoding/processors.py):
a slider when the option asks for one, else a spin box.

It only holds values: `settings()` returns a GenerationSettings; any change emits
settingsChanged (the controller re-processes the cached logits with it at once). `accepts()`
says whether a value fits its knob (remembered settings skip those that no longer do).
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QScrollArea,
                               QPushButton, QSlider, QSpinBox, QTextEdit, QVBoxLayout, QWidget)

from engine.decoding.processors import PROCESSORS, Option

from .lab_calls import GenerationSettings
from ..i18n import N_, tr

DEFAULT_PROMPT = "Once upon a time, there was a"
KNOB_LABELS = (N_("repetition penalty"), N_("temperature"), N_("top-k"), N_("top-p"), N_("min-p"))  # the engine's Option labels


class ScaledSlider(QWidget):
    """A horizontal slider over [lo, hi] in `steps` steps, with its value written beside it."""

    valueChanged = Signal(float)

    def __init__(self, lo: float, hi: float, value: float, steps: int = 300, fmt: str = "{:.2f}"):
        super().__init__()
        self.lo, self.hi, self.steps, self.fmt = lo, hi, steps, fmt
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setRange(0, steps)
        self.label = QLabel()
        self.label.setMinimumWidth(40)
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.label)
        self.slider.valueChanged.connect(self._moved)
        self.set_value(value)
        self._moved(self.slider.value())

    def minimum(self) -> float:
        return self.lo

    def maximum(self) -> float:
        return self.hi

    def value(self) -> float:
        return round(self.lo + (self.hi - self.lo) * self.slider.value() / self.steps, 6)

    def set_value(self, v: float) -> None:
        self.slider.setValue(round((v - self.lo) / (self.hi - self.lo) * self.steps))

    setValue = set_value  # the spin boxes' name, so every knob is set alike

    def _moved(self, _i: int) -> None:
        self.label.setText(self.fmt.format(self.value()))
        self.valueChanged.emit(self.value())


def knob_for(option: Option) -> QWidget:
    """The widget for a processor's option, at its off value."""
    if option.steps:
        return ScaledSlider(option.lo, option.hi, option.off, option.steps, option.fmt)
    w = QSpinBox() if option.kind is int else QDoubleSpinBox()
    w.setRange(option.lo, option.hi)
    w.setSingleStep(option.step)
    if option.off == option.lo:
        w.setSpecialValueText(tr("off"))
    w.setValue(option.off)
    return w


def _value(w, kind):
    v = w.value()
    return v if kind is int else round(v, 6)


class GenerationPanel(QWidget):
    settingsChanged = Signal(object)  # GenerationSettings
    nextRequested = Signal()
    generateRequested = Signal(int)
    stopRequested = Signal()
    fillRequested = Signal()  # "Open masked fill" (shown for an encoder-only model)

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.prompt = QLineEdit(DEFAULT_PROMPT)
        self.prompt.setPlaceholderText(tr("prompt (source text for a translator)"))
        self.prompt.setToolTip(tr("the lab's own prompt: generation, masked fill and interventions run it; "
                                  "the debugger has its own (the Prompt panel)"))
        head = QHBoxLayout()
        head.addWidget(QLabel(tr("Lab prompt")))
        head.addStretch(1)
        self.from_debugger = QPushButton(tr("⇦ debugger's"))
        self.from_debugger.setToolTip(tr("copy the debugger's prompt into the lab"))
        self.from_debugger.hide()  # shown once the window connects it (gui/lab/__init__.py)
        head.addWidget(self.from_debugger)
        lay.addLayout(head)
        lay.addWidget(self.prompt)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.strategy = QComboBox()
        self.strategy.addItems(["greedy", "sample", "beam"])  # the values `tplay generate --strategy` takes
        for i, tip in enumerate((tr("greedy: always the most probable token"), tr("sample: draw from the processed distribution"),
                                 tr("beam: keep the best few sequences at every step"))):
            self.strategy.setItemData(i, tip, Qt.ToolTipRole)
        self.processor_knobs = {name: knob_for(cls.option) for name, cls in PROCESSORS.items()}
        self.beams = QSpinBox()
        self.beams.setRange(1, 16)
        self.beams.setValue(3)
        self.length_penalty = QDoubleSpinBox()
        self.length_penalty.setRange(-5.0, 5.0)
        self.length_penalty.setSingleStep(0.1)
        self.length_penalty.setValue(1.0)
        self.max_new = QSpinBox()
        self.max_new.setRange(1, 4096)
        self.max_new.setValue(20)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.knobs = {  # GenerationSettings flat key -> its widget (every one but the strategy)
            **self.processor_knobs, "num_beams": self.beams, "length_penalty": self.length_penalty,
            "max_new_tokens": self.max_new, "seed": self.seed,
        }
        form.addRow(tr("strategy"), self.strategy)
        for name, w in self.processor_knobs.items():
            form.addRow(tr(PROCESSORS[name].option.label), w)  # KNOB_LABELS
        for label, w in ((tr("beams"), self.beams), (tr("length penalty"), self.length_penalty),
                         (tr("max new tokens"), self.max_new), (tr("seed"), self.seed)):
            form.addRow(label, w)
        buttons = QGridLayout()  # two rows: in one, the four set the whole lab's minimum width
        self.next_btn = QPushButton(tr("Next token"))
        self.n = QSpinBox()
        self.n.setRange(1, 4096)
        self.n.setValue(20)
        self.gen_btn = QPushButton(tr("Generate N"))
        self.stop_btn = QPushButton(tr("Stop"))
        self.stop_btn.setEnabled(False)
        for w, row, col in ((self.next_btn, 0, 0), (self.stop_btn, 0, 1), (self.gen_btn, 1, 0), (self.n, 1, 1)):
            buttons.addWidget(w, row, col)
        self.gen_controls = QWidget()  # the buttons and knobs: hidden for a model that does not generate
        gen_lay = QVBoxLayout(self.gen_controls)
        gen_lay.setContentsMargins(0, 0, 0, 0)
        gen_lay.addLayout(buttons)  # right under the prompt: never below the fold on a short screen
        lay.addWidget(self.gen_controls)
        self.no_generation = QLabel("")  # why they are hidden, and what the model does instead
        self.no_generation.setWordWrap(True)
        self.no_generation.hide()
        self.open_fill = QPushButton(tr("Open masked fill"))
        self.open_fill.setToolTip(tr("the lab's masked fill tab: candidates for each [MASK] and where it looks"))
        self.open_fill.hide()
        self.open_fill.clicked.connect(self.fillRequested)
        lay.addWidget(self.open_fill)  # the button first: a short lab still shows it
        lay.addWidget(self.no_generation)
        knobs = QWidget()
        knobs.setLayout(form)
        self.knobs_area = QScrollArea()  # the knobs scroll on their own when the lab is short
        self.knobs_area.setWidget(knobs)
        self.knobs_area.setWidgetResizable(True)
        self.knobs_area.setFrameShape(QScrollArea.NoFrame)
        self.knobs_area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.knobs_area.setMinimumHeight(60)
        bar = self.knobs_area.verticalScrollBar().sizeHint().width()
        self.knobs_area.setMinimumWidth(knobs.minimumSizeHint().width() + bar)  # no knob squashed
        gen_lay.addWidget(self.knobs_area, 1)
        lay.setStretchFactor(self.gen_controls, 1)
        self.state = QLabel("")
        self.state.setWordWrap(True)
        self.output = QTextEdit()
        self.output.setReadOnly(True)
        self.output.setMaximumHeight(110)
        self.output.setMinimumHeight(40)
        lay.addWidget(self.state)
        lay.addWidget(self.output)
        self.next_btn.clicked.connect(self.nextRequested)
        self.gen_btn.clicked.connect(lambda: self.generateRequested.emit(self.n.value()))
        self.stop_btn.clicked.connect(self.stopRequested)
        for w in self.knobs.values():
            w.valueChanged.connect(self._changed)
        self.strategy.currentIndexChanged.connect(self._changed)
        self._changed()

    def set_running(self, can_start: bool, busy: bool) -> None:
        """Next token / Generate N when a run can start; Stop while one goes."""
        self.next_btn.setEnabled(can_start)
        self.gen_btn.setEnabled(can_start)
        self.stop_btn.setEnabled(busy)

    def show_capabilities(self, name: str, generates: bool, fills_masks: bool) -> None:
        """A model that does not generate (encoder-only) gets no Next token / Generate N or decoding
        knobs: one line says why, and what it can do instead (masked fill, when it has the head)."""
        self.gen_controls.setVisible(generates)
        self.no_generation.setVisible(not generates)
        self.open_fill.setVisible(not generates and fills_masks)
        if generates:
            return
        can = ("It fills [MASK] tokens instead (masked fill tab)." if fills_masks else
               "It has no masked-LM head: the masked fill tab shows its attention and embeddings.")
        self.no_generation.setText(f"{name} is encoder-only: it does not generate text, so there is no "
                                   f"Next token / Generate N. {can}")

    def say(self, text: str) -> None:
        """The state line under the buttons (plain text)."""
        self.state.setTextFormat(Qt.PlainText)
        self.state.setText(text)

    def say_error(self, msg: str) -> None:
        """The state line in red."""
        self.state.setTextFormat(Qt.RichText)
        self.state.setText(f"<span style='color:#c00'>{html.escape(msg)}</span>")

    def settings(self) -> GenerationSettings:
        procs = {n: _value(w, PROCESSORS[n].option.kind) for n, w in self.processor_knobs.items()}
        return GenerationSettings(
            strategy=self.strategy.currentText(), processors=procs,
            num_beams=self.beams.value(), length_penalty=round(self.length_penalty.value(), 4),
            max_new_tokens=self.max_new.value(), seed=self.seed.value(),
        )

    def accepts(self, name: str, value) -> bool:
        """Whether the knob for this GenerationSettings field can show `value` (a known strategy,
        a number within the knob's range); False for a name no knob shows."""
        try:
            if name == "strategy":
                return self.strategy.findText(value) >= 0
            w = self.knobs.get(name)
            return w is not None and w.minimum() <= value <= w.maximum()
        except TypeError:  # a value of another type than the knob's (text for a number)
            return False

    def set_settings(self, s: GenerationSettings, emit: bool = True) -> None:
        """Show `s`; with emit=False no settingsChanged (nothing is re-processed)."""
        self.blockSignals(True)
        try:  # a value a knob refuses (OverflowError) must not leave Next token / Generate N dead
            self.strategy.setCurrentText(s.strategy)
            for name, w in self.processor_knobs.items():
                w.setValue(s.processors.get(name, PROCESSORS[name].option.off))
            self.beams.setValue(s.num_beams)
            self.length_penalty.setValue(s.length_penalty)
            self.max_new.setValue(s.max_new_tokens)
            self.seed.setValue(s.seed)
        finally:
            self.blockSignals(False)
        self._enable_knobs()
        if emit:
            self.settingsChanged.emit(self.settings())

    def _changed(self, *_):
        self._enable_knobs()
        self.settingsChanged.emit(self.settings())

    def _enable_knobs(self) -> None:
        beam = self.strategy.currentText() == "beam"
        sample = self.strategy.currentText() == "sample"
        self.beams.setEnabled(beam)
        self.length_penalty.setEnabled(beam)
        for name, w in self.processor_knobs.items():
            w.setEnabled(sample or not PROCESSORS[name].warper)  # warpers only change sampling (as in transformers)
