"""Processing stored items: embeddings reused, near-duplicate copies of one story clustered."""

from __future__ import annotations

from conftest import CARIBBEAN_WATCHLIST, NOW, rss, story, write_rules
from doubles import HashingEmbedder

from bot.ingest.items import parse_feed
from bot.pipeline import embed_items, link_near_duplicates

WIRE = ("Caribbean states split over US naval strikes", "Guyana welcomed the US strikes on drug boats while Cuba and "
        "Venezuela condemned them as aggression, and Brazil called for restraint in the region.")
# The same story with a longer headline in a paper: no shared link or title, nearly the same words.
COPY = (WIRE[0] + " at sea", WIRE[1])


class RenamedEmbedder(HashingEmbedder):
    """The same vectors under another model name, as after a change of STANCEBOT_EMBEDDER."""

    name = "other-model"


def add(store, feed: str, n: int, title: str, summary: str, hours_ago: int):
    doc = rss([story(n, title, summary, hours_ago=hours_ago, host=f"{feed}.example")])
    return store.add_items(parse_feed(doc, feed=feed, now=NOW).items, now=NOW)


def processed(store, embedder, item):
    """`item` embedded and recorded as processed, as an earlier tick leaves it."""
    embed_items(store, embedder, [item])
    store.record_processed([item.id], [], [], now=NOW)
    return item


def test_near_duplicate_from_another_outlet_joins_the_first_story(fresh_store, hashing_embedder):
    """A retitled copy in another outlet lands in the cluster of the outlet that ran it first."""
    first = processed(fresh_store, hashing_embedder, *add(fresh_store, "wire", 1, *WIRE, hours_ago=5))
    (copy,) = add(fresh_store, "paper", 2, *COPY, hours_ago=1)
    assert fresh_store.cluster_of(copy.id) == copy.id  # neither link nor title gave it away
    link_near_duplicates(fresh_store, [copy], embed_items(fresh_store, hashing_embedder, [copy]), hashing_embedder)
    assert fresh_store.cluster_of(copy.id) == first.id


def test_items_embedded_by_another_model_still_cluster(fresh_store, hashing_embedder):
    """After a change of embedder, earlier items are embedded again rather than dropped from the comparison."""
    first = processed(fresh_store, hashing_embedder, *add(fresh_store, "wire", 1, *WIRE, hours_ago=5))
    (copy,) = add(fresh_store, "paper", 2, *COPY, hours_ago=1)
    renamed = RenamedEmbedder()
    link_near_duplicates(fresh_store, [copy], embed_items(fresh_store, renamed, [copy]), renamed)
    assert fresh_store.cluster_of(copy.id) == first.id
    assert set(fresh_store.embeddings([first.id, copy.id], renamed.name)) == {first.id, copy.id}


def test_pending_items_are_left_to_their_own_batch(fresh_store, hashing_embedder):
    """Items not yet processed are not embedded early by the near-duplicate check."""
    (later,) = add(fresh_store, "radio", 3, "Unrelated pending story about a harvest", "Farmers report rain.", hours_ago=0)
    (copy,) = add(fresh_store, "paper", 2, *COPY, hours_ago=1)
    link_near_duplicates(fresh_store, [copy], embed_items(fresh_store, hashing_embedder, [copy]), hashing_embedder)
    assert fresh_store.embeddings([later.id], hashing_embedder.name) == {}


def test_stored_vectors_are_reused(fresh_store, hashing_embedder):
    """An item embedded once is not embedded again."""
    (first,) = add(fresh_store, "wire", 1, *WIRE, hours_ago=5)
    embed_items(fresh_store, hashing_embedder, [first])

    class Refusing(HashingEmbedder):
        def encode(self, texts):
            raise AssertionError(f"re-embedded {texts}")

    assert list(embed_items(fresh_store, Refusing(), [first])) == [first.id]


def test_a_reaction_story_inherits_its_topic_from_an_earlier_tick(fresh_store, gaz, tmp_path):
    """Stories matched in earlier ticks (from the database) lend their topic to a reaction story that never names
    the event; the match records where it came from, and a later story cannot inherit from the inherited one."""
    from datetime import timedelta

    from doubles import FixedEmbedder

    from bot.pipeline import process_pending
    from bot.read.match import build_profiles
    from bot.rules import load_rules

    rules = load_rules(write_rules(tmp_path, CARIBBEAN_WATCHLIST), gaz.codes)
    strike = ("US strike on a drug boat kills three", "The Pentagon said the boat carried drugs.")
    reaction = ("Bogotá recalls its ambassador", "The foreign ministry cited the strike and promised further steps.")
    unrelated = ("Bogotá ambassador hosts a trade fair", "The ministry promised further steps on coffee exports.")
    embedder = FixedEmbedder({reaction[0]: (0.45, 0.89, 0), unrelated[0]: (0.4, 0.5, 0.77)}, default=(1, 0, 0))
    profiles = build_profiles(rules.topics, embedder, gaz)
    ids = []
    for n, (title, summary) in enumerate((strike, reaction, unrelated)):
        (item,) = add(fresh_store, "wire", n, title, summary, hours_ago=0)
        process_pending(fresh_store, embedder, profiles, rules, gaz, now=NOW + timedelta(days=n), default_channel="#c")
        ids.append(item.id)
    by_item = {m.item_id: m for m in fresh_store.matches(matched_only=False)}
    assert by_item[ids[0]].matched and by_item[ids[1]].matched and not by_item[ids[2]].matched
    assert by_item[ids[1]].reason.startswith("inherited from 'US strike on a drug boat")
    assert fresh_store.matched_on_their_own(since=NOW - timedelta(days=30)) == [(ids[0], "us-caribbean-naval")]


def test_items_in_languages_not_read_are_counted_never_embedded(fresh_store, hashing_embedder, gaz, now):
    """A Spanish item is stored and processed without matches or a vector, also when later items are compared with it."""
    from conftest import rss, story

    from bot.ingest.items import parse_feed
    from bot.pipeline import process_pending
    from bot.read.language import LanguageDetector
    from bot.read.match import build_profiles
    from bot.rules import Rules

    spanish = story(1, "Petro condena el ataque de Estados Unidos contra una lancha en el Caribe",
                    "El presidente colombiano dijo que el bombardeo viola el derecho internacional.", hours_ago=3)
    english = story(2, "US strike destroys suspected drug boat off Venezuela", "Caracas called it an act of aggression.", hours_ago=2)
    rules = Rules(fresh_store.path, (), ())
    profiles = build_profiles((), hashing_embedder, gaz)
    fresh_store.add_items(parse_feed(rss([spanish]), feed="Diario", now=now).items, now=now)
    report = process_pending(fresh_store, hashing_embedder, profiles, rules, gaz, now=now, default_channel="#c",
                             detector=LanguageDetector())
    fresh_store.add_items(parse_feed(rss([english]), feed="Wire", now=now).items, now=now)
    later = process_pending(fresh_store, hashing_embedder, profiles, rules, gaz, now=now, default_channel="#c",
                            detector=LanguageDetector())
    assert (report.processed, report.unread, report.embedded, later.unread, later.embedded) == (1, 1, 0, 0, 1)
    assert fresh_store.counts()["embeddings"] == 1 and fresh_store.unread_languages({"en", "und"}) == {"es": {"Diario": 1}}
