"""The translation files: the .ts holds exactly the strings the code marks (regenerated, it is the
same file), every one translated with the same {placeholders}; the .qm answers what the .ts says;
the language follows the OS locale unless chosen; a missing CJK font is named."""
from __future__ import annotations

import re

import pytest

from gui import i18n

FIELD = re.compile(r"\{(\w*)[^{}]*\}")


def test_the_ts_is_what_the_code_marks_and_every_string_is_translated(tmp_path):
    messages = i18n.extract()
    committed = i18n.ts_path("zh_CN")
    regenerated = tmp_path / committed.name
    i18n.write_ts(regenerated, "zh_CN", messages, i18n.read_ts(committed))
    assert regenerated.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), \
        "resources/i18n/tplay_zh_CN.ts is out of date: run python -m gui.i18n --update"
    known = i18n.read_ts(committed)
    missing = [src for (src, _), zh in known.items() if not zh]
    assert not missing, f"{len(missing)} strings have no zh_CN translation: {missing[:20]}"
    broken = [(src, zh) for (src, _), zh in known.items() if FIELD.findall(src) and
              sorted(set(FIELD.findall(src))) != sorted(set(FIELD.findall(zh)))]
    assert not broken, f"translations whose {{placeholders}} differ from the source: {broken[:10]}"
    for (src, _), zh in known.items():
        src.format(**{k: 1 for k in FIELD.findall(src) if k})  # the template formats as the code does
        zh.format(**{k: 1 for k in FIELD.findall(zh) if k})


def test_the_qm_answers_what_the_ts_says(qapp):
    from PySide6.QtCore import QTranslator

    t = QTranslator()
    assert t.load(str(i18n.qm_path("zh_CN")))
    stale = [src for (src, dis), zh in i18n.read_ts(i18n.ts_path("zh_CN")).items()
             if zh and t.translate(i18n.CONTEXT, src, dis or None) != zh]
    assert not stale, f"tplay_zh_CN.qm is older than the .ts (run python -m gui.i18n --update): {stale[:10]}"


def test_tr_translates_once_installed_and_not_after(qapp):
    try:
        assert i18n.install_language("zh_CN") and i18n.current_language() == "zh_CN"
        assert i18n.tr("Load") != "Load" and re.search(r"[\u4e00-\u9fff]", i18n.tr("Load"))
    finally:
        i18n.install_language("en")
    assert i18n.tr("Load") == "Load" and i18n.current_language() == "en"


@pytest.mark.parametrize("choice, locale, lang", [
    ("system", "zh_CN", "zh_CN"), ("system", "zh_SG", "zh_CN"), ("system", "en_GB", "en"),
    ("system", "zh_TW", "en"), ("system", "C", "en"), ("en", "zh_CN", "en"), ("zh_CN", "de_DE", "zh_CN"),
])
def test_the_language_follows_the_os_locale_unless_chosen(choice, locale, lang):
    assert i18n.language_for(choice, locale) == lang


def test_a_stored_choice_that_is_not_one_means_system(tmp_path, qapp):
    from PySide6.QtCore import QSettings

    st = QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat)
    assert i18n.stored_choice(st) == "system"
    st.setValue("language", "klingon")
    assert i18n.stored_choice(st) == "system"
    st.setValue("language", "zh_CN")
    assert i18n.stored_choice(st) == "zh_CN"


def test_a_missing_cjk_font_is_named_with_its_package(qapp, monkeypatch):
    from PySide6.QtGui import QFontDatabase

    real = QFontDatabase.families(QFontDatabase.SimplifiedChinese)
    assert (i18n.cjk_font_problem() is None) == bool(real)
    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *a: []))
    problem = i18n.cjk_font_problem()
    assert problem and "fonts-noto-cjk" in problem and "fonts-wqy-microhei" in problem


def test_start_up_installs_the_stored_language(tmp_path, qapp):
    from PySide6.QtCore import QSettings

    st = QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat)
    st.setValue("language", "zh_CN")
    try:
        assert i18n.install(st) == "zh_CN" and i18n.tr("Load") == "加载"
        st.setValue("language", "en")
        assert i18n.install(st) == "en" and i18n.tr("Load") == "Load"
    finally:
        i18n.install_language("en")
