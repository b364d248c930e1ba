"""The ONNX embedders: same vectors as sentence-transformers, a cached export, clear errors."""

from __future__ import annotations

import os

import numpy as np
import pytest

import bot.read.onnx as onnx_embed
from bot.errors import ConfigError
from bot.read.embed import SentenceEmbedder
from bot.read.model_files import packaged_model_path
from bot.read.onnx import OnnxEmbedder, export_onnx, onnx_path

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
