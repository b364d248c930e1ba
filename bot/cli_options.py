"""The command line's shared options and its settings lookup: one definition each, used by every command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from bot.config import Settings, load_settings


def rules_option(command: Callable) -> Callable:
    return click.option("--rules", "rules_dir", type=click.Path(path_type=Path),
                        help="Rules folder (default $STANCEBOT_RULES or ./rules).")(command)


def db_option(command: Callable) -> Callable:
    return click.option("--db", "db_path", type=click.Path(path_type=Path),
                        help="SQLite file (default $STANCEBOT_DB or ./stancebot.db).")(command)


def settings_for(**overrides: object) -> Settings:
    """The environment's settings, with the command line's overrides."""
    return load_settings().with_overrides(**overrides)


def load_rules_for(settings: Settings):
    """The gazetteer (with the rules folder's actors.yaml) and the validated rules."""
    from bot.read.gazetteer import load_gazetteer
    from bot.rules import load_rules

    gaz = load_gazetteer(settings.rules_dir)
    return gaz, load_rules(settings.rules_dir, gaz.names)
