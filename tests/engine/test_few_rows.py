"""engine/models/few_rows.py: the same values as F.linear, in the product the table names."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from engine.models import few_rows
from engine.models.few_rows import Linear, linear, transposed_product


def _w(out_f, in_f, dtype=torch.float32, columns=False):
    w = torch.randn(out_f, in_f, dtype=dtype)
    return w.t().contiguous().t() if columns else w  # [out, in], stored [in, out] when `columns`


@pytest.mark.parametrize("lead", [(1,), (2,), (3,), (4,), (5,), (8,), (4, 1), (1, 3), (2, 2)])
@pytest.mark.parametrize("shape", [(96, 32), (32, 32), (24, 64)], ids=["wide", "square", "narrow"])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_gives_f_linear_values_and_layout(lead, shape, bias):
    torch.manual_seed(0)
    w = _w(*shape)
    b = torch.randn(shape[0]) if bias else None
    x = torch.randn(*lead, shape[1])
    got, want = linear(x, w, b), F.linear(x, w, b)
    assert got.shape == want.shape and got.is_contiguous()
    assert torch.allclose(got, want, atol=1e-5, rtol=1e-5)
    rows = x.numel() // shape[1]
    assert transposed_product(x, w) == (2 <= rows <= 5 and shape[0] >= shape[1])


def test_six_rows_take_the_transposed_product_for_an_unembedding_only():
    x = torch.randn(6, 1, 32)
    assert transposed_product(x, _w(512, 32)) and not transposed_product(x, _w(96, 32))
    w = _w(512, 32)
    assert torch.allclose(linear(x, w), F.linear(x, w), atol=1e-5, rtol=1e-5)


def test_only_float32_rows_layout_on_the_cpu_takes_the_transposed_product():
    x = torch.randn(4, 1, 32)
    assert transposed_product(x, _w(96, 32))
    assert not transposed_product(x, _w(96, 32, columns=True))  # greedy's layout: F.linear
    assert not transposed_product(x.bfloat16(), _w(96, 32, torch.bfloat16))
    assert not transposed_product(x.half(), _w(96, 32, torch.float16))
    w = _w(96, 32, columns=True)
    assert torch.equal(linear(x, w), F.linear(x, w))  # not taken: F.linear itself


def test_an_empty_table_is_f_linear_bit_for_bit(monkeypatch):
    monkeypatch.setattr(few_rows, "WIDE", {})
    x, w, b = torch.randn(4, 1, 32), _w(96, 32), torch.randn(96)
    assert not transposed_product(x, w)
    assert torch.equal(linear(x, w, b), F.linear(x, w, b))


def test_linear_module_is_an_nn_linear_with_hooks_and_gradients():
    torch.manual_seed(0)
    lin, ref = Linear(16, 48), nn.Linear(16, 48)
    ref.load_state_dict(lin.state_dict())
    assert isinstance(lin, nn.Linear) and list(lin.state_dict()) == list(ref.state_dict())
    seen = []
    lin.register_forward_hook(lambda m, i, o: seen.append(o.shape))
    x = torch.randn(3, 1, 16, requires_grad=True)
    xr = x.detach().clone().requires_grad_(True)
    out = lin(x)
    assert seen == [torch.Size([3, 1, 48])]
    assert torch.allclose(out, ref(xr), atol=1e-5)
    out.square().sum().backward()
    ref(xr).square().sum().backward()
    for a, b in ((x.grad, xr.grad), (lin.weight.grad, ref.weight.grad), (lin.bias.grad, ref.bias.grad)):
        assert torch.allclose(a, b, atol=1e-4)
