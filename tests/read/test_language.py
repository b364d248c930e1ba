"""Language detection: other languages are told apart, English and short or mixed texts are read."""

from __future__ import annotations

import pytest

from bot.read.language import UNKNOWN, LanguageDetector, decide_language, language_name


@pytest.fixture(scope="module")
def detector():
    return LanguageDetector()


@pytest.mark.parametrize("text, lang", [
    ("Petro condena el ataque de Estados Unidos contra una lancha en el Caribe.", "es"),
    ("Nicolás Maduro, Delcy Rodríguez y Diosdado Cabello: la cúpula chavista responde", "es"),
    ("Le Brésil condamne les frappes américaines dans les Caraïbes.", "fr"),
    ("Lula e Petro criticam ataques dos EUA no Caribe", "pt"),
    ("Die Bundesregierung kritisiert die amerikanischen Angriffe in der Karibik scharf.", "de"),
    ("Venezuela's Maduro denounces US 'aggression'. Caracas said the strike off La Guaira killed three fishermen.", "en"),
    ("Sahel: Mali's junta hails Russian forces. Bamako said Africa Corps troops arrived.", "en"),
    ("US strike kills 3 off Venezuela.", "en"),
    ("Kamla Persad-Bissessar backs Trump", UNKNOWN),
    ("", UNKNOWN),
    ("2026-11-20 12:00", UNKNOWN),
])
def test_detect(detector, text, lang):
    """Named-heavy English stays English (or unknown, which is read), never Spanish."""
    assert detector.detect(text) == lang


@pytest.mark.parametrize("ranked, letters, lang", [
    ([("en", 0.09), ("pcm", 0.05)], 20, "en"),
    ([("pcm", 0.5), ("en", 0.4)], 80, "en"),
    ([("es", 0.95)], 10, UNKNOWN),
    ([("es", 0.45), ("gl", 0.3), ("ext", 0.1)], 80, "es"),
    ([("es", 0.5), ("en", 0.3)], 80, UNKNOWN),
    ([("fr", 0.4), ("it", 0.3)], 80, UNKNOWN),
    ([], 80, UNKNOWN),
])
def test_decide_language(ranked, letters, lang):
    assert decide_language(ranked, letters) == lang


def test_language_names():
    assert (language_name("es"), language_name("fr"), language_name("xx")) == ("Spanish", "French", "xx")
