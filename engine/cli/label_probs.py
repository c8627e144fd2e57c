"""`tplay logits` on a sequence classifier: one line per label (its id2label name), with the
probability and the class logit the run recorded, instead of vocabulary logits."""
from __future__ import annotations

from . import emit_json
from .common import device_info


def show_label_probs(args, lm, npy) -> int:
    import numpy as np

    from ..io_utils import atomic_write
    from ..trace import Capture
    from .trace_cmd import run_prompt

    trace = run_prompt(args, lm, capture=Capture(names=["*hook_class_probs"]))
    logits = trace.output[0].float()  # [label]
    probs = trace[next(n for n in trace.names() if n.endswith("hook_class_probs"))][0].float()  # [label]
    if npy:
        arr = logits.cpu().numpy().astype(np.float32)

        def write(tmp):
            with open(tmp, "wb") as f:
                np.save(f, arr)

        atomic_write(npy, write)
    rows = [{"id": i, "label": name, "logit": float(logits[i]), "prob": float(probs[i])}
            for i, name in enumerate(lm.model.label_names)]
    if args.json:
        obj = {"model": lm.name, "ids": trace.ids, "labels": rows, "shape": list(logits.shape),
               "device": device_info(lm)}
        if npy:
            obj["npy"] = str(npy)
        emit_json(obj)
        return 0
    how = "softmax" if lm.cfg.label_prob == "softmax" else "sigmoid, each label on its own"
    print(f"{lm.name}: {len(trace.ids)} tokens; label probabilities ({how}) from the first token:")
    for r in rows:
        print(f"  {r['prob']:8.4f}  {r['logit']:9.3f}  {r['label']}")
    if npy:
        print(f"saved class logits {tuple(logits.shape)} to {npy}")
    return 0
