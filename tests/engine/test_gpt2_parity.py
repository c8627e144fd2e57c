import torch

from engine import Capture, load_model, run
from engine.loading.build import instantiate
from engine.loading.hf_folder import load_folder

from .reference import gpt2


def _ours(folder):
    cfg, state = load_folder(folder)
    return instantiate(cfg, state)


def test_gpt2_logits_and_patterns_match_reference(tmp_path):
    ref = gpt2(tmp_path)
    model = _ours(tmp_path)
    ids = torch.randint(0, 97, (1, 20), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        out = ref(ids, output_attentions=True, output_hidden_states=True)
    trace = run(model, ids, capture=Capture())
    assert torch.allclose(trace.output, out.logits, atol=1e-4), (trace.output - out.logits).abs().max()
    for L in range(2):
        pat = trace[f"blocks.{L}.attn.hook_pattern"]
        assert torch.allclose(pat, out.attentions[L], atol=1e-5)
    # GPT-2's last hidden state is taken after ln_f
    assert torch.allclose(trace["blocks.0.hook_resid_post"], out.hidden_states[1], atol=1e-4)
    assert torch.allclose(trace["ln_final.hook_normalized"], out.hidden_states[2], atol=1e-4)
    fast = run(model, ids, capture=None)
    assert torch.allclose(fast.output, out.logits, atol=1e-4)
