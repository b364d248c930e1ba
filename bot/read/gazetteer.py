"""Countries, regions, leaders and institutions, and finding them in text (pure after loading)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from bot.errors import ConfigError
from bot.yamlsource import load_yaml

# A region whose first name contains one of these is water, and always specific:
# a strait named elsewhere sets a story elsewhere, however many states touch it.
_WATER = re.compile(r"\b(sea|strait|gulf|ocean|channel|bay|shoal|bab)\b", re.I)
SPECIFIC_REGION_MAX_MEMBERS = 12


@dataclass(frozen=True)
class Mention:
    """A gazetteer name found in text."""

    start: int
    end: int
    text: str
    kind: str  # country, capital, demonym, person, institution, locality, group, region, place, organization
    ref: str  # ISO3 for country-like kinds, region id for region/place, name for organizations
    role: str = ""
    ambiguous: bool = False


@dataclass(frozen=True)
class Region:
    id: str
    names: tuple[str, ...]
    members: frozenset[str]
    places: tuple[str, ...]

    @property
    def water(self) -> bool:
        return bool(self.names) and bool(_WATER.search(self.names[0]))

    @property
    def specific(self) -> bool:
        return self.water or len(self.members) <= SPECIFIC_REGION_MAX_MEMBERS


@dataclass
class Gazetteer:
    """Every name we can resolve, and a matcher over all of them."""

    countries: dict[str, dict] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    entries: dict[str, tuple[str, str, str, bool]] = field(default_factory=dict)  # alias -> kind, ref, role, ambiguous
    place_regions: dict[str, set[str]] = field(default_factory=dict)  # region/place alias -> every region naming it
    # (ISO3, surname) -> role: a surname too common to match alone is a person once its country owns it ("Taiwan's Lai")
    surnames: dict[tuple[str, str], str] = field(default_factory=dict)
    _pattern: re.Pattern | None = None

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.countries)

    @property
    def names(self) -> dict[str, str]:
        """ISO3 code -> country name, for messages and for suggesting the code a user meant."""
        return {code: c.get("name", code) for code, c in self.countries.items()}

    def country_name(self, iso3: str) -> str:
        return self.countries.get(iso3, {}).get("name", iso3)

    def add(self, alias: str, kind: str, ref: str, role: str = "", ambiguous: bool = False) -> None:
        alias = alias.strip()
        if not alias or len(alias) < 2:
            return
        previous = self.entries.get(alias)
        # First registration wins, except that a specific kind beats a looser one.
        if previous is None or _RANK[kind] < _RANK[previous[0]]:
            self.entries[alias] = (kind, ref, role, ambiguous)
            self._pattern = None
        for variant in {_strip_accents(alias)} - {alias}:
            self.entries.setdefault(variant, (kind, ref, role, ambiguous))

    @property
    def pattern(self) -> re.Pattern:
        if self._pattern is None:
            self._pattern = re.compile(rf"(?<![\w\-])(?:{trie_pattern(self.entries)})(?![\w\-])")
        return self._pattern

    def find(self, text: str) -> list[Mention]:
        """Every non-overlapping gazetteer name in `text`, longest first at each position."""
        out = []
        text = text.replace("\u2019", "'")  # same length: offsets stay valid
        for m in self.pattern.finditer(folded(text)):  # (also same length: "Việt Nam" is found as Viet Nam)
            kind, ref, role, ambiguous = self.entries[m.group(0)]
            if ambiguous and kind in ("country", "capital", "demonym") and _part_of_a_name(text, m.start(), m.end()):
                continue  # "Michael Jordan", "Chad Smith", "Victoria Beckham": a person, not a country
            if kind == "institution" and out and _owned_by_previous(text, out[-1], m.start()):
                continue  # "Pakistan's Foreign Office", "the Philippine National Security Council": that country's own office
            out.append(Mention(m.start(), m.end(), text[m.start():m.end()], kind, PREFERRED.get(m.group(0), ref), role, ambiguous))
        if "-" in text:
            out = self._hyphen_joined(text, out)
        return self._possessed_surnames(text, out) if self.surnames else out

    def _hyphen_joined(self, text: str, found: list[Mention]) -> list[Mention]:
        """`found` with the names a hyphen joins to another capitalised word ("the Guyana-Venezuela border", "US-China
        talks", "Maduro-Ali talks"), which whole-word matching leaves out; "anti-China" stays out, and a hyphenated
        name ("Guinea-Bissau") is found whole first."""
        taken = [(m.start, m.end) for m in found]
        extra = []
        for m in self.pattern.finditer(folded(text.replace("-", " "))):
            start, end = m.start(), m.end()
            if any(a < end and start < b for a, b in taken):
                continue
            joined = (start > 1 and text[start - 1] == "-" and text[start - 2].isalnum() and _capitalised_before(text, start - 1)) or (
                end + 1 < len(text) and text[end] == "-" and text[end + 1].isupper())
            kind, ref, role, ambiguous = self.entries[m.group(0)]
            if joined and kind != "organization":
                extra.append(Mention(start, end, text[start:end], kind, PREFERRED.get(m.group(0), ref), role, ambiguous))
        return sorted(found + extra, key=lambda m: m.start) if extra else found

    def _possessed_surnames(self, text: str, found: list[Mention]) -> list[Mention]:
        """`found` with the headline shape "Taiwan's Lai", "China's Xi" read as that country's person: a surname
        that names no one on its own becomes one once a country or capital owns it."""
        out: list[Mention] = []
        for n, m in enumerate(found):
            out.append(m)
            if m.kind not in ("country", "capital"):
                continue
            owned = _POSSESSED.match(text, m.end)
            if owned is None or (n + 1 < len(found) and found[n + 1].start < owned.end()):
                continue
            role = self.surnames.get((m.ref, owned.group(1)))
            if role is not None:
                out.append(Mention(owned.start(1), owned.end(1), owned.group(1), "person", m.ref, role))
        return out

    def regions_of(self, mention: Mention) -> set[str]:
        """Every region a region/place mention names."""
        return self.place_regions.get(mention.text) or self.place_regions.get(folded(mention.text), {mention.ref})


def trie_pattern(names) -> str:
    """One regex for `names` that prefers the longest name at each position, as a trie.

    Same matches as the alternation of the names sorted longest first, but `re` walks one branch
    per character instead of trying ten thousand alternatives at every position (about 10x faster).
    """
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}  # a name ends here

    def render(node: dict) -> str:
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A name may also end here: the longer continuation is tried first (greedy ?), then this one.
        return f"(?:{body})?" if "" in node else body

    return render(trie)


# Names two countries share, resolved to the one English news almost always means.
PREFERRED = {"Dominican": "DOM", "Dominicans": "DOM", "Korean": "KOR", "Koreans": "KOR", "Congolese": "COD"}
_NAME_WORD = re.compile(r"[A-Z][a-z]+")
# Where a person's family name comes first ("Lai Ching-te", "Lee Jae-myung"): "Taiwan's Lai".
FAMILY_NAME_FIRST = frozenset({"CHN", "TWN", "KOR", "PRK", "HKG", "MAC"})
_POSSESSED = re.compile(r"'s? ([A-Z][a-z]+)\b")
_NOT_NAMES = {"The", "In", "On", "At", "For", "From", "With", "And", "But", "By", "To", "As", "After", "Before", "While",
              "North", "South", "East", "West", "New", "Central", "President", "Minister", "Premier"}


# Capitalised words that follow a country's word as the office it names, not as a surname ("The Polish Foreign Ministry").
OFFICE_WORDS = {"Foreign", "Prime", "President", "Presidential", "Defence", "Defense", "Ministry", "Embassy", "Government",
                "Army", "Navy", "Air", "Armed", "Coast", "Interior", "Deputy", "Ambassador", "Parliament", "National",
                "Border", "Security", "Senate", "Supreme", "Foreign-Ministry", "Finance", "Justice", "Cabinet", "Chancellor"}


def _part_of_a_name(text: str, start: int, end: int) -> bool:
    """Whether a risky country word sits inside a person's name (a capitalised word right before or after it)."""
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    prev_word = before.split()[-1] if before.split() else ""
    next_word = after.split()[0] if after.split() else ""
    if prev_word and _NAME_WORD.fullmatch(prev_word) and prev_word not in _NOT_NAMES and not before.endswith((".", ":", ";")):
        return True
    return bool(next_word and _NAME_WORD.fullmatch(next_word.rstrip(".,;:'s")) and next_word.rstrip(".,;:") not in _NOT_NAMES
                and next_word not in OFFICE_WORDS and not next_word.endswith("'s") and text[end:end + 1] == " ")


def _owned_by_previous(text: str, previous: Mention, start: int) -> bool:
    """Whether an institution's name follows another country's name or adjective directly ("Pakistan's Foreign Office")."""
    if previous.kind not in ("country", "demonym", "capital"):
        return False
    between = text[previous.end:start]
    return between in (" ", "'s ", "' ", "s' ") or between.lower() in (" the ", "'s the ")


_RANK = {"country": 0, "capital": 1, "demonym": 2, "institution": 3, "person": 4, "locality": 5, "group": 6,
         "region": 7, "place": 8, "organization": 9}
PLACE_KINDS = ("country", "capital", "demonym", "person", "institution", "locality", "group")


def _capitalised_before(text: str, hyphen: int) -> bool:
    """Whether the word ending just before a hyphen is capitalised ("Guyana-", not "anti-")."""
    start = hyphen
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    return text[start:hyphen][:1].isupper()


def folded(text: str) -> str:
    """`text` with accented letters as their base letter, one character for one ("Hà Nội" -> "Ha Noi")."""
    return text if text.isascii() else "".join(map(_base_letter, text))


@lru_cache(maxsize=4096)
def _base_letter(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0]
    return base if base.isalpha() and len(base.encode()) < len(char.encode()) or base == char else char


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _data(name: str) -> dict | list | None:
    path = resources.files("bot").joinpath("data", name)
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None


def build_gazetteer(countries: list, regions: list, actors: dict, places: dict | None = None, groups: list | None = None) -> Gazetteer:
    """Assemble a Gazetteer from the three data documents."""
    gaz = Gazetteer()
    for c in countries or []:
        iso3 = c["iso3"]
        gaz.countries[iso3] = c
        risky = set(c.get("ambiguous") or [])
        for alias in [c.get("name", ""), c.get("official", ""), *(c.get("aliases") or [])]:
            gaz.add(alias, "country", iso3, ambiguous=alias in risky)
            if alias.startswith("the "):
                gaz.add(alias[4:], "country", iso3, ambiguous=alias in risky)
        for alias in c.get("demonyms") or []:
            gaz.add(alias, "demonym", iso3, ambiguous=alias in risky)
        for alias in c.get("capitals") or []:
            gaz.add(alias, "capital", iso3, ambiguous=alias in risky)
        for alias in c.get("seats") or []:  # a capital that, in the news, speaks for a body it hosts ("Brussels": the EU)
            gaz.add(alias, "locality", iso3, ambiguous=alias in risky)
    regions = sorted(regions or [], key=lambda r: len(r.get("members") or ()))  # most specific region first
    for r in regions:
        region = Region(r["id"], tuple(r.get("names") or ()), frozenset(r.get("members") or ()), tuple(r.get("places") or ()))
        gaz.regions[region.id] = region
        for kind, aliases in (("region", region.names), ("place", region.places)):
            for alias in aliases:
                gaz.add(alias, kind, region.id)
                gaz.place_regions.setdefault(alias, set()).add(region.id)
                gaz.place_regions.setdefault(_strip_accents(alias), set()).add(region.id)
    actors = actors or {}
    for p in actors.get("people") or []:
        role = p.get("role", "")
        aliases = [p["name"], *(p.get("aliases") or [])]
        for alias in aliases:
            gaz.add(alias, "person", p["country"], role)
        words = p["name"].split()
        surname = words[-1]
        if p.get("surname_ok", True):
            gaz.add(surname, "person", p["country"], role, ambiguous=True)
        for family in {surname, *(words[:1] if p["country"] in FAMILY_NAME_FIRST else ())}:
            if family != surname or not p.get("surname_ok", True):  # (a surname_ok one is matched on its own)
                gaz.surnames.setdefault((p["country"], family), role)
    for inst in actors.get("institutions") or []:
        for alias in [inst["name"], *(inst.get("aliases") or [])]:
            gaz.add(alias, "institution", inst["country"])
            if alias.startswith("the "):
                gaz.add(alias[4:], "institution", inst["country"])
    for org in actors.get("organizations") or []:
        gaz.add(org, "organization", org)
    for iso3, names in (places or {}).items():
        for name in names or []:
            gaz.add(str(name), "locality", iso3)
    for group in groups or []:
        for alias in [group["name"], *(group.get("aliases") or [])]:
            gaz.add(alias, "group", group["country"])
    return gaz


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer shipped with the package."""
    return build_gazetteer(_data("countries.yaml"), _data("regions.yaml"), _data("actors.yaml"),
                           _data("places.yaml"), _data("groups.yaml"))


def load_gazetteer(rules_dir: Path | None = None) -> Gazetteer:
    """The shipped gazetteer, extended by `actors.yaml` in the rules folder if present."""
    extra = Path(rules_dir) / "actors.yaml" if rules_dir else None
    if not extra or not extra.exists():
        return default_gazetteer()
    source = load_yaml(extra, str(extra))
    data = source.data or {}
    if not isinstance(data, dict):
        raise ConfigError([source.problem("", "expected a mapping with people, institutions, organizations, countries")])
    base = default_gazetteer()
    countries = list(base.countries.values())
    by_code = {c["iso3"]: c for c in countries}
    for c in data.get("countries") or []:
        by_code[c["iso3"]] = {**by_code.get(c["iso3"], {}), **c}
    shipped = _data("actors.yaml")
    merged = {k: list(shipped.get(k) or []) + list(data.get(k) or []) for k in ("people", "institutions", "organizations")}
    return build_gazetteer(list(by_code.values()), _data("regions.yaml"), merged, _data("places.yaml"), _data("groups.yaml"))
