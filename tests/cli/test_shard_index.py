"""A sharded folder's index (issue 14, item 11): an entry pointing outside the model folder is refused
as outside the folder by the model listing too (describe: what `tplay models` and the GUI picker
show before anyone clicks), not only by the loader; a malformed index is one line in both."""
from __future__ import annotations

import json
import shutil

import pytest

from engine.loading.model_info import describe
from engine.loading.sources import ModelRef


def _sharded(gpt2_folder, tmp_path, shard: str):
    folder = shutil.copytree(gpt2_folder, tmp_path / "m")
    outside = tmp_path / "outside.safetensors"
    (folder / "model.safetensors").rename(outside)
    from safetensors import safe_open

    with safe_open(str(outside), "pt") as f:
        names = list(f.keys())
    (folder / "model.safetensors.index.json").write_text(json.dumps({"weight_map": {n: shard for n in names}}))
    return folder


@pytest.mark.parametrize("shard", ["../outside.safetensors", "{tmp}/outside.safetensors"], ids=["relative", "absolute"])
def test_the_listing_refuses_a_shard_outside_the_folder(gpt2_folder, tmp_path, shard):
    folder = _sharded(gpt2_folder, tmp_path, shard.format(tmp=tmp_path))
    info = describe(ModelRef("m", "folder", folder))
    assert "outside the model folder" in info.get("error", ""), info


@pytest.mark.parametrize("weight_map", [[1, 2], {"a": 5}, {"a": ""}, "x"], ids=["list", "number", "empty", "text"])
def test_a_malformed_index_is_one_line_in_the_listing_and_the_loader(gpt2_folder, tmp_path, tplay, weight_map):
    folder = shutil.copytree(gpt2_folder, tmp_path / "m")
    (folder / "model.safetensors.index.json").write_text(json.dumps({"weight_map": weight_map}))
    info = describe(ModelRef("m", "folder", folder))
    assert "malformed" in info.get("error", ""), info
    code, out, err = tplay("logits", "-m", folder, "--prompt", "hi")
    assert code == 2 and "malformed" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
