"""Parameter counts read from file headers, checked against the loaded model / the gguf library."""
from pathlib import Path

import pytest

from gui.memory_estimate import estimate_params


def test_safetensors_count_matches_the_checkpoint(tiny_gpt, loaded_gpt):
    from safetensors.torch import load_file

    folder = loaded_gpt.ref.path
    expected = sum(t.numel() for f in folder.glob("*.safetensors") for t in load_file(str(f)).values())
    assert estimate_params(folder) == expected


@pytest.mark.slow
def test_gguf_count_matches_the_gguf_reader():
    from engine.loading.packs import pack_path

    path = pack_path("smollm2-135m")
    if path is None:
        pytest.skip("the smollm2-135m pack is not installed")
    from gguf import GGUFReader

    assert estimate_params(path) == sum(int(t.n_elements) for t in GGUFReader(str(path)).tensors)


def test_unknown_or_broken_files_give_none(tmp_path: Path):
    assert estimate_params(tmp_path) is None
    bad = tmp_path / "x.gguf"
    bad.write_bytes(b"GGUF\x03\x00")
    assert estimate_params(bad) is None
