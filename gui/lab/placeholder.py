"""A chart, or in its place one sentence saying what will appear there.

An empty chart would show axes with no meaning (a grey square from −0.5 to 0.5); until there
is data the lab shows this sentence instead, and `show_chart()` swaps the chart in.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget


class Placeholder(QStackedWidget):
    def __init__(self, chart: QWidget, text: str, parent=None):
        super().__init__(parent)
        self.label = QLabel(text)
        self.label.setAlignment(Qt.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("color:gray; padding:8px")  # readable on a light and a dark theme
        self.chart = chart
        self.addWidget(self.label)
        self.addWidget(chart)

    def say(self, text: str) -> None:
        """Hide the chart and show `text` in its place."""
        self.label.setText(text)
        self.setCurrentWidget(self.label)

    def show_chart(self) -> None:
        self.setCurrentWidget(self.chart)

    @property
    def showing_chart(self) -> bool:
        return self.currentWidget() is self.chart
