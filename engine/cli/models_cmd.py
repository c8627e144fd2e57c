"""`tplay models`: every model the app can open — bundled, packs, HF cache."""
from __future__ import annotations

import json
from pathlib import Path

from . import command, emit_json


def describe(ref) -> dict:
    """Family, parameter count and source of a model, read from its config without loading weights."""
    info = {"name": ref.name, "source": ref.kind, "path": str(ref.path)}
    try:
        if ref.path.is_file() and ref.path.suffix.lower() == ".gguf":
            from ..loading.gguf_file import describe_gguf

            info.update(describe_gguf(ref.path))
        else:
            from ..loading.hf_folder import architecture_of, read_config
            from ..loading.registry import converter_for

            hf = read_config(Path(ref.path))
            cfg = converter_for(architecture_of(hf, Path(ref.path))).make_config(hf)
            info.update(architecture=cfg.architecture, family=cfg.family, parameters=estimate_params(cfg))
    except Exception as e:  # a listing never fails because one entry is broken
        info["error"] = str(e).splitlines()[0] if str(e) else type(e).__name__
    return info


def estimate_params(cfg) -> int:
    """Parameter count from the config (builds the model on the meta device: no memory)."""
    import torch

    from ..models import build_model

    with torch.device("meta"):
        return build_model(cfg).n_params()


@command("models", "list bundled models, installed packs and models in the local HF cache")
class Models:
    @staticmethod
    def configure(p):
        p.add_argument("--json", action="store_true", help="print JSON on stdout")

    @staticmethod
    def run(args) -> int:
        from ..loading import available

        rows = [describe(r) for r in available()]
        if args.json:
            emit_json(rows)
            return 0
        print(f"{'name':<22} {'source':<9} {'family':<16} {'parameters':>12}  path")
        for r in rows:
            params = f"{r['parameters']:,}" if "parameters" in r else "?"
            fam = r.get("family", "error: " + r.get("error", "?"))
            print(f"{r['name']:<22} {r['source']:<9} {fam:<16} {params:>12}  {r['path']}")
        return 0
