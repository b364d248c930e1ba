"""Logging for the commands: one stderr handler, quiet libraries, and no secret ever in a record."""

from __future__ import annotations

import logging
import re
import sys

from bot.config import Settings

_CREDENTIALS = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s?#@]+@")  # user:password@ in any URL
# slack_bolt logs a rejected request's signature and body at INFO; the endpoint logs it once, plainly.
NOISY = ("httpx", "httpcore", "apscheduler.executors", "sentence_transformers", "urllib3", "slack_bolt", "slack_sdk.socket_mode")


class RedactSecrets(logging.Filter):
    """Replaces any secret, and any user:password in a URL, that reaches a log record with '***'."""

    def __init__(self, secrets: list[str]):
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _CREDENTIALS.sub(r"\1***@", message)
        for secret in self.secrets:
            cleaned = cleaned.replace(secret, "***")
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def setup_logging(settings: Settings) -> None:
    """Log to stderr at the settings' level, with the Slack token redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets([settings.slack_token or "", settings.slack_app_token or "", settings.signing_secret or ""]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level if settings.log_level in logging.getLevelNamesMapping() else "INFO")
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
