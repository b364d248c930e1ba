"""The models, loaded once per process as the settings ask: the embedder and the stance reader."""

from __future__ import annotations

from bot.config import Settings
from bot.read.embed import Embedder, load_embedder
from bot.read.gazetteer import Gazetteer
from bot.read.nlp import load_nlp
from bot.read.reader import StanceReader


def embedder_for(settings: Settings) -> Embedder:
    """The embedder `settings` ask for (backend, model folder, threads, export cache); raises ConfigError."""
    return load_embedder(settings.model_path, settings.embedder, threads=settings.threads, cache_dir=settings.cache_dir)


def reader_for(settings: Settings, gaz: Gazetteer, embedder: Embedder | None) -> StanceReader:
    """A stance reader on the settings' spaCy pipeline; `embedder` judges the clauses the parse leaves open."""
    return StanceReader(nlp=load_nlp(settings.spacy_model), gaz=gaz, embedder=embedder)
