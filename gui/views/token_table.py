"""The tokens table's model: one row per token (#, token, id, bytes), each row's cells and tooltip
made the first time Qt asks for them, so a 2,000-token prompt costs the rows on screen, not
8,000 table items built up front."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from ..i18n import tr
from ..token_bytes import token_bytes

REPLACEMENT = "\ufffd"  # what decoding part of a character gives: shown as its bytes instead


def readable(piece: bytes) -> str:
    """A token's bytes as text, each byte that is not part of a whole UTF-8 character written
    as ‹0xE4› (the first two of 我's three bytes, an emoji's first byte, …)."""
    text = piece.decode("utf-8", "surrogateescape")  # a stray byte b -> U+DC00 + b
    return "".join(f"‹0x{ord(c) - 0xDC00:02X}›" if 0xDC80 <= ord(c) <= 0xDCFF else c for c in text)


class TokenTableModel(QAbstractTableModel):
    HEADERS = ("#", "token", "id", "bytes")  # "token" and "bytes" are translated in headerData

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tokens: list[str] = []  # the token strings as decoded
        self.ids: list[int] = []
        self.raw: list[str] = []  # the vocabulary entries (byte-level BPE: Ġ-style)
        self.byte_level = False
        self._rows: dict[int, tuple[list[str], str]] = {}  # row -> (cells, tooltip), made on demand

    def set_tokens(self, tokens: list[str], ids: list[int], raw: list[str], byte_level: bool) -> None:
        self.beginResetModel()
        self.tokens, self.ids, self.raw, self.byte_level = list(tokens), list(ids), list(raw), byte_level
        self._rows = {}
        self.endResetModel()

    def row(self, i: int) -> tuple[list[str], str]:
        """Row i's four cells and its tooltip."""
        got = self._rows.get(i)
        if got is None:
            b = token_bytes(self.raw[i], self.byte_level)
            shown = readable(b) if REPLACEMENT in self.tokens[i] else self.tokens[i]
            cells = [str(i), shown, str(self.ids[i]), " ".join(f"{x:02x}" for x in b)]
            tip = tr("token string {token} · vocabulary entry {entry}").format(token=repr(self.tokens[i]),
                                                                             entry=repr(self.raw[i]))
            got = self._rows[i] = (cells, tip)
        return got

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.DisplayRole:
            return self.row(index.row())[0][index.column()]
        if role == Qt.ToolTipRole:
            return self.row(index.row())[1]
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole or orientation != Qt.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        h = self.HEADERS[section]
        return tr("token") if h == "token" else tr("bytes") if h == "bytes" else h
