"""KV cache reorder (beam search's parents): the same rows as a plain gather, in place."""
import torch

from engine.models.kv_cache import LayerKV


def _kv(rows, pos, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(rows, 2, pos, 4, generator=g), torch.randn(rows, 2, pos, 4, generator=g)  # [rows, kv_head, pos, d_head]


def test_reorder_after_a_shared_prompt_equals_gathering_every_row():
    layer, ref_k, ref_v = LayerKV(), None, None
    layer.reserved = 12
    k, v = _kv(1, 5, 0)  # the prompt, one row
    layer.append(k, v)
    layer.reorder(torch.zeros(3, dtype=torch.long))  # copied to 3 beams
    assert layer.shared == 5
    ref_k, ref_v = k.expand(3, -1, -1, -1), v.expand(3, -1, -1, -1)
    ptr = layer.k.data_ptr()
    for step, parents in enumerate([[0, 0, 1], [2, 1, 0], [1, 1, 1], [0, 1, 2], [2, 2, 0]]):
        k, v = _kv(3, 1, step + 1)  # one new position per beam
        layer.append(k, v)
        ref_k, ref_v = torch.cat([ref_k, k], dim=2), torch.cat([ref_v, v], dim=2)
        index = torch.tensor(parents)
        layer.reorder(index)
        ref_k, ref_v = ref_k.index_select(0, index), ref_v.index_select(0, index)
        got_k, got_v = layer.view()
        assert torch.equal(got_k, ref_k) and torch.equal(got_v, ref_v)
    assert layer.k.data_ptr() == ptr  # in place: the reserved buffer is kept


def test_reorder_without_a_known_shared_prefix_moves_every_position():
    layer = LayerKV()
    k, v = _kv(3, 4, 7)  # rows that differ everywhere (no prompt copied from one row)
    layer.append(k, v)
    assert layer.shared == 0
    index = torch.tensor([2, 0, 0])
    layer.reorder(index)
    got_k, got_v = layer.view()
    assert torch.equal(got_k, k.index_select(0, index)) and torch.equal(got_v, v.index_select(0, index))
