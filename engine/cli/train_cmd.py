"""`tplay train translator|gpt|bert --out DIR [--steps N] [--seed S]`: retrain a bundled model."""
from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from . import command
from ..errors import InputError


@command("train", "train the bundled tiny translator, tiny GPT or tiny BERT from scratch on generated data")
class Train:
    @staticmethod
    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("which", choices=["translator", "gpt", "bert"], help="which model to train")
        p.add_argument("--out", required=True, help="folder to write the model into (created)")
        p.add_argument("--steps", type=int, default=None, help="training steps (default: the shipped model's)")
        p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        p.add_argument("--threads", type=int, default=1,
                       help="CPU threads for torch (default 1: these tiny matrices gain little from more threads, "
                            "and a run is bit-for-bit repeatable for a given thread count)")
        p.add_argument("--every", type=int, default=None, help="print progress every N steps (default 50)")

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from ..training import recipes

        if args.steps is not None and args.steps < 1:
            raise InputError("--steps must be at least 1")
        if args.threads < 1:
            raise InputError("--threads must be at least 1")
        if args.every is not None and args.every < 1:
            raise InputError(f"--every must be at least 1, not {args.every}")
        out = Path(args.out)
        if str(args.out).strip() == "":
            raise InputError("--out is empty: give a folder to write the model into")
        from ..training.export import check_out_folder

        try:
            check_out_folder(out)
        except InputError as e:
            raise InputError(f"--out {e}") from None
        steps = args.steps or recipes.DEFAULT_STEPS[args.which]
        cmd = f"tplay train {args.which} --out {shlex.quote(str(out))} --steps {steps} --seed {args.seed}"
        cmd += f" --threads {args.threads}"

        def progress(r) -> None:
            if args.every is None or r.step % args.every == 0 or r.step == r.total:
                print(f"step {r.step:>5}/{r.total}  loss {r.loss:.4f}  acc {r.accuracy:6.2%}  "
                      f"lr {r.lr:.2e}  {r.elapsed_s:6.1f}s", flush=True)

        def log(msg: str) -> None:
            print(msg, flush=True)

        outcome = recipes.RECIPES[args.which](
            out, steps=steps, seed=args.seed, threads=args.threads, callbacks=[progress], log=log, command=cmd
        )
        print(f"wrote {outcome.folder} in {outcome.result.elapsed_s / 60:.1f} min of training", file=sys.stdout)
        return 0
