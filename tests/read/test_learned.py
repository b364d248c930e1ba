"""The learned clause judge: clauses the parse leaves open (no cue word) read by a model learned from labelled
real-style reports, used only with the embedder it was learned on."""

from __future__ import annotations

import numpy as np
import pytest

from bot.read.cues import NEUTRAL, OPPOSE
from bot.read.learned import CLASSES, ClauseModel, features, load_clause_model, shipped_clause_model
from bot.read.nlp import load_nlp
from bot.read.reader import StanceReader

ESSEQUIBO = ("Venezuela's claim to the Essequibo region", ("Venezuela's claim to the Essequibo",
                                                           "Caracas presses its claim on Guyana's territory"), ("VEN",), ("GUY",))
DOHA = ("Israel's air strike on Hamas leaders in Doha", ("Israel strikes Hamas leaders in Qatar",
                                                         "Israeli jets hit Hamas offices in Doha"), ("ISR",), ("QAT",))


def stance_topic(reader, topic):
    target, texts, owners, rivals = topic
    return reader.topic(target, texts, owners=owners, rivals=rivals)


@pytest.fixture(scope="module")
def readers(real_embedder, gaz):
    nlp = load_nlp()
    return (StanceReader(nlp=nlp, gaz=gaz, embedder=real_embedder),
            StanceReader(nlp=nlp, gaz=gaz, embedder=real_embedder, learned=False))


@pytest.mark.model
def test_a_model_is_shipped_and_fits_the_packaged_embedder(real_embedder, readers):
    model = shipped_clause_model()
    assert model is not None and model.fits(real_embedder.name)
    assert readers[0].clause_model is model and readers[1].clause_model is None


@pytest.mark.model
def test_a_model_learned_on_other_vectors_is_not_used(real_embedder, gaz):
    """Vectors of another model mean nothing to the weights: the reader keeps its prototypes."""
    shipped = shipped_clause_model()
    other = ClauseModel(shipped.weights, shipped.bias, embedder="all-mpnet-base-v2", threshold=shipped.threshold)
    assert not other.fits(real_embedder.name)
    assert StanceReader(nlp=load_nlp(), gaz=gaz, embedder=real_embedder, clause_model=other).clause_model is None


@pytest.mark.model
@pytest.mark.parametrize(("topic", "text", "expected"), [
    # a third country's objection in words no cue list holds
    (ESSEQUIBO, "Britain's mission to the United Nations said Caracas could not redraw the border on its own and had "
                "to respect the 1899 award.", {"GBR": "opposed"}),
    (DOHA, "Turkey wants the world to answer the attack on Qatar with one voice, Foreign Minister Hakan Fidan said.",
     {"TUR": "opposed"}),
    (DOHA, "Jordan's king told the Qatari emir by phone that the raid on Doha put the whole region at risk.",
     {"JOR": "opposed"}),
])
def test_the_judge_reads_clauses_the_rules_leave_open(readers, topic, text, expected):
    learned, prototypes = readers
    st = stance_topic(learned, topic)
    assert any(left for _, _, left in learned.clauses(text, st)), "the rules read it: the case no longer tests the judge"
    assert {s.country: s.label for s in learned.find(text, st)} == expected
    assert {s.country: s.label for s in prototypes.find(text, st)} != expected  # what the prototypes alone made of it


@pytest.mark.model
def test_watching_closely_is_neutral_before_the_judge_is_asked(readers):
    """"following the incident ... closely" is the rules' neutral, not an open clause the judge might call opposed."""
    text = "Vietnam's foreign ministry said it was following the incident at the Paracel Islands very closely."
    topic = ("China's coast guard actions against Philippine vessels in the South China Sea", (
        "China-Philippines confrontations at sea",), ("CHN",), ("PHL",))
    learned = readers[0]
    st = stance_topic(learned, topic)
    assert not any(left for _, _, left in learned.clauses(text, st))
    assert {s.country: s.label for s in learned.find(text, st)} == {"VNM": "neutral"}


def test_judging_is_a_softmax_over_the_weights_with_an_abstention_threshold(tmp_path):
    dim = 4
    width = features(np.zeros((1, dim)), ["other"], [True]).shape[1]
    weights = np.zeros((len(CLASSES), width), dtype=np.float32)
    weights[CLASSES.index("opposed"), 0] = 5.0   # the first dimension means "opposed"
    weights[CLASSES.index("neutral"), 1] = 5.0   # the second "neutral"
    model = ClauseModel(weights, np.zeros(len(CLASSES), dtype=np.float32), embedder="m", threshold=0.6)
    assert model.judge(np.array([1.0, 0, 0, 0]), "other")[0] == OPPOSE
    assert model.judge(np.array([0, 1.0, 0, 0]), "rival")[0] == NEUTRAL
    assert model.judge(np.array([0.1, 0.1, 0, 0]), "other") is None  # nothing likely enough: abstain
    probabilities = model.probabilities(np.eye(dim), ["owner", "rival", "other", "other"])
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    path = tmp_path / "model.npz"
    model.save(path)
    again = load_clause_model(path)
    assert again.embedder == "m" and again.threshold == pytest.approx(0.6) and np.array_equal(again.weights, weights)
    assert load_clause_model(tmp_path / "absent.npz") is None


def test_the_reader_says_at_start_up_when_the_judge_is_off(gaz, caplog):
    """Another embedding model (here a hashing stand-in) keeps the prototypes, and the log says why, once."""
    import logging

    from doubles import HashingEmbedder

    from bot.config import load_settings
    from bot.models import reader_for

    caplog.set_level(logging.WARNING)
    reader = reader_for(load_settings(), gaz, HashingEmbedder())
    assert reader.clause_model is None
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "learned clause judge is off" in warnings[0] and "hashing-256" in warnings[0]
