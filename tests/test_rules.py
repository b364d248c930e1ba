"""Rules folder loading and its error messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA, ROOT, write_rules

from bot.errors import ConfigError
from bot.rules import load_rules

GOOD = """\
topics:
  - id: caribbean
    name: US naval activity in the Caribbean
    description: US warships near Venezuela.
    examples: [US destroyer off Venezuela]
    stance: {target: the deployment}
"""


def errors_for(tmp_path: Path, watchlist: str, feeds: str | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_rules(write_rules(tmp_path, watchlist, feeds))
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("folder", [ROOT / "rules", DATA / "topic_eval" / "rules", DATA / "timelines" / "rules"])
def test_shipped_rules_validate(folder, gaz):
    """Every shipped rules folder loads without a problem."""
    rules = load_rules(folder, gaz.codes)
    assert rules.topics


def test_stance_eval_topics_validate(gaz):
    """The stance labelled set's topics file uses the watchlist schema."""
    from bot.rules import load_watchlist

    path = DATA / "stance_eval" / "topics.yaml"
    assert len(load_watchlist(path, str(path), gaz.codes).topics) >= 8


def test_shipped_demo_watchlists_validate(gaz):
    """The demo's packaged watchlists load without a problem."""
    from bot.demo import demo_rules

    assert demo_rules("http://127.0.0.1:1", ["a.xml"]).topics


def test_minimal_topic_loads(tmp_path):
    """A topic with only the required keys loads with defaults."""
    topic = load_rules(write_rules(tmp_path, GOOD)).topics[0]
    assert (topic.id, topic.watchlist, topic.threshold, topic.context, topic.exclude) == ("caribbean", "desk", None, None, ())


def test_counter_examples_load(tmp_path):
    """`exclude:` lists the stories from the same places that are not the topic."""
    topic = load_rules(write_rules(tmp_path, GOOD + "    exclude: [Hurricane hits the islands, Oil output rises]\n")).topics[0]
    assert topic.exclude == ("Hurricane hits the islands", "Oil output rises")


@pytest.mark.parametrize("watchlist, expected", [
    (GOOD.replace("examples:", "exampels:"),
     'watchlists/desk.yaml:5: topics[0].exampels: unknown key (did you mean "examples"?)'),
    (GOOD.replace("    stance: {target: the deployment}\n", ""),
     "watchlists/desk.yaml:2: topics[0]: missing required key 'stance'"),
    (GOOD + "    threshold: 3\n", "watchlists/desk.yaml:7: topics[0].threshold: expected a number between 0 and 1, got 3"),
    (GOOD + "    countries: [VEN, venezuela]\n", "watchlists/desk.yaml:7: topics[0].countries[1]: expected an ISO 3166-1 alpha-3 code"),
    (GOOD + "    keywords: {any: navy}\n    keywords: {all: [x]}\n", "watchlists/desk.yaml:8: topics[0].keywords: duplicate key"),
    (GOOD.replace("id: caribbean", "id: Caribbean Topic"), "topics[0].id: 'Caribbean Topic' must be lowercase"),
    ("topics: [\n", "watchlists/desk.yaml:2: invalid YAML"),
    ("topics: []\n", "watchlists/desk.yaml:1: topics: expected a non-empty list of topics"),
    (GOOD + "    exclude: {oil: output}\n", "watchlists/desk.yaml:7: topics[0].exclude: expected a list of strings, got dict"),
])
def test_bad_watchlist_names_file_line_and_key(tmp_path, watchlist, expected):
    """Each mistake is reported as file:line: key.path: problem."""
    messages = errors_for(tmp_path, watchlist)
    assert any(expected in m for m in messages), messages


@pytest.mark.parametrize("code, meant", [("VNE", "VEN"), ("BRZ", "BRA"), ("TWA", "TWN"), ("VNZ", "VEN")])
def test_unknown_country_code_suggests_the_country_meant(tmp_path, gaz, code, meant):
    """A well-formed but unknown ISO code is refused, suggesting the code whose country's name the letters spell."""
    with pytest.raises(ConfigError) as info:
        load_rules(write_rules(tmp_path, GOOD + f"    countries: [{code}]\n"), gaz.names)
    assert f"unknown country code '{code}' (did you mean \"{meant}\"" in str(info.value)


@pytest.mark.parametrize("key, value", [("window", "99999d"), ("half_life", "1000000000000000000000d"), ("cooldown", "9999d")])
def test_huge_shift_durations_are_refused(tmp_path, key, value):
    """A duration no one means (and that would overflow date arithmetic) is a located error, not a crash later."""
    messages = errors_for(tmp_path, GOOD + f"    shifts: {{{key}: {value}}}\n")
    assert any(f"topics[0].shifts.{key}: must be at most 366 days" in m for m in messages), messages


def test_alert_after_zero_means_at_once(tmp_path):
    """`alert_after: 0` alerts on the first failure instead of silently becoming 24 hours."""
    rules = load_rules(write_rules(tmp_path, GOOD, "feeds:\n  - url: https://x.example/feed\n    alert_after: 0\n"))
    assert rules.feeds[0].alert_after_s == 0


def test_feed_credentials_never_shown(tmp_path):
    """A feed URL's user:password is used for the request but redacted wherever the URL is shown."""
    rules = load_rules(write_rules(tmp_path, GOOD, "feeds:\n  - url: https://reader:s3cret@x.example/feed\n"))
    assert rules.feeds[0].url == "https://reader:s3cret@x.example/feed"
    assert rules.feeds[0].shown_url == rules.feeds[0].name == "https://***@x.example/feed"


def test_yaml_alias_bomb_refused_at_once(tmp_path):
    """A 1 KB watchlist of nested aliases is refused with a located message, not expanded."""
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(9)]
    messages = errors_for(tmp_path, "\n".join(lines) + "\ntopics: *j\n")
    assert messages == [f"{tmp_path / 'watchlists' / 'desk.yaml'}:2: invalid YAML: aliases (*name) and merge keys "
                        "(<<: *name) are not supported in rules files; write the values out"]


def test_yaml_merge_key_refused_plainly(tmp_path):
    """A merge key gets a message that says what to do, not a constructor error."""
    messages = errors_for(tmp_path, GOOD.replace("  - id: caribbean\n", "  - <<: {threshold: 0.5}\n    id: caribbean\n"))
    assert any("topics[0].<<: aliases (*name) and merge keys" in m for m in messages), messages


def test_duplicate_topic_ids_across_files(tmp_path):
    """The same topic id in two watchlists is an error naming both places."""
    write_rules(tmp_path, GOOD)
    (tmp_path / "watchlists" / "other.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ConfigError, match="duplicate topic id 'caribbean'"):
        load_rules(tmp_path)


@pytest.mark.parametrize("feeds, expected", [
    ("feeds:\n  - url: ftp://x.example/feed\n", "feeds.yaml:2: feeds[0].url: expected an http(s) URL"),
    ("feeds:\n  - url: https://x.example/feed\n    interval: 5s\n", "feeds[0].interval: polling more often than every 60s"),
    ("feeds:\n  - url: https://x.example/feed\n    intervall: 5m\n", 'feeds[0].intervall: unknown key (did you mean "interval"?)'),
    ("feeds:\n  - url: https://a.example/f\n    name: A\n  - url: https://b.example/f\n    name: A\n", "duplicate feed name 'A'"),
    ("feeds:\n  - name: no url\n", "feeds[0]: missing required key 'url'"),
    ("feeds:\n  - url: https://x.example:99999/feed\n", "feeds.yaml:2: feeds[0].url: expected an http(s) URL"),
    ("feeds:\n  - url: http://[::1/feed\n", "feeds[0].url: expected an http(s) URL, got 'http://[::1/feed': malformed URL"),
    ("feeds:\n  - url: https://x.example/feed\n    headers: {Cookie: \"s\u00e9ance=1\"}\n",
     "feeds[0].headers.Cookie: header names and values must be printable ASCII"),
    ("feeds:\n  - url: https://x.example/feed\n    headers: {X-Evil: \"a\\r\\nHost: b\"}\n", "feeds[0].headers.X-Evil"),
    ("feeds:\n  - url: https://x.example/feed\n    interval: 99999999d\n", "feeds[0].interval: must be at most 30 days"),
    ("defaults: {interval: 1e9}\nfeeds:\n  - url: https://x.example/feed\n", "defaults.interval: expected a duration"),
    ("feeds:\n  - url: https://x.example/feed\n    fulltext: always\n",
     "feeds.yaml:3: feeds[0].fulltext: expected false, true or 'auto' (read the article only when the entry carries less "
     "than a few sentences), got 'always'"),
    ("feeds:\n  - url: https://x.example/feed\n    fulltext: [auto]\n", "feeds.yaml:3: feeds[0].fulltext: expected false, true"),
    ("feeds:\n  - url: https://x.example/feed\n    full_text: auto\n", 'feeds[0].full_text: unknown key (did you mean "fulltext"?)'),
    ("defaults: {fulltext: 1}\nfeeds:\n  - url: https://x.example/feed\n", "feeds.yaml:1: defaults.fulltext: expected false, true"),
])
def test_bad_feeds_file(tmp_path, feeds, expected):
    """Feed mistakes are located too."""
    messages = errors_for(tmp_path, GOOD, feeds)
    assert any(expected in m for m in messages), messages


def test_feed_interval_units(tmp_path):
    """Intervals accept seconds or units, with a folder-wide default."""
    feeds = "defaults: {interval: 2h}\nfeeds:\n  - url: https://a.example/f\n  - url: https://b.example/f\n    interval: 90\n"
    rules = load_rules(write_rules(tmp_path, GOOD, feeds))
    assert [f.interval_s for f in rules.feeds] == [7200, 90]
    assert rules.feeds[0].name == "https://a.example/f"


def test_feed_fulltext_modes(tmp_path):
    """fulltext is off unless asked for; true, false and auto per feed, with a folder-wide default."""
    feeds = ("defaults: {fulltext: auto}\nfeeds:\n  - url: https://a.example/f\n  - url: https://b.example/f\n    fulltext: true\n"
             "  - url: https://c.example/f\n    fulltext: false\n")
    assert [f.fulltext for f in load_rules(write_rules(tmp_path / "a", GOOD, feeds)).feeds] == ["auto", "on", "off"]
    plain = load_rules(write_rules(tmp_path / "b", GOOD, "feeds:\n  - url: https://a.example/f\n")).feeds
    assert [f.fulltext for f in plain] == ["off"]


def test_all_problems_reported_at_once(tmp_path):
    """Several mistakes in one file are all listed, not just the first."""
    bad = GOOD.replace("examples:", "exampels:") + "    threshold: -1\n"
    assert len(errors_for(tmp_path, bad)) >= 3
