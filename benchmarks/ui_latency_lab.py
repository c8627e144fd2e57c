"""UI latency of the decoding lab (prints figures; not a test).

  python benchmarks/ui_latency_lab.py                       # smollm2-135m, 64 tokens
  python benchmarks/ui_latency_lab.py --model tiny-gpt --tokens 64
  python benchmarks/ui_latency_lab.py --tokens 32 --repeats 3 --modes greedy,sample   # medians, interleaved

Figures, each while the lab generates with every live chart on (bars, stage charts, timeline,
beam tree): the worst UI-thread stall, measured by a 5 ms QTimer probe (largest gap between
its ticks, minus 5 ms); the per-step chart update cost (UI-thread time spent drawing, per
generated step: the frame handler plus the chart updates it queued, which run one per
event-loop turn; median and max of the frame handler alone); decode speed; and the cost of re-processing the
cached logits when a slider moves (no forward pass). Target: worst stall <= 50 ms.

The model loads as in the app: a job on the window's engine worker thread, which the lab then
decodes on. Decode speed, three ways, each tokens after the first over the time after the first:
the engine's own clock inside the lab's run (what the worker's Generation measured), the lab end
to end (steps as they reach the UI thread: the worker's per-step summaries included), and
`tplay generate` in this process right after each lab run (it loads the model and decodes on the
main thread; same prompt, strategy, length and torch threads): lab / tplay is the lab's cost. The
window is shown and drawn before each run's probe starts (its first paint is the window opening,
not decoding). Collections run on the UI thread, the heap frozen after the load, as in the app.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from _probe import Probe  # noqa: E402

from gui.qt_wait import pump, wait  # noqa: E402


def generate(lab, model: str, strategy: str, tokens: int, beams: int = 4) -> dict:
    ctl = lab.controller
    lab.panel.strategy.setCurrentText(strategy)
    lab.panel.beams.setValue(beams)
    lab.panel.max_new.setValue(tokens)
    lab.panel.n.setValue(tokens)
    ctl.reset()
    ctl.draw_times.clear()
    ctl.charts.frame_costs.clear()
    ctl.stagger.spent_s = 0.0
    settle(ctl)
    arrivals: list[float] = []
    arrived = lambda _item: arrivals.append(time.perf_counter())  # noqa: E731
    ctl.relay.item.connect(arrived)
    probe = Probe()
    probe.start()
    t0, cpu0 = time.perf_counter(), time.thread_time()
    lab.panel.gen_btn.click()
    if not wait(ctl.runFinished):
        raise SystemExit("generation did not finish")
    wall, ui_cpu = time.perf_counter() - t0, time.thread_time() - cpu0
    stall = probe.stop()
    ctl.relay.item.disconnect(arrived)
    steps = len(ctl.events)
    per_step = (sum(ctl.draw_times) + ctl.stagger.spent_s) / max(1, steps)  # frames + staggered chart updates
    decode = [e.elapsed_s for e in ctl.events[1:]]
    return dict(steps=steps, stall=stall, ui_cpu=ui_cpu / max(1, steps), busy=probe.worst_cpu, wall=wall, frames=len(ctl.draw_times), per_step=per_step,
                frame_med=statistics.median(ctl.draw_times), frame_max=max(ctl.draw_times),
                frame_cpu=max(ctl.charts.frame_costs, default=float("nan")),
                tps=len(decode) / sum(decode) if decode else float("nan"), nodes=lab.tree.node_count(),
                e2e=(len(arrivals) - 1) / (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else float("nan"),
                engine=engine_tps(ctl, model, strategy, tokens, beams))


def settle(ctl) -> None:
    """Let the window draw what it shows now (its first paint, a tab switch, the reset charts)."""
    pump(0.05)
    while ctl.stagger.pending:
        pump(0.05)
    pump(0.2)


def engine_tps(ctl, model: str, strategy: str, tokens: int, beams: int = 4) -> float:
    """`tplay generate` in this process, as decode.py's end-to-end figure: it loads the model on
    this (the main) thread and decodes there, with the lab run's prompt, strategy and length."""
    import contextlib
    import io
    import json

    from engine.cli import main as tplay

    live = ctl.run.live
    n = max(1, len(ctl.events))  # as many tokens as the lab made (it may have met an end of sequence)
    argv = ["generate", "-m", model, "--prompt", live.prompt_text, "--strategy", strategy, "--max-new-tokens", str(n),
            "--min-new-tokens", str(n), "--device", "cpu", "--dtype", "float32", "--json"]
    if strategy == "beam":
        argv += ["--beams", str(beams)]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = tplay(argv)
    if rc != 0:
        raise SystemExit(f"tplay generate failed: {err.getvalue().strip()[-300:]}")
    return json.loads(out.getvalue().strip().splitlines()[-1])["decode_tokens_per_second"]


def load_in_worker(lab, name: str):
    """The model loaded as the app loads it: a job on the window's engine worker thread (the thread
    the lab then decodes on)."""
    from gui.engine_calls import load
    from gui.worker import Job

    job = Job(load, name, "cpu", "float32", name="load", progress=True)
    got = []
    job.signals.finished.connect(got.append)
    job.signals.failed.connect(lambda msg: got.append(SystemExit(msg)))
    lab.controller.jobs.submit(job)
    wait(job.signals.done)
    pump(0.05)  # the queued finished() delivery
    if not got or isinstance(got[0], SystemExit):
        raise got[0] if got else SystemExit("the load did not finish")
    return got[0]


def slider_cost(lab, n: int = 20) -> tuple[float, float]:
    """Median / max ms from a temperature slider move until every chart shows the re-processed
    step (the charts redraw one per event-loop turn), and the worst stall meanwhile."""
    times = []
    probe = Probe()
    probe.start()
    for i in range(n):
        t0 = time.perf_counter()
        lab.panel.knobs["temperature"].setValue(0.3 + 0.1 * (i % 15))
        wait(lab.controller.stepShown, 10)  # emitted once every chart holds the new view
        times.append(time.perf_counter() - t0)
    probe.stop()
    return statistics.median(times) * 1000, max(times) * 1000, probe.worst * 1000


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="smollm2-135m")
    p.add_argument("--tokens", type=int, default=64)
    p.add_argument("--prompt", default="Once upon a time, there was a little robot who")
    p.add_argument("--repeats", type=int, default=1, help="rounds per mode, each a lab run then tplay generate")
    p.add_argument("--modes", default="greedy,sample,beam")
    p.add_argument("--no-slider", action="store_true")
    p.add_argument("--threads", type=int, default=0, help="torch threads instead of the app's choice (to compare)")
    args = p.parse_args()
    import torch

    from gui.engine_calls import leave_a_core_for_the_ui

    leave_a_core_for_the_ui()  # as the app does: torch's threads must not starve the UI thread
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs, torch threads {torch.get_num_threads()}")
    app = QApplication.instance() or QApplication([])
    from pyqtgraph.util.garbage_collector import GarbageCollector

    app.garbage_collector = GarbageCollector(interval=1.0)  # as gui/app.py: collections on the UI thread only
    from gui.lab.lab_widget import LabWidget

    lab = LabWidget()
    lab.resize(1500, 900)
    lab.show()
    t0 = time.perf_counter()
    lm = load_in_worker(lab, args.model)
    print(f"{lm.name}: loaded in {time.perf_counter() - t0:.1f} s ({lm.n_params / 1e6:.1f} M params, "
          f"vocabulary {lm.cfg.vocab_size})")
    lab.set_model(lm)
    lab.panel.prompt.setText(args.prompt)
    gc.collect(1)  # as gui/gc_policy.py after a load: later full collections walk only what is new
    gc.freeze()
    for strategy in args.modes.split(","):
        lab.show_tab("beam tree" if strategy == "beam" else "stages")
        rounds = [generate(lab, args.model, strategy, args.tokens) for _ in range(args.repeats)]
        for r in rounds:
            print(f"  {strategy:6} {r['steps']} steps in {r['wall']:.1f} s (decode {r['tps']:.1f} tok/s by the engine's clock, "
                  f"{r['e2e']:.1f} end to end; tplay generate {r['engine']:.1f}: lab/tplay {r['e2e'] / r['engine']:.2f}×): "
                  f"worst UI stall {r['stall'] * 1000:.1f} ms (UI thread busy at most {r['busy'] * 1000:.1f} ms of it) · "
                  f"UI thread CPU {r['ui_cpu'] * 1000:.1f} ms per step, of it chart updates {r['per_step'] * 1000:.2f} ms "
                  f"({r['frames']} frames, handler median {r['frame_med'] * 1000:.2f} ms, max {r['frame_max'] * 1000:.2f} ms; "
                  f"dearest frame {r['frame_cpu'] * 1000:.1f} ms UI CPU with its draws)"
                  + (f" · {r['nodes']} tree nodes" if strategy == "beam" else "") + f" · load {os.getloadavg()[0]:.1f}")
        if len(rounds) > 1:
            med = lambda k: statistics.median(r[k] for r in rounds)  # noqa: E731
            ratio = statistics.median(r["e2e"] / r["engine"] for r in rounds)
            print(f"  {strategy:6} median of {len(rounds)}: worst UI stall {med('stall') * 1000:.1f} ms (max "
                  f"{max(r['stall'] for r in rounds) * 1000:.1f}), busy {med('busy') * 1000:.1f} ms, UI thread CPU "
                  f"{med('ui_cpu') * 1000:.1f} ms per step, lab {med('e2e'):.1f} tok/s end to end / tplay generate "
                  f"{med('engine'):.1f} = {ratio:.2f}×")
    if args.no_slider:
        return lab.close()
    lab.show_tab("stages")
    lab.panel.strategy.setCurrentText("sample")
    med, worst, stall = slider_cost(lab)
    print(f"  temperature slider: re-process + redraw {med:.2f} ms median, {worst:.2f} ms max, worst UI stall "
          f"{stall:.1f} ms (no forward pass; nothing else running in the process)")
    lab.close()


if __name__ == "__main__":
    main()
