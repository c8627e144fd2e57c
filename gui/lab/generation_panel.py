"""Generation panel: prompt, strategy and every decoding knob, Next token / Generate N / Stop.

It only holds values: `settings()` returns a GenerationSettings; any change emits
settingsChanged (the controller re-processes the cached logits with it at once). `accepts()`
says whether a value fits its knob (remembered settings skip those that no longer do).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QSlider, QSpinBox, QTextEdit, QVBoxLayout, QWidget)

from .lab_calls import GenerationSettings

DEFAULT_PROMPT = "Once upon a time, there was a"


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

    def _moved(self, _i: int) -> None:
        self.label.setText(self.fmt.format(self.value()))
        self.valueChanged.emit(self.value())


class GenerationPanel(QWidget):
    settingsChanged = Signal(object)  # GenerationSettings
    nextRequested = Signal()
    generateRequested = Signal(int)
    stopRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.prompt = QLineEdit(DEFAULT_PROMPT)
        self.prompt.setPlaceholderText("prompt (source text for a translator)")
        lay.addWidget(self.prompt)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.strategy = QComboBox()
        self.strategy.addItems(["greedy", "sample", "beam"])
        self.temperature = ScaledSlider(0.05, 3.0, 1.0, 295)
        self.top_k = QSpinBox()
        self.top_k.setRange(0, 100000)
        self.top_k.setSpecialValueText("off")
        self.top_p = ScaledSlider(0.01, 1.0, 1.0, 99)
        self.min_p = ScaledSlider(0.0, 0.5, 0.0, 100, "{:.3f}")
        self.rep = QDoubleSpinBox()
        self.rep.setRange(0.1, 5.0)
        self.rep.setSingleStep(0.05)
        self.rep.setValue(1.0)
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
        self.knobs = {  # GenerationSettings field -> its widget (every one but the strategy)
            "temperature": self.temperature, "top_k": self.top_k, "top_p": self.top_p, "min_p": self.min_p,
            "repetition_penalty": self.rep, "num_beams": self.beams, "length_penalty": self.length_penalty,
            "max_new_tokens": self.max_new, "seed": self.seed,
        }
        for label, w in (("strategy", self.strategy), ("temperature", self.temperature), ("top-k", self.top_k),
                         ("top-p", self.top_p), ("min-p", self.min_p), ("repetition penalty", self.rep),
                         ("beams", self.beams), ("length penalty", self.length_penalty),
                         ("max new tokens", self.max_new), ("seed", self.seed)):
            form.addRow(label, w)
        lay.addLayout(form)
        buttons = QGridLayout()  # two rows: in one, the four set the whole lab's minimum width
        self.next_btn = QPushButton("Next token")
        self.n = QSpinBox()
        self.n.setRange(1, 4096)
        self.n.setValue(20)
        self.gen_btn = QPushButton("Generate N")
        self.stop_btn = QPushButton("Stop")
        self.stop_btn.setEnabled(False)
        for w, row, col in ((self.next_btn, 0, 0), (self.stop_btn, 0, 1), (self.gen_btn, 1, 0), (self.n, 1, 1)):
            buttons.addWidget(w, row, col)
        lay.addLayout(buttons)
        self.state = QLabel("")
        self.state.setWordWrap(True)
        self.output = QTextEdit()
        self.output.setReadOnly(True)
        self.output.setMaximumHeight(110)
        lay.addWidget(self.state)
        lay.addWidget(self.output)
        lay.addStretch(1)
        self.next_btn.clicked.connect(self.nextRequested)
        self.gen_btn.clicked.connect(lambda: self.generateRequested.emit(self.n.value()))
        self.stop_btn.clicked.connect(self.stopRequested)
        for w in self.knobs.values():
            w.valueChanged.connect(self._changed)
        self.strategy.currentIndexChanged.connect(self._changed)
        self._changed()

    def settings(self) -> GenerationSettings:
        return GenerationSettings(
            strategy=self.strategy.currentText(), temperature=self.temperature.value(), top_k=self.top_k.value(),
            top_p=self.top_p.value(), min_p=self.min_p.value(), repetition_penalty=round(self.rep.value(), 4),
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
        self.strategy.setCurrentText(s.strategy)
        self.temperature.set_value(s.temperature)
        self.top_k.setValue(s.top_k)
        self.top_p.set_value(s.top_p)
        self.min_p.set_value(s.min_p or 0.0)
        self.rep.setValue(s.repetition_penalty)
        self.beams.setValue(s.num_beams)
        self.length_penalty.setValue(s.length_penalty)
        self.max_new.setValue(s.max_new_tokens)
        self.seed.setValue(s.seed)
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
        for w in (self.temperature, self.top_k, self.top_p, self.min_p):
            w.setEnabled(sample)  # warpers only change sampling (as in transformers)
