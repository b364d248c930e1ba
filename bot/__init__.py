"""stancebot: tells Slack when a country's stance on a watched issue shifts."""

__version__ = "0.1.0"
