"""Which language an item is written in, offline (py3langid; its model ships in its wheel), and whether we read it.

The embedding model and the spaCy pipeline read English. An item confidently in another language is stored and
counted, never matched or read as if it were English; an item too short or too mixed to tell is read.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

READ_LANGUAGES = frozenset({"en"})
UNKNOWN = "und"  # ISO 639-2 "undetermined"
READABLE = READ_LANGUAGES | {UNKNOWN}  # what is matched and read: a text too short or mixed to tell is read
MIN_LETTERS = 24  # shorter texts are not judged
CONFIDENT = 0.6
# Codes the model gives English text now and then (Nigerian Pidgin, Scots); and close relatives whose share counts
# with the language they are mistaken for ("la cúpula chavista" reads as Spanish, Galician or Extremaduran).
ENGLISH = frozenset({"en", "pcm", "sco"})
RELATIVES = {"es": {"gl", "ext", "ast", "an"}, "pt": {"gl"}, "zh": {"wuu", "yue"}, "fr": {"wa", "frp"}, "it": {"scn", "nap", "vec"}}
NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek",
    "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean",
    "lt": "Lithuanian", "lv": "Latvian", "ms": "Malay", "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili",
    "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
    "en": "English", UNKNOWN: "undetermined",
}


def language_name(code: str) -> str:
    return NAMES.get(code, code)


def decide_language(ranked: Sequence[tuple[str, float]], letters: int) -> str:
    """A language code from the model's ranking (probabilities, best first): English when it leads, another language
    only when the text is long enough and that language (with its close relatives) is clearly ahead, else UNKNOWN."""
    if not ranked:
        return UNKNOWN
    top, _ = ranked[0]
    if top in ENGLISH:
        return "en"
    if letters < MIN_LETTERS:
        return UNKNOWN
    share = sum(p for code, p in ranked if code == top or code in RELATIVES.get(top, ()))
    english = sum(p for code, p in ranked if code in ENGLISH)
    return top if share >= CONFIDENT and english < 0.15 else UNKNOWN


class LanguageDetector:
    """py3langid's model, loaded once per process."""

    _identifier = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        with LanguageDetector._lock:
            if LanguageDetector._identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                LanguageDetector._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._ident = LanguageDetector._identifier

    def detect(self, text: str) -> str:
        """The language `text` is written in (an ISO 639-1 code), or UNKNOWN."""
        sample = text[:2000]
        letters = len(re.findall(r"[^\W\d_]", sample))
        if not letters:
            return UNKNOWN
        return decide_language(self._ident.rank(sample)[:8], letters)
