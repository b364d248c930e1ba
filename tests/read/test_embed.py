"""The ONNX embedders: same vectors as sentence-transformers, a cached export that is verified, clear errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import bot.read.onnx as onnx_embed
from bot.errors import ConfigError
from bot.read.embed import SentenceEmbedder
from bot.read.model_files import packaged_model_path
from bot.read.onnx import OnnxEmbedder, export_onnx, export_problem, onnx_path

ROOT = Path(__file__).resolve().parents[2]

TEXTS = [
    "Colombia's foreign ministry condemned the US strikes on boats in the Caribbean.",
    "Erdoğan hailed the deal; Bogotá and Brasília stayed silent.",
    "Guyana welcomes US warships",
    "",
    "Mali's junta expelled the French ambassador and invited Russian instructors to Bamako. " * 40,  # > 256 tokens
    "The central bank kept its main rate at 4.5% for a third month.",
]


@pytest.fixture(scope="module")
def torch_vectors():
    return SentenceEmbedder().encode(TEXTS)


@pytest.fixture(scope="module")
def cache_dir():
    return os.environ["STANCEBOT_CACHE_DIR"]  # set by conftest: one export for the whole suite


@pytest.mark.model
@pytest.mark.parametrize("variant, min_cos", [("onnx", 0.9999), ("onnx-int8", 0.97)])
def test_vectors_agree_with_sentence_transformers(torch_vectors, cache_dir, variant, min_cos):
    """Each ONNX variant gives (nearly) the vectors sentence-transformers gives, long texts truncated alike."""
    vectors = OnnxEmbedder(packaged_model_path(), variant, cache_dir=cache_dir).encode(TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape == torch_vectors.shape
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert (vectors * torch_vectors).sum(axis=1).min() >= min_cos
    # what matching uses: the similarity between texts keeps its order
    pairs = torch_vectors @ torch_vectors.T, vectors @ vectors.T
    assert np.corrcoef(pairs[0].ravel(), pairs[1].ravel())[0, 1] > 0.99


@pytest.mark.model
def test_int8_vector_does_not_depend_on_the_batch(real_embedder):
    """A text gets the same vector alone and among others (a backtest agrees with the live run)."""
    alone = real_embedder.encode([TEXTS[0]])[0]
    batched = real_embedder.encode(TEXTS[::-1])[-1]
    assert real_embedder.name.endswith("onnx-int8") and np.array_equal(alone, batched)


@pytest.mark.model
def test_int8_vectors_do_not_depend_on_the_thread_count(cache_dir):
    """One run at a time or several side by side, each text gets the same vector to the bit."""
    alone = OnnxEmbedder(packaged_model_path(), "onnx-int8", cache_dir=cache_dir, threads=1)
    pooled = OnnxEmbedder(packaged_model_path(), "onnx-int8", cache_dir=cache_dir, threads=3)
    assert (alone.workers, pooled.workers) == (1, 3)
    assert np.array_equal(alone.encode(TEXTS), pooled.encode(TEXTS))


@pytest.mark.model
def test_export_is_reused(cache_dir, monkeypatch):
    """A second embedder loads the cached export: no torch export, no quantization."""
    OnnxEmbedder(packaged_model_path(), "onnx-int8", cache_dir=cache_dir)

    def refuse(*args):
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_embed, "_export_fp32", refuse)
    monkeypatch.setattr(onnx_embed, "_quantize", refuse)
    assert OnnxEmbedder(packaged_model_path(), "onnx-int8", cache_dir=cache_dir).encode(["x"]).shape == (1, 384)


def fake_model(root):
    root.mkdir()
    (root / "config.json").write_text('{"hidden_size": 8}')
    (root / "model.safetensors").write_bytes(b"weights")
    return root


def test_changed_weights_get_a_new_export_file(tmp_path):
    """The export's file name follows the source weights, so a replaced model is exported again."""
    model = fake_model(tmp_path / "m")
    before = onnx_path(model, "onnx-int8", tmp_path)
    (model / "model.safetensors").write_bytes(b"other weights")
    assert onnx_path(model, "onnx-int8", tmp_path) != before
    assert onnx_path(model, "onnx", tmp_path) != onnx_path(model, "onnx-int8", tmp_path)


def test_unwritable_cache_names_the_setting(tmp_path):
    """A cache folder that cannot be made is reported as STANCEBOT_CACHE_DIR."""
    (tmp_path / "a-file").write_text("")
    with pytest.raises(ConfigError, match="STANCEBOT_CACHE_DIR"):
        export_onnx(fake_model(tmp_path / "m"), "onnx-int8", tmp_path / "a-file" / "cache")


def test_failed_export_names_the_setting_and_the_way_out(tmp_path):
    """A model folder that cannot be exported says so, naming STANCEBOT_EMBEDDER=torch as the alternative."""
    with pytest.raises(ConfigError) as info:
        export_onnx(fake_model(tmp_path / "m"), "onnx-int8", tmp_path / "cache")
    assert "STANCEBOT_EMBEDDER" in str(info.value) and "STANCEBOT_EMBEDDER=torch" in str(info.value)
    assert not list((tmp_path / "cache").iterdir())  # nothing half-written is left behind


def test_model_folder_without_tokenizer(tmp_path):
    """The ONNX embedder needs tokenizer.json, and says so."""
    with pytest.raises(ConfigError, match="tokenizer.json"):
        OnnxEmbedder(fake_model(tmp_path / "m"), "onnx", cache_dir=tmp_path / "cache")


def test_export_failing_halfway_leaves_no_partial_file(tmp_path, monkeypatch):
    """An export that dies while writing removes its partial file."""
    def half_written(model_dir, target):
        target.with_suffix(f".tmp{os.getpid()}").write_bytes(b"half an onnx file")
        raise RuntimeError("exporter crashed")

    monkeypatch.setattr(onnx_embed, "_export_fp32", half_written)
    with pytest.raises(ConfigError, match="exporter crashed"):
        export_onnx(fake_model(tmp_path / "m"), "onnx", tmp_path / "cache")
    assert not list((tmp_path / "cache").iterdir())


@pytest.fixture(scope="module")
def exports(cache_dir):
    """The suite's verified exports of the packaged model, both variants."""
    return {variant: export_onnx(packaged_model_path(), variant, cache_dir) for variant in onnx_embed.VARIANTS}


def copy_exports(exports, folder, variants=onnx_embed.VARIANTS):
    """A cache folder holding copies of the suite's exports (and their size records)."""
    folder.mkdir()
    for variant in variants:
        for p in (exports[variant], exports[variant].with_name(exports[variant].name + ".json")):
            shutil.copy(p, folder / p.name)
    return folder


def zero_bytes(path):
    path.write_bytes(b"")


def truncated(path):
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 2)


def garbled(path):
    """Same size as recorded, but not an ONNX model: only loading it tells."""
    path.write_bytes(b"\x00" * path.stat().st_size)


@pytest.mark.model
@pytest.mark.parametrize("variant, damage", [("onnx", zero_bytes), ("onnx-int8", zero_bytes), ("onnx-int8", truncated),
                                             ("onnx-int8", garbled)])
def test_damaged_export_is_made_again(exports, tmp_path, variant, damage):
    """A zero-byte, truncated or unloadable export in the cache is detected and exported again, not trusted."""
    cache = copy_exports(exports, tmp_path / "cache")
    damage(cache / exports[variant].name)
    embedder = OnnxEmbedder(packaged_model_path(), variant, cache_dir=cache)
    assert embedder.path == cache / exports[variant].name and export_problem(embedder.path) == ""
    assert embedder.path.stat().st_size == exports[variant].stat().st_size
    reference = OnnxEmbedder(packaged_model_path(), variant, cache_dir=exports[variant].parent).encode(TEXTS)
    assert np.allclose(embedder.encode(TEXTS), reference, atol=1e-5)


@pytest.mark.model
def test_new_export_prunes_older_exports_of_the_same_model(exports, tmp_path):
    """Making an export deletes the same model's exports under other keys, and nothing else."""
    cache = copy_exports(exports, tmp_path / "cache", variants=["onnx"])  # int8 is missing: it is made
    label = exports["onnx"].name.split("-")[0]
    old = [cache / f"{label}-0123456789ab-onnx.onnx", cache / f"{label}-0123456789ab-onnx.onnx.json",
           cache / f"{label}-0123456789ab-onnx-int8.onnx"]
    kept = [cache / "other_model-0123456789ab-onnx-int8.onnx", cache / "notes.txt"]
    for p in old + kept:
        p.write_bytes(b"old")
    made = export_onnx(packaged_model_path(), "onnx-int8", cache)
    assert made.name == exports["onnx-int8"].name and export_problem(made) == ""
    assert not [p for p in old if p.exists()]
    assert all(p.exists() for p in kept + [cache / exports["onnx"].name])


def test_cache_key_ignores_modification_times(tmp_path):
    """A copy of the model folder with other mtimes (a reinstall, a Docker build stage) keys the same export."""
    original = packaged_model_path()
    copy = shutil.copytree(original, tmp_path / original.parent.name / "model")
    for p in copy.rglob("*"):
        later = p.stat().st_mtime + 86_400
        os.utime(p, (later, later))
    assert onnx_path(copy, "onnx-int8", tmp_path) == onnx_path(original, "onnx-int8", tmp_path)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


@pytest.mark.model
def test_default_embedder_imports_neither_torch_nor_transformers(exports, cache_dir):
    """The bot's default path (settings, onnx-int8, a cached export) embeds without torch or transformers loaded."""
    result = run_python(
        "import json, sys\n"
        "from bot.config import load_settings\n"
        "from bot.models import embedder_for\n"
        "embedder = embedder_for(load_settings())\n"
        "assert embedder.name.endswith('onnx-int8') and embedder.encode(['x']).shape == (1, 384)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {'torch', 'transformers', 'sentence_transformers'})))",
        STANCEBOT_CACHE_DIR=str(cache_dir), STANCEBOT_EMBEDDER="onnx-int8")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []


WITHOUT_TORCH = """
import sys

class NoTorch:
    \"\"\"Import torch as if it were not installed.\"\"\"
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "torch":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoTorch())
"""


def test_export_needed_without_torch_names_the_cache_setting(tmp_path):
    """A damaged export that cannot be made again (no torch) is a ConfigError naming STANCEBOT_CACHE_DIR and the way out."""
    cache = tmp_path / "cache"
    cache.mkdir()
    onnx_path(packaged_model_path(), "onnx-int8", cache).write_bytes(b"")  # zero-byte, as a full disk leaves it
    result = run_python(WITHOUT_TORCH + (
        "from bot.errors import ConfigError\n"
        "from bot.read.embed import load_embedder\n"
        f"try:\n    load_embedder(backend='onnx-int8', cache_dir={str(cache)!r})\n"
        "except ConfigError as exc:\n    print(exc)\n    sys.exit(3)\n"))
    assert result.returncode == 3, result.stderr
    assert "STANCEBOT_CACHE_DIR" in result.stdout and "stancebot[torch]" in result.stdout
    assert "damaged" in result.stdout and "torch" in result.stdout


def test_torch_backend_without_torch_names_the_full_install():
    """STANCEBOT_EMBEDDER=torch where torch is not installed (the runtime image) says what to install."""
    result = run_python(WITHOUT_TORCH + (
        "from bot.errors import ConfigError\n"
        "from bot.read.embed import load_embedder\n"
        "try:\n    load_embedder(backend='torch')\n"
        "except ConfigError as exc:\n    print(exc)\n    sys.exit(3)\n"))
    assert result.returncode == 3, result.stderr
    assert "STANCEBOT_EMBEDDER" in result.stdout and "stancebot[torch]" in result.stdout
