"""The interface's languages through Qt's translator: `tr("…")` wraps a visible string, `N_("…")`
marks one that is translated later (a table of labels built at import time, before a translator
is installed), and `install(app, settings)` loads resources/i18n/tplay_<lang>.qm (plus Qt's own
qtbase_<lang>.qm for the standard buttons and dialogs) before any widget is built.

The .ts source is generated from the code: `python -m gui.i18n --update` collects every literal
passed to tr() / N_() in gui/ (by reading the syntax tree), merges them into
resources/i18n/tplay_zh_CN.ts keeping the translations already there, and compiles the .qm with
PySide6's lrelease. Formatted strings: translate the template, then format
(`tr("loaded {name}").format(name=...)`).
"""
from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

CONTEXT = "tplay"  # one context for the whole app; a second tr() argument tells homonyms apart
ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN",)  # the translations shipped besides English (the source language)
CHOICES = ("system", "en", "zh_CN")  # View ▸ Language; "system" follows the OS locale
SETTING = "language"
_installed: list = []  # the QTranslators now installed (kept alive: Qt does not own them)


def N_(text: str, disambiguation: str | None = None) -> str:  # noqa: N802 - gettext's name
    """Mark `text` for the translation file without translating it now."""
    return text


_translate = None  # QCoreApplication.translate, imported on first use (this module imports no Qt)


def tr(text: str, disambiguation: str | None = None) -> str:
    """`text` in the interface's language (itself when no translation is installed)."""
    global _translate
    if _translate is None:
        from PySide6.QtCore import QCoreApplication

        _translate = QCoreApplication.translate
    return _translate(CONTEXT, text, disambiguation)


# --- choosing and installing ------------------------------------------------------------------
def stored_choice(settings) -> str:
    value = settings.value(SETTING, "system") if settings is not None else "system"
    return value if value in CHOICES else "system"


def language_for(choice: str, system_locale: str) -> str:
    """The language a choice means: "system" follows the OS locale (zh_CN, zh_SG, zh: Chinese)."""
    if choice != "system":
        return choice
    return "zh_CN" if system_locale.split("_")[0].lower() == "zh" and "TW" not in system_locale \
        and "HK" not in system_locale else "en"


def qm_path(lang: str) -> Path:
    return FOLDER / f"tplay_{lang}.qm"


def install_language(lang: str) -> bool:
    """Install the translators for `lang` ("en": remove them); True when a translation is active."""
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

    app = QCoreApplication.instance()
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if lang == "en":
        return False
    ours = QTranslator()
    if not ours.load(str(qm_path(lang))):
        return False
    qt_own = QTranslator()  # OK / Cancel / Open… in Qt's own dialogs
    if qt_own.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    app.installTranslator(ours)
    _installed.append(ours)
    return True


def install(settings) -> str:
    """At start-up, before any widget: the stored choice (or the OS locale); returns the language."""
    from PySide6.QtCore import QLocale

    lang = language_for(stored_choice(settings), QLocale.system().name())
    return lang if install_language(lang) else "en"


def current_language() -> str:
    return "zh_CN" if _installed else "en"


# --- fonts --------------------------------------------------------------------------------------
FONT_PACKAGES = "fonts-noto-cjk or fonts-wqy-microhei"


def cjk_font_problem() -> str | None:
    """None when some installed font draws Simplified Chinese, else a one-line message naming the
    package to install (Qt falls back to any font that has the glyphs)."""
    from PySide6.QtGui import QFontDatabase

    if QFontDatabase.families(QFontDatabase.SimplifiedChinese):
        return None
    return tr("no font for Chinese text is installed: on Debian/Ubuntu install {packages}").format(
        packages=FONT_PACKAGES)


# --- the .ts file: extract, merge, compile ---------------------------------------------------------
def ts_path(lang: str) -> Path:
    return FOLDER / f"tplay_{lang}.ts"


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract(folder: Path = ROOT / "gui") -> dict[tuple[str, str], set[str]]:
    """(source, disambiguation) -> the files that use it, for every literal tr() / N_() call.
    A call whose first argument is an f-string or a concatenation is an error (translate the
    template, then format); tr(variable) is allowed (the value was marked with N_)."""
    found: dict[tuple[str, str], set[str]] = {}
    bad = []
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name not in ("tr", "N_"):
                continue
            text = _literal(node.args[0])
            if text is None:
                if isinstance(node.args[0], (ast.JoinedStr, ast.BinOp)) or name == "N_":
                    bad.append(f"{rel}:{node.lineno}: {name}() of a non-literal")
                continue
            dis = _literal(node.args[1]) if len(node.args) > 1 else None
            found.setdefault((text, dis or ""), set()).add(rel)
    if bad:
        raise ValueError("; ".join(bad))
    return found


def read_ts(path: Path) -> dict[tuple[str, str], str]:
    """(source, disambiguation) -> translation ("" when unfinished) of the tplay context."""
    if not path.is_file():
        return {}
    out = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        if ctx.findtext("name") != CONTEXT:
            continue
        for m in ctx.iter("message"):
            t = m.find("translation")
            done = t is not None and t.get("type") not in ("unfinished", "vanished", "obsolete")
            out[(m.findtext("source"), m.findtext("comment") or "")] = (t.text or "") if done else ""
    return out


def write_ts(path: Path, lang: str, messages: dict[tuple[str, str], set[str]],
             translations: dict[tuple[str, str], str]) -> None:
    """The .ts for `messages` (sorted, so a regeneration is stable), with the known translations."""
    from engine.io_utils import atomic_write_bytes

    ts = ET.Element("TS", version="2.1", language=lang, sourcelanguage="en")
    ctx = ET.SubElement(ts, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    for (src, dis), files in sorted(messages.items()):
        m = ET.SubElement(ctx, "message")
        for f in sorted(files):
            ET.SubElement(m, "location", filename=f"../../{f}")
        ET.SubElement(m, "source").text = src
        if dis:
            ET.SubElement(m, "comment").text = dis
        t = ET.SubElement(m, "translation")
        t.text = translations.get((src, dis), "")
        if not t.text:
            t.set("type", "unfinished")
    ET.indent(ts)
    body = ET.tostring(ts, encoding="unicode")
    atomic_write_bytes(path, ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n").encode())


def lrelease() -> Path:
    """PySide6's lrelease: beside this interpreter (a virtual environment) or on PATH."""
    import shutil

    here = Path(sys.executable).parent / "pyside6-lrelease"
    found = here if here.is_file() else shutil.which("pyside6-lrelease")
    if not found:
        raise FileNotFoundError("pyside6-lrelease not found (it comes with PySide6)")
    return Path(found)


def compile_qm(lang: str) -> None:
    """The .qm beside the .ts (written by lrelease to a temp file, then renamed over the old one)."""
    import subprocess

    from engine.io_utils import atomic_write

    def write(tmp: str) -> None:
        out = subprocess.run([str(lrelease()), "-silent", str(ts_path(lang)), "-qm", tmp],
                             capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(f"lrelease failed: {out.stderr.strip() or out.stdout.strip()}")

    atomic_write(qm_path(lang), write)


def update() -> list[str]:
    """Regenerate every .ts from the code and compile its .qm; returns one line per language."""
    messages = extract()
    lines = []
    for lang in LANGUAGES:
        known = read_ts(ts_path(lang))
        write_ts(ts_path(lang), lang, messages, known)
        compile_qm(lang)
        missing = sum(1 for k in messages if not known.get(k))
        lines.append(f"{ts_path(lang).relative_to(ROOT)}: {len(messages)} strings, {missing} untranslated")
    return lines


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print("usage: python -m gui.i18n --update   (regenerate resources/i18n/*.ts and *.qm)", file=sys.stderr)
        return 2
    for line in update():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
