"""Topic matching: context derivation, gates and scores (cheap embedder, real gazetteer)."""

from __future__ import annotations

import numpy as np
import pytest

from bot.read.match import Context, build_profiles, context_gate, derive_context, keyword_gate, match_item
from bot.rules import Keywords, Topic


def topic(name: str, description: str, **kw) -> Topic:
    return Topic(id=kw.pop("id", "t"), name=name, description=description, examples=kw.pop("examples", (name,)),
                 target="x", watchlist="w", **kw)


CARIBBEAN = topic("US naval activity in the Caribbean", "US warships and strikes in the Caribbean near Venezuela.")
ARRESTS = topic("Arrests of Venezuelan opposition figures", "Detentions of opposition politicians by the government.")


def test_context_from_locative_places(gaz):
    """Places after 'in'/'near' are the topic's setting; the acting country is not."""
    ctx = derive_context(CARIBBEAN, gaz)
    assert "caribbean" in ctx.regions and "VEN" in ctx.countries and "USA" not in ctx.countries


def test_context_from_demonym_when_no_location(gaz):
    """With no location named, the countries named are the context."""
    assert derive_context(ARRESTS, gaz).countries == {"VEN"}


def test_explicit_context_overrides(gaz):
    """`context:` takes codes, region ids and place names; an empty list means anywhere."""
    t = topic("Anything", "Whatever.", context=("PRK", "south-china-sea", "Taiwan Strait"))
    ctx = derive_context(t, gaz)
    assert ctx.countries == {"PRK"} and {"south-china-sea", "taiwan-strait"} <= ctx.regions
    assert derive_context(topic("x", "in Venezuela", context=()), gaz).empty


@pytest.mark.parametrize("text, passes", [
    ("Venezuela's coast guard tracks US ships", True),
    ("Warships gather in the Caribbean Sea", True),
    ("Port of Spain offers its port to US Navy ships", True),
    ("US destroyers sail through the Taiwan Strait", False),
    ("Trinidad and Tobago leaders meet Taiwan Strait experts", False),
    ("The Pentagon announced new drills in Alaska", False),
])
def test_caribbean_context_gate(gaz, text, passes):
    """Member states count, the region's name counts, a specific place elsewhere does not."""
    ctx = derive_context(CARIBBEAN, gaz)
    assert (context_gate(ctx, gaz.find(text), gaz)[0] is None) is passes


@pytest.mark.parametrize("text, passes", [
    ("Caracas jails two opposition activists", True),
    ("Maduro's police detain campaign staff", True),
    ("Nicaragua detains opposition candidates", False),
])
def test_country_context_gate(gaz, text, passes):
    """A country context needs that country, its capital, demonym or leaders."""
    assert (context_gate(derive_context(ARRESTS, gaz), gaz.find(text), gaz)[0] is None) is passes


def test_empty_context_always_passes(gaz):
    """A topic with no places matches anywhere, with no extra margin."""
    assert context_gate(Context(), gaz.find("Anything in France"), gaz) == (None, 0.0)


@pytest.mark.parametrize("text", ["Opposition mayor arrested after protests", "Colombian officials discuss the arrests"])
def test_no_place_or_neighbour_needs_a_higher_score(gaz, text):
    """An item naming no place, or only a neighbour of the setting, passes with a stricter threshold."""
    reason, margin = context_gate(derive_context(ARRESTS, gaz), gaz.find(text), gaz)
    assert reason is None and margin > 0


@pytest.mark.parametrize("keywords, text, failed", [
    (Keywords(any=("arrest*", "detain*")), "Police detained two men", None),
    (Keywords(any=("arrest*",)), "Police questioned two men", "keywords.any"),
    (Keywords(all=("navy", "strike")), "Navy ships sail", "keywords.all: missing strike"),
    (Keywords(none=("baseball",)), "Baseball season opens", "keywords.none: contains baseball"),
    (Keywords(any=("US",)), "A bus crashed", "keywords.any"),
])
def test_keyword_gates(keywords, text, failed):
    """Gates use whole words, case-insensitively, with * as a suffix wildcard, and say which gate failed."""
    result = keyword_gate(keywords, text)
    assert (result is None) if failed is None else result.startswith(failed)


def test_match_item_reports_score_and_reason(hashing_embedder, gaz):
    """Each topic gets a score, a verdict and the reason for it."""
    t = topic("Venezuela opposition arrests", "arrests of opposition figures in Venezuela", threshold=0.3,
              examples=("Venezuela arrests opposition figures",))
    (profile,) = build_profiles([t], hashing_embedder, gaz)
    text = "Venezuela arrests opposition figures again"
    (m,) = match_item(text, hashing_embedder.encode([text])[0], [profile], gaz)
    assert m.matched and m.score > 0.5 and m.reason.startswith("score")
    text = "Nicaragua arrests opposition figures again"
    (m,) = match_item(text, hashing_embedder.encode([text])[0], [profile], gaz)
    assert not m.matched and m.reason.startswith("context")


def test_profiles_are_normalised(hashing_embedder, gaz):
    (p,) = build_profiles([CARIBBEAN], hashing_embedder, gaz)
    assert np.isclose(np.linalg.norm(p.centroid), 1.0)


def test_a_reaction_told_from_elsewhere_naming_the_owner_is_not_set_elsewhere(hashing_embedder, gaz):
    """Far above the threshold and naming the action's owner, a capital's reaction matches though set elsewhere;
    the same story naming only other countries is still set elsewhere."""
    t = topic("Russia quits the Black Sea grain deal", "Russia's exit from the grain deal in the Black Sea", threshold=0.2,
              examples=("Russia quits the grain deal",), owners=("RUS",))
    (profile,) = build_profiles([t], hashing_embedder, gaz)
    text = "Kenya says Russia quits the grain deal, a stab in the back for the Horn of Africa"
    (m,) = match_item(text, hashing_embedder.encode([text])[0], [profile], gaz)
    assert m.matched and m.score >= 0.2 + 0.2, m
    text = "Kenya says Nairobi quits the grain deal, a stab in the back for the Horn of Africa"
    (m,) = match_item(text, hashing_embedder.encode([text])[0], [profile], gaz)
    assert not m.matched and m.reason.startswith("context"), m


@pytest.mark.parametrize("text, theirs", [
    ("Israeli jets strike Hodeidah port in Yemen", True),
    ("Saudi Arabia and Oman condemn Israeli strikes on Yemen", True),
    ("Iran condemns US strikes on Yemen", False),  # the owner is named: its act
    ("Oman condemns the strikes on Yemen", False),  # no other state's act: a reaction
    ("Trump: strikes on Yemen were needed", False),  # a speaker heading the headline
])
def test_a_headline_giving_the_act_to_another_state_is_not_the_topic(hashing_embedder, gaz, text, theirs):
    """The US strikes on the Houthis: Israel's strikes on Yemen are someone else's act, when the US is not named."""
    t = topic("US strikes on the Houthis in Yemen", "US air strikes on Houthi targets in Yemen", threshold=0.0,
              examples=("US strikes hit Houthi targets in Yemen",), owners=("USA",))
    (profile,) = build_profiles([t], hashing_embedder, gaz)
    (m,) = match_item(text, hashing_embedder.encode([text])[0], [profile], gaz)
    assert (not m.matched and m.reason.startswith("someone else's act")) == theirs, m


@pytest.mark.parametrize("text, theirs", [
    ("Taiwan stages its own drills. The exercise rehearses repelling a Chinese invasion.", True),
    ("Taiwan launches drills on its east coast. They rehearse repelling a Chinese landing.", True),
    ("Taiwan says Chinese drills are a rehearsal for a blockade", False),  # the owner in the headline: its act
    ("Taiwan says the drills rehearse a blockade. Chinese ships circled the island.", False),  # a reaction
])
def test_a_headline_giving_drills_to_their_target_is_not_the_topic(hashing_embedder, gaz, text, theirs):
    """China's drills around Taiwan: Taiwan holding its own drills is another act, though China is named later on as
    the foe they imagine; Taiwan speaking of drills is a reaction to China's."""
    t = topic("China's military drills around Taiwan", "Chinese drills around Taiwan", threshold=0.0, owners=("CHN",),
              examples=("China holds drills around Taiwan",))
    (profile,) = build_profiles([t], hashing_embedder, gaz)
    (m,) = match_item(text, hashing_embedder.encode([text])[0], [profile], gaz)
    assert (not m.matched and m.reason.startswith("someone else's act")) == theirs, m


@pytest.mark.parametrize("text, theirs", [
    ("Gulf capitals condemn Israeli attack on Qatar", True),
    ("Gulf capitals condemn Israeli attack on Iran", False),
])
def test_a_headline_aiming_the_act_at_another_state_is_not_the_topic(hashing_embedder, gaz, text, theirs):
    """Israel's strikes on Iran: an Israeli attack on Qatar is another act, when Iran is not named."""
    t = topic("Israel's strikes on Iran", "Israeli air strikes on Iran", threshold=0.0, owners=("ISR",), rivals=("IRN",),
              examples=("Israeli strikes hit Iran",))
    (profile,) = build_profiles([t], hashing_embedder, gaz)
    (m,) = match_item(text, hashing_embedder.encode([text])[0], [profile], gaz)
    assert (not m.matched and m.reason.startswith("someone else's act")) == theirs, m


CLAIM = Topic(id="claim", name="Venezuela's claim to Guyana's Essequibo region",
              description="The border quarrel over the Essequibo, run by Guyana and claimed by Venezuela: the referendum, "
                          "the new Venezuelan state, incursions and the world court case.",
              examples=("Caracas appoints a governor for its new Essequibo state",
                        "Guyana asks the ICJ to halt a Venezuelan vote in Essequibo",
                        "A Venezuelan patrol boat enters waters Guyana claims"),
              target="Venezuela's claim to the Essequibo region", watchlist="w", threshold=0.51)


@pytest.mark.parametrize("text, matched", [
    ("Venezuela's top court certifies the president's disputed re-election", False),
    ("Venezuela crash out of World Cup qualifying after defeat to Colombia", False),
    ("Venezuela stages military drills near the Essequibo frontier", True),
    ("Venezuela names its new governor for Guayana Esequiba", True),
    ("Maduro vows the disputed region will be Venezuelan", True),
])
def test_naming_only_the_owner_is_not_enough(real_embedder, gaz, text, matched):
    """A story that names the claimant but no place of the claimed land is mostly about the claimant's other news
    (its courts, its football): it must score clearly higher, as one naming no owner must."""
    (profile,) = build_profiles([CLAIM], real_embedder, gaz)
    (m,) = match_item(text, real_embedder.encode([text])[0], [profile], gaz)
    assert m.matched is matched, m
