"""No module reaches into another module's private names (`x._name`, `from m import _name`).

A name with a leading underscore is private to the file that defines it; other files go through
a public name. Torch's own hook dictionaries are the one exception (engine/models/stack.py reads
them to know whether anything watches a module).
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("gui", "engine")
TORCH_INTERNALS = {"_global_forward_hooks", "_global_forward_pre_hooks", "_forward_hooks", "_forward_pre_hooks",
                   # engine/models/weight_packs.py: oneDNN's weight packing and a tensor's version counter
                   "_reorder_linear_weight", "_linear_pointwise", "_version", "_disabled_torch_function_impl"}
# Known, to be renamed by whoever next changes engine/models (it was being rewritten in parallel):
# the fast decode path reads the fused weights that engine/models/fusion.py caches on modules.
KNOWN = {("engine/models/fast_step.py", "_apply")}  # its docstring names torch's Module._apply
ATTR = re.compile(r"(?<![\w.])([A-Za-z_][\w.]*?)\.(_[a-z]\w*)\b")
IMPORT = re.compile(r"^\s*from\s+(\S+)\s+import\s+(.+)$")


def _defined_here(name: str, text: str) -> bool:
    return bool(re.search(rf"(def|class)\s+{name}\b|self\.{name}\s*[:=]|^\s*{name}\s*[:=]|\b{name}=", text, re.M))


def _violations(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        code = line.split("#")[0]
        names = [m.group(2) for m in ATTR.finditer(code) if m.group(1) not in ("self", "cls")]
        m = IMPORT.match(code)
        if m:
            names += [n for n in re.split(r"[,()\s]+", m.group(2)) if n.startswith("_") and not n.startswith("__")]
        for n in names:
            known = (str(path.relative_to(ROOT)), n) in KNOWN
            if n not in TORCH_INTERNALS and not known and not _defined_here(n, text):
                out.append(f"{path.relative_to(ROOT)}:{i}: {n}: {line.strip()}")
    return out


def test_no_module_uses_another_modules_private_names():
    found = [v for folder in FOLDERS for f in sorted((ROOT / folder).rglob("*.py")) for v in _violations(f)]
    assert not found, "\n".join(found)


def test_the_check_catches_a_cross_module_private_call(tmp_path):
    f = ROOT / "gui" / "_probe_private_call.py"
    try:
        f.write_text("def go(ctl):\n    ctl._start()\n", encoding="utf-8")
        assert _violations(f) == ["gui/_probe_private_call.py:2: _start: ctl._start()"]
    finally:
        f.unlink()
