"""Finding countries, leaders, institutions and places in text."""

from __future__ import annotations

import pytest

from bot.read.gazetteer import default_gazetteer, load_gazetteer


@pytest.mark.parametrize("text, expected", [
    ("Trinidad and Tobago welcomed it", [("Trinidad and Tobago", "TTO")]),
    ("the Dominican Republic and Dominica", [("Dominican Republic", "DOM"), ("Dominica", "DMA")]),
    ("the Dominican foreign minister", [("Dominican", "DOM")]),
    ("Papua New Guinea, Guinea-Bissau and Guinea", [("Papua New Guinea", "PNG"), ("Guinea-Bissau", "GNB"), ("Guinea", "GIN")]),
    ("Niger and Nigeria", [("Niger", "NER"), ("Nigeria", "NGA")]),
    ("Erdoğan and Erdogan met in Ankara", [("Erdoğan", "TUR"), ("Erdogan", "TUR"), ("Ankara", "TUR")]),
    ("Élysée and Quai d'Orsay", [("Élysée", "FRA"), ("Quai d'Orsay", "FRA")]),
    ("Côte d’Ivoire said", [("Côte d'Ivoire", "CIV")]),
    ("Việt Nam and Hà Nội", [("Việt Nam", "VNM"), ("Hà Nội", "VNM")]),  # accents the alias does not have
    # names a hyphen joins to another capitalised word; not "anti-China", and "Guinea-Bissau" whole
    ("the Guyana-Venezuela border and Maduro-Ali talks", [("Guyana", "GUY"), ("Venezuela", "VEN"), ("Maduro", "VEN")]),
    ("anti-China protests in Guinea-Bissau", [("Guinea-Bissau", "GNB")]),
    ("Michael Jordan and Chad Smith", []),
    ("Jordan and Chad objected", [("Jordan", "JOR"), ("Chad", "TCD")]),
    # a surname too common to match alone is a person once its country owns it (family names first in East Asia)
    ("Taiwan's Lai says", [("Taiwan", "TWN"), ("Lai", "TWN")]),
    ("South Korea's Lee urges calm", [("South Korea", "KOR"), ("Lee", "KOR")]),
    ("Guyana's Ali vows", [("Guyana", "GUY"), ("Ali", "GUY")]),
    ("Lai and Lee met", []),
    ("Guyana's Lee", [("Guyana", "GUY")]),
    ("Kamla Persad Bissessar and Cabello", [("Kamla Persad Bissessar", "TTO"), ("Cabello", "VEN")]),
    # a risky demonym before an office is the country's, not part of a name
    ("The Polish Foreign Ministry said", [("Polish", "POL")]),
])
def test_find(text, expected):
    """Multi-word names, accents, curly apostrophes and risky names resolve as a reader would."""
    found = [(m.text, m.ref) for m in default_gazetteer().find(text) if m.kind != "organization"]
    assert found == expected


def test_the_taliban_government_speaks_for_afghanistan():
    """The Taliban's government is Afghanistan's institution; the bare movement stays a group (fighters, not a state)."""
    kinds = {m.text: m.kind for m in default_gazetteer().find("Taliban officials said Taliban fighters had left.")}
    assert kinds == {"Taliban officials": "institution", "Taliban": "group"}


def test_every_un_member_and_observer():
    """All 193 UN members, the two observers, Taiwan and Kosovo are known, with ISO2 and ISO3 codes."""
    gaz = default_gazetteer()
    assert len(gaz.countries) >= 197 and {"VAT", "PSE", "TWN", "XKX"} <= set(gaz.countries)
    assert all(len(c.get("iso2", "")) == 2 for c in gaz.countries.values())


def test_organizations_are_not_countries():
    """The EU, the AU, Caricom and the UN are organisations."""
    kinds = {m.text: m.kind for m in default_gazetteer().find("The EU, the African Union, Caricom and the UN met.")}
    assert set(kinds.values()) == {"organization"}


def test_rules_actors_yaml_extends(tmp_path):
    """An actors.yaml in the rules folder adds people and institutions to the shipped gazetteer."""
    (tmp_path / "actors.yaml").write_text(
        "people:\n  - name: Ana Quintero Velasco\n    aliases: [Quintero]\n    country: PAN\n    role: foreign_minister\n"
        "institutions:\n  - name: Palacio de las Garzas\n    country: PAN\n", encoding="utf-8")
    found = {m.text: m.ref for m in load_gazetteer(tmp_path).find("Quintero said the Palacio de las Garzas agreed; Brazil too")}
    assert found == {"Quintero": "PAN", "Palacio de las Garzas": "PAN", "Brazil": "BRA"}
