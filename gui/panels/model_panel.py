"""Model & device panel: pick a model (bundled, packs, HF cache, Ollama, LM Studio, or a folder /
GGUF file), a device (unavailable ones say why) and a dtype; see a memory estimate; load in the
background. Each listed model shows its architecture, type and size once its header is read, and
one that cannot open is greyed out with the reason, before anyone clicks."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)
from ..i18n import N_, tr

DEVICES = ("auto", "cpu", "cuda", "mps")
# placement by accelerate (engine/placement): "one device" keeps today's load on the Device above
PLACEMENTS = (N_("one device"), "auto", "balanced", "sequential")
DTYPES = ("float32", "float16", "bfloat16")
ADDED_ROLE = Qt.UserRole + 1  # item data: True for entries added for a typed / opened path


class ModelPanel(QWidget):
    loadRequested = Signal(str, str, str)  # model, device, dtype
    estimateRequested = Signal(str, str)  # model, dtype

    def __init__(self, parent=None):
        super().__init__(parent)
        v = QVBoxLayout(self)
        form = QFormLayout()
        self.models = QComboBox()
        self.models.setMinimumContentsLength(14)  # the dock also holds a vertical scroll bar at 1366×768
        self.models.addItem(tr("(finding models…)"), "")
        self.device = QComboBox()
        self.device.addItems(DEVICES)
        self.dtype = QComboBox()
        self.dtype.addItems(DTYPES)
        form.addRow(tr("Model"), self.models)
        form.addRow(tr("Device"), self.device)
        form.addRow(tr("Dtype"), self.dtype)
        self.place = QComboBox()  # layers across GPUs, CPU and disk (engine/placement)
        self.place.addItems([tr(PLACEMENTS[0]), *PLACEMENTS[1:]])  # the others are --device-map values
        self.place.setToolTip(tr("Spread the layers over GPUs, CPU and disk with accelerate: layers that fit "
                                 "nowhere are streamed from the offload folder, one layer at a time"))
        self.max_memory = QLineEdit()
        self.max_memory.setPlaceholderText(tr("cuda:0=20GiB,cpu=30GiB (empty: what is free)"))
        self.max_memory.setToolTip(tr("Per-device budget for the weights (accelerate's max_memory; --max-memory)"))
        self.place.currentIndexChanged.connect(self._placement_toggled)
        self._placement_toggled()
        v.addLayout(form)
        self.details = QLabel("")  # the current model's architecture · type · size, or why it cannot open
        self.details.setWordWrap(True)
        v.addWidget(self.details)
        self.described: dict[str, dict] = {}  # name -> engine.loading.model_info.describe row
        self.load_btn = QPushButton(tr("Load"))
        v.addWidget(self.load_btn)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        v.addWidget(self.progress)
        # what loaded (or failed) right under Load: near the top, so a short dock does not scroll it away
        self.state = QLabel("")
        self.state.setWordWrap(True)  # wraps between words and after a path's "/"
        v.addWidget(self.state)
        row = QHBoxLayout()
        self.open_folder = QPushButton(tr("Open folder…"))
        self.open_gguf = QPushButton(tr("Open GGUF…"))
        row.addWidget(self.open_folder)
        row.addWidget(self.open_gguf)
        v.addLayout(row)
        placing = QFormLayout()  # below the loaded-model line, which must stay in view on a small screen
        placing.addRow(tr("Placement"), self.place)
        placing.addRow(tr("Max memory"), self.max_memory)
        v.addLayout(placing)
        self.estimate_label = QLabel("")
        self.estimate_label.setWordWrap(True)
        self.device_label = QLabel("")
        self.device_label.setWordWrap(True)
        v.addWidget(self.estimate_label)
        v.addWidget(self.device_label)
        v.addStretch(1)
        self.load_btn.clicked.connect(self._load_clicked)
        self.open_folder.clicked.connect(self.pick_folder)
        self.open_gguf.clicked.connect(self.pick_gguf)
        self.setMinimumHeight(self.sizeHint().height())
        self.models.currentIndexChanged.connect(self._estimate)
        self.models.currentIndexChanged.connect(self._show_details)
        self.dtype.currentIndexChanged.connect(self._estimate)

    # --- filling -----------------------------------------------------------------------
    def set_models(self, refs: list[tuple[str, str, str]], select: str | None = None) -> None:
        self.models.blockSignals(True)
        self.models.clear()
        for name, kind, path in refs:
            self.models.addItem(f"{name}  ({kind})", name)
            self.models.setItemData(self.models.count() - 1, path, Qt.ToolTipRole)
        if not refs:
            self.models.addItem(tr("(no models found: open a folder or GGUF)"), "")
        self.models.blockSignals(False)
        self.set_descriptions(list(self.described.values()))
        if select:
            self.select_model(select)
        self._estimate()

    def set_descriptions(self, rows: list[dict]) -> None:
        """Rows of engine.loading.model_info.describe (+ "summary"): label each entry; grey out,
        with the reason in its tooltip, those that cannot open."""
        items = self.models.model()
        for row in rows:
            self.described[row["name"]] = row
            i = self.models.findData(row["name"])
            if i < 0:
                continue
            kind = row.get("source", "")
            if "error" in row:
                text = tr("{name}  ({kind}) — cannot open").format(name=row['name'], kind=kind)
            else:
                facts = (kind, row.get("quantization"), row.get("size"))
                text = f"{row['name']}  ({', '.join(f for f in facts if f)})"
            self.models.setItemText(i, text)
            self.models.setItemData(i, f"{row.get('path', '')}\n{row.get('summary', '')}", Qt.ToolTipRole)
            items.item(i).setEnabled("error" not in row)
        self._show_details()

    def _show_details(self) -> None:
        row = self.described.get(self.models.currentData() or "")
        self.details.setText(row.get("summary", "") if row else "")

    def select_model(self, name: str) -> None:
        i = self.models.findData(name)
        if i < 0:
            self.models.addItem(tr("{name}  (path)").format(name=name), name)
            i = self.models.count() - 1
            self.models.setItemData(i, True, ADDED_ROLE)
        self.models.setCurrentIndex(i)

    def forget(self, name: str, select: str | None) -> None:
        """A model that failed to load: drop its entry if only select_model() had added it
        (a mistyped path must not stay in the list), then select `select` (the loaded model)."""
        i = self.models.findData(name)
        if i >= 0 and self.models.itemData(i, ADDED_ROLE):
            self.models.removeItem(i)
        if select:
            self.select_model(select)

    def set_devices(self, report: dict, select: str | None = None) -> None:
        """report: device -> None when usable, else the reason it is not."""
        model = self.device.model()
        lines = []
        for i, d in enumerate(DEVICES):
            why = report.get(d) if d != "auto" else None
            item = model.item(i)
            item.setEnabled(why is None)
            item.setToolTip(why or tr("available"))
            if why:
                lines.append(f"{d}: {why}")
        self.device_label.setText(tr("Unavailable — {reasons}").format(reasons="; ".join(lines)) if lines
                                  else tr("All devices available"))
        if select and select in DEVICES and model.item(DEVICES.index(select)).isEnabled():
            self.device.setCurrentIndex(DEVICES.index(select))

    def set_estimate(self, est: dict) -> None:
        if est.get("name") != self.models.currentData():
            return
        if est.get("error"):
            self.estimate_label.setText(tr("memory estimate unavailable: {error}").format(error=est['error']))
        elif est.get("params"):
            n, b = est["params"], est["bytes"]
            count = f"{n / 1e6:.1f} M" if n >= 1e5 else f"{n:,}"
            size = f"{b / 2**20:.0f} MiB" if b >= 2**20 else f"{b / 2**10:.0f} KiB"
            self.estimate_label.setText(tr("≈ {count} parameters → about {size} of memory in {dtype} (plus the trace)")
                                        .format(count=count, size=size, dtype=self.dtype.currentText()))
        else:
            self.estimate_label.setText(tr("memory estimate: unknown format"))

    def placement(self) -> dict | None:
        """{"device_map", "max_memory"} for engine.placement, or None to load on one device."""
        if self.place.currentIndex() == 0:
            return None
        return {"device_map": self.place.currentText(), "max_memory": self.max_memory.text().strip() or None}

    def set_placement(self, device_map: str | None, max_memory: str | None) -> None:
        """Restore a remembered choice (an unknown value keeps 'one device')."""
        if device_map in PLACEMENTS:
            self.place.setCurrentText(device_map)
        self.max_memory.setText(max_memory or "")

    def _placement_toggled(self) -> None:
        placed = self.place.currentIndex() != 0
        self.max_memory.setEnabled(placed)
        self.device.setEnabled(not placed)  # the placement names the devices

    def set_loading(self, loading: bool, text: str = "") -> None:
        self.progress.setRange(0, 0 if loading else 1)
        self.load_btn.setEnabled(not loading)
        if text:
            self.state.setText(text)

    # --- actions -----------------------------------------------------------------------
    def _estimate(self) -> None:
        name = self.models.currentData()
        if name:
            self.estimate_label.setText(tr("estimating memory…"))
            self.estimateRequested.emit(name, self.dtype.currentText())

    def _load_clicked(self) -> None:
        name = self.models.currentData()
        if name:
            self.loadRequested.emit(name, self.device.currentText(), self.dtype.currentText())

    def open_path(self, path: str) -> None:
        """Load a folder or .gguf file (the file dialogs end here; tests call it directly)."""
        self.select_model(path)
        self._load_clicked()

    def pick_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, tr("Open a model folder"))
        if path:
            self.open_path(path)

    def pick_gguf(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open a GGUF file"),
                                              filter=tr("GGUF (*.gguf);;Any file: Ollama's blobs have no extension (*)"))
        if path:
            self.open_path(path)
