"""Shift detection on labelled timelines: every expected alert, and no other (real model)."""

from __future__ import annotations

import pytest
from conftest import DATA

from bot.read.nlp import load_nlp
from bot.read.reader import StanceReader
from bot.rules import load_rules
from quality.timelines import load_timeline, score_timeline

pytestmark = pytest.mark.model
TIMELINES = sorted((DATA / "timelines").glob("*.yaml"))


@pytest.fixture(scope="module")
def deps(real_embedder, gaz):
    return {"embedder": real_embedder, "reader": StanceReader(nlp=load_nlp(), gaz=gaz, embedder=real_embedder), "gaz": gaz}


def test_timelines_present():
    """The set covers the required situations."""
    names = {p.stem for p in TIMELINES}
    assert {"clean_flip", "outlier", "slow_slide", "syndicated_burst", "location_only"} <= names


@pytest.mark.parametrize("path", TIMELINES, ids=lambda p: p.stem)
def test_timeline_alerts(path, deps, gaz):
    """A timeline produces exactly the alerts it expects: none missed, none false."""
    rules = load_rules(DATA / "timelines" / "rules", gaz.codes)
    result = score_timeline(load_timeline(path), rules, **deps)
    assert result.missed == [] and result.false_alerts == [], (result.missed, result.false_alerts)
