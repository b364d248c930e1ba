"""Settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SLACK_DEFAULT_URL, load_settings
from bot.errors import ConfigError


def test_defaults_without_environment():
    """An empty environment gives working defaults and no token."""
    s = load_settings({})
    assert (s.rules_dir, s.db_path, s.slack_token, s.slack_api_url) == (Path("rules"), Path("stancebot.db"), None, SLACK_DEFAULT_URL)


def test_environment_overrides():
    """Each documented variable is read."""
    s = load_settings({"SLACK_BOT_TOKEN": "xoxb-1-abc", "SLACK_API_URL": "http://127.0.0.1:9/api",
                       "STANCEBOT_DB": "/tmp/x.db", "STANCEBOT_RULES": "/r", "STANCEBOT_TICK": "30"})
    assert (s.slack_token, s.slack_api_url, s.db_path, s.rules_dir, s.tick_s) == (
        "xoxb-1-abc", "http://127.0.0.1:9/api/", Path("/tmp/x.db"), Path("/r"), 30)


def test_token_never_in_repr():
    """The token does not show in the settings' repr (so not in tracebacks or logs)."""
    s = load_settings({"SLACK_BOT_TOKEN": "xoxb-secret-value"})
    assert "secret-value" not in repr(s) and "secret-value" not in repr(s.slack_token)


@pytest.mark.parametrize("env, key", [
    ({"SLACK_BOT_TOKEN": "not-a-token"}, "SLACK_BOT_TOKEN"),
    ({"STANCEBOT_TICK": "soon"}, "STANCEBOT_TICK"),
    ({"STANCEBOT_MODEL_PATH": "/nonexistent/model"}, "STANCEBOT_MODEL_PATH"),
    ({"SLACK_API_URL": "slack.example"}, "SLACK_API_URL"),
    ({"STANCEBOT_EMBEDDER": "tensorflow"}, "STANCEBOT_EMBEDDER"),
    ({"STANCEBOT_THREADS": "0"}, "STANCEBOT_THREADS"),
    ({"STANCEBOT_THREADS": "two"}, "STANCEBOT_THREADS"),
])
def test_bad_settings_name_the_variable(env, key):
    """A bad variable is reported by name, without echoing a token."""
    with pytest.raises(ConfigError) as info:
        load_settings(env)
    assert key in str(info.value) and "not-a-token" not in str(info.value)


def test_embedder_settings():
    """The embedding backend, thread count and export cache folder are read; the default is ONNX int8."""
    assert (load_settings({}).embedder, load_settings({}).threads, load_settings({}).cache_dir) == ("onnx-int8", None, None)
    s = load_settings({"STANCEBOT_EMBEDDER": " Torch ", "STANCEBOT_THREADS": "1", "STANCEBOT_CACHE_DIR": "/c"})
    assert (s.embedder, s.threads, s.cache_dir) == ("torch", 1, Path("/c"))


def test_cache_dir_follows_xdg():
    """Without STANCEBOT_CACHE_DIR the ONNX export goes under $XDG_CACHE_HOME."""
    assert load_settings({"XDG_CACHE_HOME": "/xdg"}).cache_dir == Path("/xdg/stancebot")


@pytest.mark.parametrize(("env", "key"), [
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-not-an-app-token"}, "SLACK_APP_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "STANCEBOT_HTTP_PORT": "3000"}, "SLACK_SIGNING_SECRET"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "STANCEBOT_HTTP_PORT": "http", "SLACK_SIGNING_SECRET": "s"}, "STANCEBOT_HTTP_PORT"),
    ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
    ({"STANCEBOT_CORRECTORS": "U012AB3CD, ana"}, "STANCEBOT_CORRECTORS"),
])
def test_slack_app_settings_name_the_variable(env, key):
    """A Slack app setting that cannot work stops startup with one line naming it."""
    with pytest.raises(ConfigError) as exc:
        load_settings(env)
    assert [p.path for p in exc.value.problems] == [key]


def test_slack_app_secrets_never_in_repr():
    """The app token and the signing secret never show in the settings' repr."""
    s = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-secret-app", "SLACK_SIGNING_SECRET": "sign-secret",
                       "STANCEBOT_HTTP_PORT": "3000", "STANCEBOT_CORRECTORS": "U012AB3CD,W0ANA"})
    assert (s.http_port, s.correctors) == (3000, frozenset({"U012AB3CD", "W0ANA"}))
    assert "xapp-secret-app" not in repr(s) and "sign-secret" not in repr(s)
