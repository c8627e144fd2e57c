"""`tplay logits`: logits at every position, the top-K of the last, optionally saved as .npy."""
from __future__ import annotations

from . import command, emit_json
from .common import add_model_args, add_prompt_args, device_info, load, output_file
from .trace_cmd import run_prompt


@command("logits", "print the top next tokens; save every position's logits with --npy")
class LogitsCmd:
    @staticmethod
    def configure(p):
        add_model_args(p)
        add_prompt_args(p)
        p.add_argument("--target", help="target text (encoder-decoder: teacher-forced decoder input)")
        p.add_argument("--top", type=int, default=10, help="how many top tokens to show (default 10)")
        p.add_argument("--npy", help="save float32 logits [positions, vocab] to FILE.npy (.npy is added if missing)")

    @staticmethod
    def run(args) -> int:
        import numpy as np
        import torch

        from ..errors import InputError
        from ..io_utils import atomic_write

        if args.top < 1:
            raise InputError(f"--top must be at least 1, not {args.top}")
        npy = output_file(args.npy, "--npy", ".npy", add_ext=True) if args.npy else None
        lm = load(args)
        if lm.cfg.lm_head == "none":
            from ..sentence_embedding import final_hidden_name

            hidden = final_hidden_name(lm.model)
            raise InputError(
                f"{lm.name} ({lm.cfg.architecture}) has no language-model head, so it produces no logits: its "
                f"output is the final hidden state {hidden}; save it with `tplay trace -m {lm.name} --prompt … "
                f"--names {hidden} --out FILE`")
        trace = run_prompt(args, lm, capture=None)
        logits = trace.output[0].float()  # [positions, vocab]
        if npy:
            arr = logits.cpu().numpy().astype(np.float32)
            def write(tmp):
                with open(tmp, "wb") as f:
                    np.save(f, arr)

            atomic_write(npy, write)
        probs = torch.softmax(logits[-1], dim=-1)
        k = min(args.top, probs.numel())
        p, idx = probs.topk(k)
        top = [
            {"id": int(i), "token": lm.tokenizer.token_strings([int(i)])[0], "logit": float(logits[-1, i]),
             "prob": float(q)}
            for q, i in zip(p, idx)
        ]
        if args.json:
            obj = {"model": lm.name, "ids": trace.ids, "top": top, "shape": list(logits.shape)}
            obj["device"] = device_info(lm)
            if trace.target_ids is not None:
                obj["target_ids"] = trace.target_ids
            if npy:
                obj["npy"] = str(npy)
            emit_json(obj)
            return 0
        if lm.model.fills_masks:  # a masked LM scores the token that belongs at each position, not the next one
            last = lm.tokenizer.token_strings([trace.ids[-1]])[0]
            print(f"{lm.name}: {len(trace.ids)} tokens; masked-LM candidates for the token at the last position "
                  f"({last!r}; put [MASK] in the prompt to ask for a word):")
        else:
            print(f"{lm.name}: {len(trace.ids)} tokens; next-token candidates after the last position:")
        for r in top:
            print(f"  {r['prob']:8.4f}  {r['logit']:9.3f}  {r['id']:>7}  {r['token']!r}")
        if npy:
            print(f"saved logits {tuple(logits.shape)} to {npy}")
        return 0
