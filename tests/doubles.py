"""Test doubles: stand-ins for the models where a test is about plumbing, not reading."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np


class HashingEmbedder:
    """Deterministic bag-of-words vectors: no model, for unit tests of plumbing only."""

    name = "hashing-256"

    def __init__(self, dim: int = 256):
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


class FixedEmbedder:
    """Vectors chosen by the test for texts containing each key (any other text gets `default`), so that scores and
    similarities are exactly what the test needs."""

    name = "fixed"

    def __init__(self, vectors: dict[str, tuple[float, ...]], default: tuple[float, ...] = (1, 0, 0)):
        self.vectors, self.default = vectors, default

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = [np.array(next((v for k, v in self.vectors.items() if k in t), self.default), dtype=np.float32) for t in texts]
        return np.stack([r / np.linalg.norm(r) for r in rows]) if rows else np.zeros((0, len(self.default)), np.float32)
