"""Text embedders: the real model through sentence-transformers or onnxruntime, loaded once per process.

The default (onnx-int8) path imports neither torch nor transformers; `torch` needs the full install
(`pip install 'stancebot[torch]'`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from bot.config import DEFAULT_EMBEDDER
from bot.errors import ConfigError, Problem
from bot.read.model_files import FULL_INSTALL, model_label, packaged_model_path, quiet_offline_hub

BATCH_SIZE = 64


class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class SentenceEmbedder:
    """sentence-transformers loaded from a local folder, never from the network."""

    def __init__(self, path: Path | None = None, *, batch_size: int = BATCH_SIZE, threads: int | None = None):
        path = Path(path) if path else packaged_model_path()
        if not (path / "config.json").exists():
            raise ConfigError([Problem(str(path), 0, "STANCEBOT_MODEL_PATH", "not a sentence-transformers model folder (no config.json)")])
        quiet_offline_hub()
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError([Problem("environment", 0, "STANCEBOT_EMBEDDER",
                                       f"torch needs sentence-transformers and torch ({exc}): install them with "
                                       f"{FULL_INSTALL}, or use the default STANCEBOT_EMBEDDER=onnx-int8")]) from exc

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
