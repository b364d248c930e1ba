"""Country stances toward a topic's target (real spaCy parse and real embedding model)."""

from __future__ import annotations

import pytest
from conftest import DATA

from bot.read.nlp import load_nlp
from bot.read.reader import StanceReader
from quality.labelled import load_jsonl
from quality.stances import score_cases

pytestmark = pytest.mark.model

# macro-F1 over supportive/opposed reached when these floors were set (bench/stance_eval.py), less a margin.
TUNE_FLOOR = 0.93  # reached: 0.948 (onnx-int8, the default), 0.951 (torch); 0.949 with the learned clause judge; 0.947
HELDOUT_FLOOR = 0.86  # reached: 0.869 (onnx-int8, session 4); 0.835 before; 0.878 with the learned clause judge; 0.885

CARIBBEAN = ("the US naval deployment and strikes in the Caribbean", (
    "US naval activity in the Caribbean", "US warships and strikes on drug boats near Venezuela",
    "US destroyer moves closer to the Venezuelan coast"))
SAHEL = ("the deployment of Russian military forces in the Sahel", (
    "Russian military contractors in the Sahel", "Russian instructors arrive in Niamey"))


@pytest.fixture(scope="module")
def reader(real_embedder, gaz):
    return StanceReader(nlp=load_nlp(), gaz=gaz, embedder=real_embedder)


def stances(reader, text, topic=CARIBBEAN):
    return {s.country: s.label for s in reader.find(text, reader.topic(*topic))}


@pytest.mark.parametrize("text, expected", [
    # several countries, coordination and contrast
    ("Peru and Ecuador warned of destabilisation, while Guyana cheered the move, and Cuba condemned it as interference.",
     {"PER": "opposed", "ECU": "opposed", "GUY": "supportive", "CUB": "opposed"}),
    ("Barbados welcomed the US deployment; Bolivia, by contrast, rejected it.", {"BRB": "supportive", "BOL": "opposed"}),
    # stand-ins: leaders, capitals, institutions, demonyms, possessives
    ("Lula said the US strikes in the Caribbean were illegal.", {"BRA": "opposed"}),
    ("Brasília and Bogotá denounced the US naval buildup.", {"BRA": "opposed", "COL": "opposed"}),
    ("Itamaraty criticised the strikes on boats near Venezuela.", {"BRA": "opposed"}),
    ("Jamaican officials praised the US naval deployment.", {"JAM": "supportive"}),
    ("Mexico's foreign ministry rejected the US strikes off Venezuela.", {"MEX": "opposed"}),
    # reported speech with the speaker after the quote
    ('"These strikes violate international law," said Chile\'s foreign minister.', {"CHL": "opposed"}),
    # negation and refusals
    ("Uruguay does not back the US naval deployment.", {"URY": "opposed"}),
    ("Canada declined to endorse the US strikes.", {"CAN": "neutral"}),
    ("Canada declined to endorse the US strikes, calling them reckless.", {"CAN": "opposed"}),
    ("Paraguay refused to sign a letter condemning the US naval deployment.", {"PRY": "supportive"}),
    ("Costa Rica would not take sides on the US strikes.", {"CRI": "neutral"}),
    ("Panama neither praised nor criticised the US naval deployment.", {"PAN": "neutral"}),
    ("Chile withdrew its objections and now supports the US naval deployment.", {"CHL": "supportive"}),
    ("Honduras at first applauded the US strikes but now calls for a halt to them.", {"HND": "opposed"}),
    # action as stance
    ("Venezuela expelled the US envoy over the strikes.", {"VEN": "opposed"}),
    ("Grenada granted basing rights to the US warships.", {"GRD": "supportive"}),
    # calls for calm
    ("Argentina called for calm and dialogue after the US strikes.", {"ARG": "neutral"}),
    # the actor of the watched action itself
    ("The Pentagon said more warships would deploy to the Caribbean.", {"USA": "supportive"}),
    # real reporting: a passive backer takes the stance of the one it backs
    ("Venezuela accused Washington of preparing an attack with its strikes and was backed by Russia and China.",
     {"VEN": "opposed", "RUS": "opposed", "CHN": "opposed"}),
    # ... semicolons join separate reports, each with its own speaker
    ("The Pentagon said the warships had arrived to help dismantle cartels; Venezuela's defence minister called the "
     "deployment a threat.", {"USA": "supportive", "VEN": "opposed"}),
    # ... rejecting a harsh name for the action is not rejecting its critics
    ('Bogotá\'s foreign ministry said it rejected the "aggression" of the US strikes.', {"COL": "opposed"}),
    # ... another country's act reported in the clause is not the speaker's view
    ("France and Germany said Russia was providing support for the US deployment and urged a halt to it.",
     {"FRA": "opposed", "DEU": "opposed"}),
    # ... "citing the UK's similar step": it did what was just reported
    ("Colombia suspended intelligence sharing over the US strikes, citing the UK's similar step.",
     {"COL": "opposed", "GBR": "opposed"}),
    # ... a long list of signatories, every one of them
    ("A statement signed by France, Germany, Italy, Spain, Portugal, Belgium, the Netherlands, Denmark, Norway, Sweden, "
     "Finland, Poland, Estonia, Latvia and Lithuania condemned the US strikes.",
     dict.fromkeys(("FRA", "DEU", "ITA", "ESP", "PRT", "BEL", "NLD", "DNK", "NOR", "SWE", "FIN", "POL", "EST", "LVA", "LTU"), "opposed")),
])
def test_must_handle(reader, text, expected):
    """Each rule a careful analyst applies, on a sentence of its own."""
    assert stances(reader, text) == expected


@pytest.mark.parametrize("text, silent", [
    ("The boat was intercepted off Venezuela, the US Navy said.", "VEN"),           # location only
    ("Guyana urged Caracas to stop threatening its neighbours over the US strikes.", "VEN"),  # addressee
    ("Brazil condemned Venezuela's response to the US strikes.", "VEN"),            # owner of what others react to
    ("A Colombian opposition senator praised the US strikes.", "COL"),             # opposition voice
    ("Analysts in Mexico City said the US deployment was reckless.", "MEX"),        # analysts
    ("Caricom said the US naval deployment was dangerous.", None),                 # organisation, not a country
    ("Trinidad will keep backing the US deployment even if Venezuela condemns it.", "VEN"),  # supposed
    ("Trinidad will back the US deployment should Venezuela ever condemn it.", "VEN"),  # supposed, inverted
    ("Guyana demanded that Brazil condemn the US strikes in the Caribbean.", "BRA"),  # asked to act, not acting
])
def test_no_stance(reader, text, silent):
    """Locations, addressees, owners, opposition voices, analysts and organisations take no stance."""
    found = stances(reader, text)
    assert (silent not in found) if silent else found == {}


def test_sahel_topic_other_region(reader):
    """The same rules read a topic from another region."""
    text = "Goïta welcomed the Russian instructors, while France's foreign minister said their presence made Mali less safe."
    assert stances(reader, text, SAHEL) == {"MLI": "supportive", "FRA": "opposed"}


def test_irrelevant_clause_gives_no_stance(reader):
    """A clause about something else in a longer item gives no stance on the target."""
    text = ("US warships struck another boat off Venezuela on Monday. Separately, Norway and Chile signed a salmon "
            "trade agreement. Officials gave no details. The Pentagon said the campaign would go on.")
    assert "NOR" not in stances(reader, text) and "CHL" not in stances(reader, text)


def test_scores_and_evidence(reader):
    """Scores lie in [-1, 1] with the label's sign, and evidence is the sentence."""
    (s,) = reader.find("Cuba condemned the US strikes near Venezuela.", reader.topic(*CARIBBEAN))
    assert -1 <= s.score < 0 and s.evidence == "Cuba condemned the US strikes near Venezuela."


@pytest.mark.parametrize("slice_, floor", [("tune", TUNE_FLOOR), ("heldout", HELDOUT_FLOOR)])
def test_labelled_set_macro_f1(reader, gaz, slice_, floor):
    """Macro-F1 (supportive, opposed) on each slice of the labelled set stays above its floor."""
    from quality.stances import topics_from

    topics = topics_from(DATA / "stance_eval" / "topics.yaml", gaz, reader.nlp)
    result = score_cases(load_jsonl(DATA / "stance_eval" / f"{slice_}.jsonl"),
                         lambda c: {s.country: s.label for s in reader.find(c["text"], topics[c["topic"]])})
    assert result.macro_f1 >= floor and result.none_rate <= 0.06, result.errors[:10]


def test_labelled_set_size():
    """At least 300 (text, topic, country, label) cases across at least 8 topics."""
    cases = load_jsonl(DATA / "stance_eval" / "tune.jsonl") + load_jsonl(DATA / "stance_eval" / "heldout.jsonl")
    labels = sum(len(c["stances"]) + len(c.get("none") or []) for c in cases)
    assert labels >= 300 and len({c["topic"] for c in cases}) >= 8


class CountingEmbedder:
    """Wraps an embedder and keeps the texts of each encode call."""

    def __init__(self, inner):
        self.inner, self.name, self.batches = inner, inner.name, []

    def encode(self, texts):
        self.batches.append(list(texts))
        return self.inner.encode(texts)


# Clauses with no cue word, which only the embedding fallback can read (or abstain on).
UNCUED = [
    "Peru's foreign minister spoke at length about the US naval deployment in the Caribbean on Tuesday.",
    "Ecuador's president reflected on the US strikes in the Caribbean during a visit to Quito.",
    "Panama's government described the US warships in the Caribbean as a matter for the region.",
    "Barbados welcomed the US deployment; Bolivia, by contrast, rejected it.",
]


def test_prime_embeds_the_fallback_clauses_in_one_call(real_embedder, gaz):
    """After prime(), find() needs no encode call of its own, and finds exactly what an unprimed run finds."""
    plain = StanceReader(nlp=load_nlp(), gaz=gaz, embedder=CountingEmbedder(real_embedder))
    topic = plain.topic(*CARIBBEAN)
    expected = [plain.find(text, topic) for text in UNCUED]
    clauses = [batch[0] for batch in plain.embedder.batches[1:]]  # the first call embeds the topic's prototypes
    assert len(clauses) >= 2, "the fallback was hardly reached: the texts no longer test it"

    counting = CountingEmbedder(real_embedder)
    primed = StanceReader(nlp=load_nlp(), gaz=gaz, embedder=counting)
    topic = primed.topic(*CARIBBEAN)
    primed.prime([(text, topic) for text in UNCUED])
    assert len(counting.batches) == 1 and sorted(counting.batches[0]) == sorted(set(clauses))
    assert [primed.find(text, topic) for text in UNCUED] == expected
    assert len(counting.batches) == 2  # and the topic's prototypes, once


class CountingNlp:
    """Wraps the spaCy pipeline and keeps every text it was asked to parse."""

    def __init__(self, nlp):
        self.nlp, self.texts = nlp, []

    def __call__(self, text):
        self.texts.append(text)
        return self.nlp(text)

    def pipe(self, texts, **kwargs):
        texts = list(texts)
        self.texts += texts
        return self.nlp.pipe(texts, **kwargs)


def test_text_naming_no_country_is_not_parsed(gaz):
    """Without a country, capital, leader or institution there is no stance, and no parse to pay for."""
    nlp = CountingNlp(load_nlp())
    reader = StanceReader(nlp=nlp, gaz=gaz)
    topic = reader.topic(*CARIBBEAN)
    nlp.texts.clear()  # (the topic's own texts were parsed to build it)
    silent = "Fishermen said the warships had scared away the tuna this season."
    speaking = "Cuba condemned the US strikes near Venezuela."
    reader.prime([(silent, topic), (speaking, topic)])
    assert reader.find(silent, topic) == [] and [s.country for s in reader.find(speaking, topic)] == ["CUB"]
    assert reader.find("Analysts expect more patrols.", topic) == []
    assert nlp.texts == [speaking]
