"""Decode speed: our engine vs transformers' generate, same weights, CPU, per dtype.

Prints greedy and beam-4 decode tokens/s (tokens after the first / time after the first) of
transformers, ours in process, ours end to end through `tplay generate`, (float32) ours with
nn.Linear's weight layout and (bfloat16) ours without pre-packed weights (TPLAY_WEIGHT_PACKS=off);
the ratio to transformers and the fraction of the memory-bandwidth limit (bytes of weights read
per token / a read bandwidth measured in this run, with the same thread count). "Matrix products
alone" multiplies by the matrices as a decode step does (fused, packed in bfloat16). Medians of
--repeats interleaved rounds (the machine may be shared: use --threads 1 when it is loaded).

    .venv/bin/python benchmarks/decode.py [--new 32] [--threads N] [--models gpt2,smollm2-135m,qwen2,gemma2]
        [--dtypes float32,bfloat16,float16] [--no-beam] [--capture] [--profile]
"""
from __future__ import annotations

import argparse
import statistics
import time

import torch


def read_bandwidth(mb: int = 1024, reps: int = 3) -> float:
    """Bytes/s of the fastest full read of a `mb` MB tensor (far larger than any cache) we can time:
    a sum, and a matrix-vector product (the very access pattern of a decode step)."""
    x = torch.ones(mb * 2**20 // 4 // 1024, 1024)  # [rows, 1024] float32
    v = torch.ones(1024)
    best = float("inf")
    with torch.inference_mode():
        for op in (lambda: x.sum(), lambda: torch.mv(x, v)):
            for _ in range(reps):
                t = time.perf_counter()
                op()
                best = min(best, time.perf_counter() - t)
    return x.numel() * 4 / best


def weight_bytes_per_token(model) -> int:
    """Every matrix is read once per token; of the embedding tables only one row (+ the unembedding)."""
    total = 0
    for name, p in model.named_parameters():
        if name.endswith("pos_embed.W_pos"):
            total += p.shape[-1] * p.element_size()
        else:
            total += p.numel() * p.element_size()  # W_E counts once: it is the (tied) unembedding
    return total


def decode_matrices(model) -> list[torch.Tensor]:
    """The weight matrices one decode step multiplies a vector by: fused ones as the engine runs
    them, every other linear, and the unembedding (the embedding table when tied)."""
    from torch import nn

    mats, fused_members = [], set()
    for m in model.modules():
        if getattr(m, "fused_weights", None):
            mats += [w for w, _ in m.fused_weights]
            fused_members |= {id(lin) for g in m.fuse_groups() for lin in g}
        elif isinstance(m, nn.Linear) and id(m) not in fused_members:
            mats.append(m.weight)
    mats.append(model.embed.W_E if model.unembed.tied else model.unembed.W_U)
    return mats


def matmul_floor(model, reps: int = 5) -> float:
    """Tokens/s if a decode step were only its matrix products (in model order, nothing else):
    what no eager step can beat; the gap to it is the rest of the step (norms, RoPE, attention,
    cache, Python)."""
    import torch.nn.functional as F

    from engine.models.weight_packs import packs_for

    mats = decode_matrices(model)
    xs = {w.shape[1]: torch.randn(1, 1, w.shape[1], dtype=w.dtype) for w in mats}  # [batch, pos, in]
    packs = packs_for(type("Cache", (), {})(), mats[0].dtype, mats[0].device, {})  # as a generation multiplies
    linear = F.linear if packs is None else packs.linear
    best = float("inf")
    with torch.inference_mode():
        for _ in range(reps + 1):  # the first round packs (bfloat16)
            t = time.perf_counter()
            for w in mats:
                linear(xs[w.shape[1]], w, None)
            best = min(best, time.perf_counter() - t)
    return 1 / best


def profile_step(model, prompt, steps: int = 10, rows: int = 15) -> None:
    """torch.profiler over `steps` cached greedy steps of ours: where a token's time goes."""
    from torch.profiler import ProfilerActivity, profile

    from engine.decoding.decoders import decoder_for

    dec = decoder_for(model, prompt)
    dec.start(1)
    tok = torch.tensor([prompt[-1]])
    for _ in range(3):
        dec.step(tok)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            dec.step(tok)
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=rows))


def time_ours(model, prompt, new, **kw) -> float:
    from engine.decoding import generate

    gen = generate(model, prompt, max_new_tokens=new, min_new_tokens=new, keep_stages=False, **kw)
    gen.run()
    return gen.decode_tokens_per_second


def time_rows_layout(model, prompt, new) -> float:
    """Ours with nn.Linear's [out, in] layout (what decoding ran before fast_layout): the layout's gain."""
    import os

    from engine.models.fast_layout import ENV

    os.environ[ENV] = "rows"
    try:
        return time_ours(model, prompt, new)
    finally:
        del os.environ[ENV]


def time_flinear_beam(model, prompt, new) -> float:
    """Beam-4 of ours with every product through F.linear (what beam search ran before few_rows)."""
    from engine.models import few_rows

    saved = dict(few_rows.WIDE)
    few_rows.WIDE.clear()
    try:
        return time_ours(model, prompt, new, strategy="beam", num_beams=4)
    finally:
        few_rows.WIDE.update(saved)


def time_unpacked(model, prompt, new) -> float:
    """Ours without pre-packed weights (bfloat16: what decoding ran before weight_packs): their gain."""
    import os

    from engine.models.weight_packs import ENV

    os.environ[ENV] = "off"
    try:
        return time_ours(model, prompt, new)
    finally:
        del os.environ[ENV]


def time_cli(source: str, prompt, new, dtype: str, *extra: str) -> float:
    """End to end as users run it: `tplay generate` (in process; it loads the model each time),
    its own decode tokens/s from --json. The prompt is given as text of the pack's tokenizer."""
    import contextlib
    import io
    import json

    from engine.cli import main

    argv = ["generate", "-m", source, "--prompt", prompt, "--max-new-tokens", str(new),
            "--min-new-tokens", str(new), "--dtype", dtype, "--device", "cpu", "--json", *extra]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(argv)
    if rc != 0:
        raise RuntimeError(f"tplay generate failed: {err.getvalue().strip()[-300:]}")
    res = json.loads(out.getvalue().strip().splitlines()[-1])
    return res["decode_tokens_per_second"], res["prompt_ids"]


def time_ref(ref, prompt, new, **kw) -> float:
    """Tokens after the first / time after the first: generate(new) minus generate(1)."""
    ids = torch.tensor([prompt])
    common = dict(do_sample=False, use_cache=True, pad_token_id=0, **kw)
    with torch.inference_mode():
        t = time.perf_counter()
        ref.generate(ids, max_new_tokens=1, min_new_tokens=1, **common)
        t1 = time.perf_counter() - t
        t = time.perf_counter()
        ref.generate(ids, max_new_tokens=new, min_new_tokens=new, **common)
        tn = time.perf_counter() - t
    return (new - 1) / (tn - t1)


def word_tokenizer_folder(ref, vocab: int) -> str:
    """A temp model folder of `ref` with a word-level tokenizer "t0 t1 …" (no GPT-2 vocabulary is
    bundled), so `tplay generate -m FOLDER --prompt "t5 t17 …"` feeds exactly the ids we choose."""
    import tempfile

    from tokenizers import Tokenizer, models, pre_tokenizers

    folder = tempfile.mkdtemp(prefix="tplay-bench-")
    ref.save_pretrained(folder, safe_serialization=True)
    tok = Tokenizer(models.WordLevel({f"t{i}": i for i in range(vocab)}, unk_token="t0"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.save(f"{folder}/tokenizer.json")
    return folder


def gpt2_pair():
    from transformers import GPT2Config, GPT2LMHeadModel

    from engine.loading.build import instantiate
    from engine.loading.registry import converter_for

    torch.manual_seed(0)
    hf = GPT2Config(attn_implementation="sdpa")  # GPT-2 124M sizes
    ref = GPT2LMHeadModel(hf).eval()
    conv = converter_for("GPT2LMHeadModel")
    cfg = conv.make_config(hf.to_dict())
    ours = instantiate(cfg, conv.convert(ref.state_dict(), cfg))
    return "gpt2-124M-shape (random)", ref, ours, word_tokenizer_folder(ref, hf.vocab_size)


def smollm2_pair():
    """smollm2-135m through our GGUF loader; the reference is a LlamaForCausalLM with the same weights."""
    from transformers import LlamaConfig, LlamaForCausalLM

    from engine.loading import load_model

    lm = load_model("smollm2-135m", device="cpu", dtype="float32")
    c, m = lm.cfg, lm.model
    hf = LlamaConfig(vocab_size=c.vocab_size, hidden_size=c.d_model, intermediate_size=c.d_mlp,
                     num_hidden_layers=c.n_layers, num_attention_heads=c.n_heads, num_key_value_heads=c.n_kv_heads,
                     max_position_embeddings=c.n_ctx, rms_norm_eps=c.norm_eps, rope_theta=c.rope_theta,
                     tie_word_embeddings=c.tie_embeddings, attn_implementation="sdpa")
    ref = LlamaForCausalLM(hf).eval()
    sd = m.state_dict()
    names = {"attn.W_Q": "self_attn.q_proj", "attn.W_K": "self_attn.k_proj", "attn.W_V": "self_attn.v_proj",
             "attn.W_O": "self_attn.o_proj", "mlp.W_gate": "mlp.gate_proj", "mlp.W_in": "mlp.up_proj",
             "mlp.W_out": "mlp.down_proj", "ln1": "input_layernorm", "ln2": "post_attention_layernorm"}
    theirs = {"model.embed_tokens.weight": sd["embed.W_E"], "model.norm.weight": sd["ln_final.w"]}
    if not c.tie_embeddings:
        theirs["lm_head.weight"] = sd["unembed.W_U"]
    for i in range(c.n_layers):
        for o, t in names.items():
            key = f"blocks.{i}.{o}.weight" if not o.startswith("ln") else f"blocks.{i}.{o}.w"
            theirs[f"model.layers.{i}.{t}.weight"] = sd[key]
    ref.load_state_dict(theirs, strict=False)
    return "smollm2-135m", ref, m, "smollm2-135m"


def _random_pair(arch: str, config_class: str, label: str, attn: str = "sdpa", **config):
    """A random transformers model of `arch` and ours converted from its state dict (same weights).
    (transformers runs Gemma 2's soft-capped attention only eagerly.)"""
    import transformers

    from engine.loading.build import instantiate
    from engine.loading.registry import converter_for

    torch.manual_seed(0)
    hf = getattr(transformers, config_class)(attn_implementation=attn, **config)
    ref = getattr(transformers, arch)(hf).eval()
    conv = converter_for(arch)
    cfg = conv.make_config(hf.to_dict())
    return label, ref, instantiate(cfg, conv.convert(ref.state_dict(), cfg)), None


def qwen2_pair():
    """Qwen2.5-0.5B's widths (q/k/v biases, 14 heads over 2 kv heads), 8 of its 24 layers, a 32k vocabulary."""
    return _random_pair("Qwen2ForCausalLM", "Qwen2Config", "qwen2.5-0.5B-shape, 8 layers, 32k vocab (random)",
                        vocab_size=32000, hidden_size=896, intermediate_size=4864, num_hidden_layers=8,
                        num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=512,
                        tie_word_embeddings=True)


def gemma2_pair():
    """Gemma-2-2B's widths (head_dim 256, GeGLU 9216, sandwich norms, both soft-caps), 2 of its 26
    layers (local + global; a 32-token window, so decode steps mask old keys), a 32k vocabulary."""
    return _random_pair("Gemma2ForCausalLM", "Gemma2Config", "gemma-2-2B-shape, 2 layers, 32k vocab (random)", attn="eager",
                        vocab_size=32000, hidden_size=2304, intermediate_size=9216, num_hidden_layers=2,
                        num_attention_heads=8, num_key_value_heads=4, head_dim=256, max_position_embeddings=512,
                        sliding_window=32)


PAIRS = {"gpt2": gpt2_pair, "smollm2-135m": smollm2_pair, "qwen2": qwen2_pair, "gemma2": gemma2_pair}


TEXT = "The quick brown fox jumps over the lazy dog, and then it runs into the forest to"


def median_rates(runs: dict, repeats: int) -> dict[str, float]:
    """name -> median tokens/s over `repeats` interleaved rounds (noise on a shared machine hits all)."""
    got = {k: [] for k in runs}
    for _ in range(repeats):
        for k, f in runs.items():
            got[k].append(f())
    return {k: statistics.median(v) for k, v in got.items()}


def bench_dtype(name, ref, ours, source, dtype: str, args, bw: float) -> float:
    """One model in one dtype: every contender interleaved, medians; returns the best read bandwidth."""
    from engine.trace import Capture

    dt = getattr(torch, dtype)
    ref, ours = ref.to(dt), ours.to(dt)
    if source is not None:
        _, prompt = time_cli(source, args.text, 2, dtype)
    else:
        prompt = torch.randint(0, ours.cfg.vocab_size, (args.prompt_len,),
                               generator=torch.Generator().manual_seed(0)).tolist()
    nbytes = weight_bytes_per_token(ours)
    with torch.inference_mode():  # same weights: the two models agree before timing
        ids = torch.tensor([prompt])
        diff = (ours(ids).float() - ref(ids).logits.float()).abs().max().item()
    print(f"\n{name}, {dtype}: {ours.n_params() / 1e6:.1f}M params, {nbytes / 1e6:.0f} MB read per token; "
          f"{len(prompt)}-token prompt; same weights: max |logit difference| {diff:.1e}")
    n, cap = args.new, Capture(names=["*attn.hook_pattern"])
    runs = {"g_ref": lambda: time_ref(ref, prompt, n), "g_ours": lambda: time_ours(ours, prompt, n)}
    if source is not None:
        runs["g_cli"] = lambda: time_cli(source, args.text, n, dtype)[0]
    if dtype == "float32":
        runs["g_rows"] = lambda: time_rows_layout(ours, prompt, n)
    if dtype == "bfloat16":
        runs["g_unpacked"] = lambda: time_unpacked(ours, prompt, n)
    if not args.no_beam:
        runs["b_ref"] = lambda: time_ref(ref, prompt, n, num_beams=4)
        runs["b_ours"] = lambda: time_ours(ours, prompt, n, strategy="beam", num_beams=4)
        if dtype == "float32":
            runs["b_flin"] = lambda: time_flinear_beam(ours, prompt, n)
        if source is not None:
            runs["b_cli"] = lambda: time_cli(source, args.text, n, dtype, "--strategy", "beam", "--beams", "4")[0]
    if args.capture:
        runs["g_cap"] = lambda: time_ours(ours, prompt, n, capture=cap)
    time_ours(ours, prompt, 4)  # warm up
    time_ref(ref, prompt, 4)
    r = median_rates(runs, args.repeats)
    bw = max(bw, read_bandwidth())
    limit = bw / nbytes
    floor = matmul_floor(ours)
    print(f"  read bandwidth (best so far) {bw / 1e9:.1f} GB/s -> limit {limit:.1f} tok/s; "
          f"matrix products alone {floor:.1f} tok/s ({floor / limit:.0%} of the limit)")
    row = lambda label, k: print(f"  {label:<28} {r[k]:7.1f} tok/s | {r[k] / r[k[0] + '_ref']:.2f}x transformers"  # noqa: E731
                                 f" | {r[k] / limit:.0%} of the bandwidth limit")
    print(f"  {'greedy, transformers':<28} {r['g_ref']:7.1f} tok/s")
    row("greedy, ours in process", "g_ours")
    if "g_cli" in r:
        row("greedy, tplay generate", "g_cli")
    if "g_rows" in r:
        row("greedy, ours [out,in] layout", "g_rows")
    if "g_unpacked" in r:
        row("greedy, ours weights unpacked", "g_unpacked")
    if "b_ref" in r:
        print(f"  {'beam-4, transformers':<28} {r['b_ref']:7.1f} tok/s   (tok/s = steps/s; each step extends 4 beams)")
        row("beam-4, ours in process", "b_ours")
        if "b_cli" in r:
            row("beam-4, tplay generate", "b_cli")
        if "b_flin" in r:
            row("beam-4, ours F.linear only", "b_flin")
    if "g_cap" in r:
        print(f"  greedy with the new token's attention captured: {r['g_cap']:7.1f} tok/s "
              f"-> capture costs {r['g_ours'] / r['g_cap']:.2f}x")
    if args.profile:
        with torch.inference_mode():
            profile_step(ours, prompt)
    return bw


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--new", type=int, default=32, help="tokens to generate per run")
    ap.add_argument("--prompt-len", type=int, default=16, help="random prompt length (models without a CLI source)")
    ap.add_argument("--text", default=TEXT, help="the prompt text `tplay generate` gets")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--models", default="gpt2,smollm2-135m", help=f"of {','.join(PAIRS)}")
    ap.add_argument("--dtypes", default="float32,bfloat16,float16")
    ap.add_argument("--repeats", type=int, default=3, help="interleaved rounds; medians are shown")
    ap.add_argument("--no-beam", action="store_true", help="skip the beam-4 runs")
    ap.add_argument("--capture", action="store_true", help="also time greedy with attention captured")
    ap.add_argument("--profile", action="store_true", help="also print torch.profiler's top ops of our step")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    bw = read_bandwidth()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"measured read bandwidth {bw / 1e9:.1f} GB/s; medians of {args.repeats} interleaved rounds")
    for key in args.models.split(","):
        try:
            name, ref, ours, source = PAIRS[key]()
        except Exception as e:  # a model that is not available here is reported, not fatal
            print(f"\n{key}: skipped ({type(e).__name__}: {e})")
            continue
        if source is not None and not source.startswith("/"):
            pass  # a pack name: `tplay generate` tokenizes the text with the pack's tokenizer
        elif source is not None:  # the word-level folder: the text is the random ids
            args.text = " ".join(f"t{i}" for i in torch.randint(
                0, ours.cfg.vocab_size, (args.prompt_len,), generator=torch.Generator().manual_seed(0)).tolist())
        for dtype in args.dtypes.split(","):
            bw = bench_dtype(name, ref, ours, source, dtype, args, bw)
        args.text = ap.get_default("text")


if __name__ == "__main__":
    main()
