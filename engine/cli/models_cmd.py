"""`tplay models`: every model the app can open — bundled, packs, HF cache, Ollama, LM Studio — with
architecture, size on disk and quantisation, and why one cannot open (read from headers only)."""
from __future__ import annotations

from . import command, emit_json


def _row(r: dict) -> list[str]:
    from ..loading.model_info import human_size

    params = f"{r['parameters']:,}" if "parameters" in r else "?"
    status = f"cannot open: {r['error']}" if "error" in r else r["path"]
    return [r["name"], r["source"], r.get("architecture") or "?", r.get("quantization") or "?",
            human_size(r.get("size_bytes")), params, status]


@command("models", "list the models on this machine (bundled, packs, HF cache, Ollama, LM Studio) and which open")
class Models:
    @staticmethod
    def configure(p):
        p.add_argument("--json", action="store_true", help="print JSON on stdout")

    @staticmethod
    def run(args) -> int:
        from ..loading import available
        from ..loading.model_info import describe

        rows = [describe(r) for r in available()]
        if args.json:
            emit_json(rows)
            return 0
        head = ["name", "source", "architecture", "type", "size", "parameters", "path (or why it cannot open)"]
        table = [head] + [_row(r) for r in rows]
        widths = [min(48, max(len(t[i]) for t in table)) for i in range(len(head) - 1)]
        for t in table:
            cells = [c.ljust(w) if i != 5 else c.rjust(w) for i, (c, w) in enumerate(zip(t, widths))]
            print("  ".join(cells + [t[-1]]))
        return 0
