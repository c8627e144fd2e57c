"""GGUF models where people keep them: the Hugging Face cache (symlinks into extension-less blobs),
Ollama's store (manifests naming sha256 blobs) and LM Studio's folder — listed from headers with
architecture, size and quantisation, opened by their names with the same logits as the plain file,
and the ones that cannot open listed with the reason the loader gives."""
import json
from pathlib import Path

import pytest
import torch

from engine import load_model, run
from engine.errors import ModelLoadError
from engine.loading import available, resolve
from engine.loading.gguf_header import is_gguf, read_header
from engine.loading.model_info import describe

from .model_stores import TINY_GPT, UNSUPPORTED, build_stores, point_at

GOOD_NAMES = ["org/Tiny-GGUF", "org/Multi-GGUF:good.Q8_0.gguf", "ollama:tiny:q8", "ollama:tiny:Q8",
              "ollama:someone/tiny:q8", "ollama:library/tiny:q8", "ollama:hf.co/org/Tiny-GGUF:Q8_0",
              "lmstudio:pub/Tiny-GGUF/tiny-Q8_0.gguf",
              "lmstudio:pub/Tiny-GGUF", "lmstudio:pub/Two-GGUF/a.gguf"]


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    return build_stores(tmp_path_factory.mktemp("stores"))


@pytest.fixture
def env(stores, monkeypatch):
    point_at(stores, monkeypatch)
    return stores


def rows():
    return {r["name"]: r for r in map(describe, available())}


def _logits(name):
    lm = load_model(name, device="cpu")
    return run(lm.model, [3, 17, 60, 200, 5]).output


def test_blobs_are_extension_less_and_recognised_by_their_bytes(env):
    blob = env["blob"]
    assert blob.suffix == "" and is_gguf(blob) and not is_gguf(env["ollama"] / "manifests" / "registry.ollama.ai"
                                                                / "library" / "tiny" / "q8")
    snap_file = resolve("org/Tiny-GGUF").path
    assert snap_file.is_symlink() and snap_file.resolve().suffix == ""


def test_every_store_lists_its_models_with_architecture_size_and_type(env):
    got = rows()
    files = env["files"]
    for name in ["org/Tiny-GGUF", "org/Multi-GGUF:good.Q8_0.gguf", "ollama:tiny:q8", "ollama:someone/tiny:q8",
                 "ollama:hf.co/org/Tiny-GGUF:Q8_0",
                 "lmstudio:pub/Tiny-GGUF/tiny-Q8_0.gguf", "lmstudio:pub/Two-GGUF/a.gguf"]:
        r = got[name]
        assert "error" not in r, r
        assert r["architecture"] == "LlamaForCausalLM" and r["format"] == "gguf"
        assert r["quantization"] == "Q8_0"  # from general.file_type
        assert r["size_bytes"] == files.good.stat().st_size
        assert r["parameters"] == sum(p.numel() for p in load_model(str(files.good)).model.parameters())
    n_tensors = len(read_header(files.other).tensors)
    assert got["ollama:other:latest"]["quantization"] == f"F32×{n_tensors}"  # no file type: counted
    assert got["ollama:other:latest"]["source"] == "ollama"
    assert got["lmstudio:pub/Two-GGUF/b.gguf"]["source"] == "lmstudio"
    assert got["org/Tiny-GGUF"]["source"] == "hf-cache"
    assert "org/Multi-GGUF" not in got  # two GGUF files: each listed by repo:FILE
    assert "ollama:library/tiny:q8" not in got  # listed as Ollama prints it


def test_the_ones_that_cannot_open_say_why(env):
    got = rows()
    for name in ["org/Multi-GGUF:sub/odd.gguf", f"ollama:{UNSUPPORTED}:latest", "lmstudio:pub/Odd-GGUF/odd.gguf"]:
        r = got[name]
        assert f"GGUF architecture '{UNSUPPORTED}' is not supported" in r["error"]
        assert r["architecture"] == UNSUPPORTED and r["size_bytes"] > 0 and r["quantization"]
    assert "LoRA adapter" in got["ollama:lora:latest"]["error"]
    assert "missing" in got["ollama:gone:latest"]["error"]
    assert "missing" in got["org/Broken-GGUF"]["error"]
    assert "split into 2 files" in got["org/Split-GGUF"]["error"]


def test_the_listed_reason_is_the_loaders(env):
    refused = {n: r["error"] for n, r in rows().items() if "error" in r}
    assert len(refused) >= 8
    for name, why in refused.items():
        with pytest.raises(ModelLoadError) as e:
            load_model(name)
        assert str(e.value) == why


def test_an_unknown_pre_tokenizer_is_listed_and_refused(env, tmp_path):
    from .model_stores import N_VOCAB
    from .reference_llama import llama, write_gguf

    path = write_gguf(llama(vocab_size=N_VOCAB, intermediate_size=64), tmp_path / "blob", pre="nosuchpre")
    r = describe(resolve(str(path)))
    assert "pre-tokenizer 'nosuchpre'" in r["error"] and r["architecture"] == "LlamaForCausalLM"
    with pytest.raises(ModelLoadError) as e:
        load_model(str(path))
    assert str(e.value) == r["error"]


def test_listing_reads_headers_only(env, monkeypatch):
    from engine.loading.gguf import loader, reader

    def boom(*a, **k):
        raise AssertionError("the listing read tensors")

    monkeypatch.setattr(reader, "dequantize", boom)
    monkeypatch.setattr(loader, "dequantize", boom)
    monkeypatch.setattr(loader, "read", boom)  # the gguf package's full reader
    assert "error" not in rows()["ollama:tiny:q8"]


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_opens_by_its_name_with_the_plain_files_logits(env, name):
    want = _logits(str(env["files"].good))
    assert torch.equal(_logits(name), want)


def test_a_folder_of_gguf_files_opens_its_only_one_or_says_which(env):
    repo = env["lmstudio"] / "pub"
    assert torch.equal(_logits(str(repo / "Tiny-GGUF")), _logits(str(env["files"].good)))
    with pytest.raises(ModelLoadError, match=r"holds 2 GGUF files \(a.gguf, b.gguf\); pick one as .*Two-GGUF/a.gguf"):
        load_model(str(repo / "Two-GGUF"))


def test_an_extension_less_blob_opens_by_its_path(env):
    assert torch.equal(_logits(str(env["blob"])), _logits(str(env["files"].good)))


@pytest.mark.parametrize("name,why", [
    (f"ollama:{UNSUPPORTED}:latest", f"'{UNSUPPORTED}' is not supported"),
    ("ollama:lora:latest", "LoRA adapter"),
    ("ollama:gone:latest", "missing"),
    ("org/Broken-GGUF", "missing"),
    ("org/Split-GGUF", "split into 2 files"),
    ("org/Multi-GGUF:sub/odd.gguf", f"'{UNSUPPORTED}' is not supported"),
    ("lmstudio:pub/Odd-GGUF", f"'{UNSUPPORTED}' is not supported"),
    ("ollama:nosuch", "no Ollama model 'nosuch'"),
    ("lmstudio:pub/NoSuch", "no LM Studio model 'pub/NoSuch'"),
    ("org/Multi-GGUF:nosuch.gguf", "has no GGUF file 'nosuch.gguf'"),
])
def test_refused_with_one_line(env, name, why):
    with pytest.raises(ModelLoadError) as e:
        load_model(name)
    assert why in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("name,hint", [("org/Multi-GGUF", "org/Multi-GGUF:good.Q8_0.gguf"),
                                       ("lmstudio:pub/Two-GGUF", "lmstudio:pub/Two-GGUF/a.gguf")])
def test_several_gguf_files_are_listed_with_how_to_pick_one(env, name, hint):
    with pytest.raises(ModelLoadError) as e:
        resolve(name)
    msg = str(e.value)
    assert "holds 2 GGUF files" in msg and f"pick one as {hint}" in msg


def test_header_reader_gives_the_gguf_packages_values(env):
    from engine.loading.gguf_file import read

    for path in (env["files"].good, env["blob"]):
        meta, reader = read(path)
        h = read_header(path)
        assert h.meta == meta and [type(v) for v in h.meta.values()] == [type(v) for v in meta.values()]
        assert [(t.name, t.shape, t.type_name) for t in h.tensors] == [
            (t.name, tuple(int(n) for n in t.shape), t.tensor_type.name) for t in reader.tensors]


def test_model_folders_in_the_cache_still_list_and_open(env):
    r = rows()["org/tiny-gpt"]
    assert r["architecture"] == "GPT2LMHeadModel" and r["quantization"] == "F32" and "error" not in r
    assert r["size_bytes"] == sum(f.stat().st_size for f in TINY_GPT.iterdir() if f.is_file())
    assert torch.equal(_logits("org/tiny-gpt"), _logits("tiny-gpt"))
    assert "points to a missing file" in rows()["org/half-gpt"]["error"]


def test_hf_home_locates_the_cache_too(env, monkeypatch):
    monkeypatch.delenv("HF_HUB_CACHE")
    monkeypatch.setenv("HF_HOME", str(env["hub"].parent))  # the cache is HF_HOME/hub
    assert resolve("org/Tiny-GGUF").path.name == "tiny.Q8_0.gguf"


def test_default_places_under_home(env, tmp_path, monkeypatch):
    """Without the variables: ~/.ollama/models, and LM Studio's home (moved by its pointer file)."""
    import shutil

    monkeypatch.delenv("OLLAMA_MODELS")
    monkeypatch.delenv("TPLAY_LMSTUDIO_MODELS")
    monkeypatch.setenv("HOME", str(tmp_path))
    shutil.copytree(env["ollama"], tmp_path / ".ollama" / "models")
    shutil.copytree(env["lmstudio"], tmp_path / "elsewhere" / "models")
    (tmp_path / ".lmstudio-home-pointer").write_text(str(tmp_path / "elsewhere") + "\n")
    assert resolve("ollama:tiny:q8").path.parent == tmp_path / ".ollama" / "models" / "blobs"
    assert resolve("lmstudio:pub/Tiny-GGUF").path == tmp_path / "elsewhere" / "models" / "pub" / "Tiny-GGUF" / "tiny-Q8_0.gguf"


def test_a_store_that_is_not_there_lists_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-hub"))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "no-ollama"))
    monkeypatch.setenv("TPLAY_LMSTUDIO_MODELS", str(tmp_path / "no-lms"))
    kinds = {r.kind for r in available()}
    assert not kinds & {"hf-cache", "ollama", "lmstudio"}


def test_a_corrupt_manifest_is_listed_with_its_reason(tmp_path, monkeypatch):
    m = tmp_path / "manifests" / "registry.ollama.ai" / "library" / "bad" / "latest"
    m.parent.mkdir(parents=True)
    m.write_text("{not json")
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path))
    r = rows()["ollama:bad:latest"]
    assert "manifest" in r["error"] and "unreadable" in r["error"]
    with pytest.raises(ModelLoadError, match="unreadable"):
        load_model("ollama:bad")


def test_models_json_is_plain_data(env):
    json.dumps(list(rows().values()))  # the CLI prints it as JSON
    assert Path(rows()["ollama:tiny:q8"]["path"]).name.startswith("sha256-")
