"""The models, loaded once per process as the settings ask: the embedder and the stance reader."""

from __future__ import annotations

import logging

from bot.config import Settings
from bot.read.embed import Embedder, load_embedder
from bot.read.gazetteer import Gazetteer
from bot.read.learned import MODEL_FILE, shipped_clause_model
from bot.read.nlp import load_nlp
from bot.read.reader import StanceReader

log = logging.getLogger(__name__)


def embedder_for(settings: Settings) -> Embedder:
    """The embedder `settings` ask for (backend, model folder, threads, export cache); raises ConfigError."""
    return load_embedder(settings.model_path, settings.embedder, threads=settings.threads, cache_dir=settings.cache_dir)


def reader_for(settings: Settings, gaz: Gazetteer, embedder: Embedder | None) -> StanceReader:
    """A stance reader on the settings' spaCy pipeline; `embedder` judges the clauses the parse leaves open."""
    reader = StanceReader(nlp=load_nlp(settings.spacy_model), gaz=gaz, embedder=embedder)
    model = shipped_clause_model()
    if embedder is not None and reader.clause_model is None:
        # stances still read, with the prototypes in place of the learned judge: say so once, at start-up
        log.warning("the learned clause judge is off: %s", f"{MODEL_FILE} is missing" if model is None else
                    f"it was learned on {model.embedder} vectors and STANCEBOT_MODEL_PATH gives {embedder.name}")
    return reader
