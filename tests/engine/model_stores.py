"""Fake model stores laid out as the Hugging Face cache, Ollama and LM Studio lay them out, holding
tiny GGUF files written with the gguf package (as extension-less blobs behind symlinks where the
real store does so). Tests point HF_HUB_CACHE / OLLAMA_MODELS / TPLAY_LMSTUDIO_MODELS at them."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import gguf

from .reference_llama import byte_level_vocab, llama, write_gguf

Q = gguf.GGMLQuantizationType
TINY_GPT = Path(__file__).resolve().parents[2] / "resources" / "models" / "tiny-gpt"
N_VOCAB = len(byte_level_vocab()[0])
UNSUPPORTED = "xyzzy"  # a GGUF architecture no converter will ever claim


@dataclass
class Files:
    good: Path  # a tiny llama, Q8_0 matrices, general.file_type = MOSTLY_Q8_0
    other: Path  # a tiny llama in F32 with no general.file_type (a different model)
    odd: Path  # architecture UNSUPPORTED
    split: Path  # part 1 of 2 of a split file


def write_files(folder: Path) -> Files:
    folder.mkdir(parents=True, exist_ok=True)
    def file_type(w):
        w.add_file_type(gguf.LlamaFileType.MOSTLY_Q8_0)

    def split(w):
        w.add_uint16(gguf.Keys.Split.LLM_KV_SPLIT_COUNT, 2)
        w.add_uint16(gguf.Keys.Split.LLM_KV_SPLIT_NO, 0)

    src = llama(vocab_size=N_VOCAB, intermediate_size=64)
    return Files(
        good=write_gguf(src, folder / "good.gguf", pre="gpt2", quant={"attn_": Q.Q8_0, "ffn_": Q.Q8_0},
                        extra=file_type),
        other=write_gguf(llama(vocab_size=N_VOCAB, intermediate_size=64, seed=5), folder / "other.gguf", pre="gpt2"),
        odd=write_gguf(src, folder / "odd.gguf", pre="gpt2", arch=UNSUPPORTED),
        split=write_gguf(src, folder / "split.gguf", pre="gpt2", extra=split),
    )


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hf_repo(hub: Path, repo_id: str, files: dict[str, Path | None], rev: str = "0" * 40) -> Path:
    """models--org--name/{refs/main, blobs/<sha>, snapshots/<rev>/NAME -> ../../blobs/<sha>};
    a None source makes a symlink to a blob that is not there (an interrupted download)."""
    repo = hub / ("models--" + repo_id.replace("/", "--"))
    snap = repo / "snapshots" / rev
    (repo / "blobs").mkdir(parents=True, exist_ok=True)
    snap.mkdir(parents=True, exist_ok=True)
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / "main").write_text(rev)
    for name, src in files.items():
        sha = _sha(src) if src is not None else "f" * 64
        if src is not None:
            shutil.copyfile(src, repo / "blobs" / sha)
        link = snap / name
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.path.relpath(repo / "blobs" / sha, link.parent), link)
    return snap


def ollama_model(store: Path, name: str, tag: str, src: Path | None, adapter: bool = False,
                 host: str = "registry.ollama.ai", namespace: str = "library") -> Path:
    """manifests/HOST/NS/NAME/TAG naming blobs/sha256-<hex> (None: a blob that is not there)."""
    (store / "blobs").mkdir(parents=True, exist_ok=True)
    sha = _sha(src) if src is not None else "e" * 64
    if src is not None:
        shutil.copyfile(src, store / "blobs" / f"sha256-{sha}")
    layers = [{"mediaType": "application/vnd.ollama.image.model", "digest": f"sha256:{sha}",
               "size": src.stat().st_size if src else 0},
              {"mediaType": "application/vnd.ollama.image.template", "digest": "sha256:" + "1" * 64, "size": 10}]
    if adapter:
        layers.append({"mediaType": "application/vnd.ollama.image.adapter", "digest": "sha256:" + "2" * 64,
                       "size": 10})
    manifest = store / "manifests" / host / namespace / name / tag
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({"schemaVersion": 2, "layers": layers,
                                    "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                                               "digest": "sha256:" + "3" * 64, "size": 10}}))
    return store / "blobs" / f"sha256-{sha}"


def lmstudio_model(root: Path, publisher: str, repo: str, name: str, src: Path) -> Path:
    d = root / publisher / repo
    d.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, d / name)
    return d / name


def build_stores(root: Path) -> dict:
    """An HF cache, an Ollama store and an LM Studio folder with good, unsupported, split, missing,
    adapter and several-files cases; returns their roots, the source files and one Ollama blob."""
    files = write_files(root / "gguf")
    hub, olla, lms = root / "hub", root / "ollama", root / "lmstudio"
    hf_repo(hub, "org/Tiny-GGUF", {"tiny.Q8_0.gguf": files.good})
    hf_repo(hub, "org/Multi-GGUF", {"good.Q8_0.gguf": files.good, "sub/odd.gguf": files.odd})
    hf_repo(hub, "org/Broken-GGUF", {"gone.gguf": None})
    hf_repo(hub, "org/Split-GGUF", {"m-00001-of-00002.gguf": files.split})
    gpt = {f.name: f for f in TINY_GPT.iterdir() if f.is_file()}
    hf_repo(hub, "org/tiny-gpt", gpt)  # a model folder in the cache, as before
    hf_repo(hub, "org/half-gpt", {**gpt, "model.safetensors": None})  # its weights never arrived
    blob = ollama_model(olla, "tiny", "q8", files.good)
    ollama_model(olla, "tiny", "Q8", files.good)
    ollama_model(olla, "tiny", "q8", files.good, namespace="someone")
    ollama_model(olla, "other", "latest", files.other)
    ollama_model(olla, "Tiny-GGUF", "Q8_0", files.good, host="hf.co", namespace="org")  # `ollama pull hf.co/…`
    ollama_model(olla, "lora", "latest", files.good, adapter=True)
    ollama_model(olla, UNSUPPORTED, "latest", files.odd)
    ollama_model(olla, "gone", "latest", None)
    lmstudio_model(lms, "pub", "Tiny-GGUF", "tiny-Q8_0.gguf", files.good)
    lmstudio_model(lms, "pub", "Odd-GGUF", "odd.gguf", files.odd)
    lmstudio_model(lms, "pub", "Two-GGUF", "a.gguf", files.good)
    lmstudio_model(lms, "pub", "Two-GGUF", "b.gguf", files.other)
    return {"files": files, "hub": hub, "ollama": olla, "lmstudio": lms, "blob": blob}


def point_at(stores: dict, monkeypatch) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(stores["hub"]))
    monkeypatch.setenv("OLLAMA_MODELS", str(stores["ollama"]))
    monkeypatch.setenv("TPLAY_LMSTUDIO_MODELS", str(stores["lmstudio"]))
