"""Docs are checked like code."""

from __future__ import annotations

from conftest import ROOT

from bot.cli import cli
from bot.config import ENV_VARS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_in_readme():
    """Each CLI command appears in the README as `stancebot NAME`."""
    for name in cli.commands:
        assert f"stancebot {name}" in README, name


def test_every_setting_in_readme():
    """Each environment variable the config reads is documented."""
    for var in ENV_VARS:
        assert f"`{var}`" in README, var


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    """The quick start is make demo + make test, and .ci/run calls make test."""
    quick = README.split("## Quick start", 1)[1].split("```", 2)[1]
    assert [line.split("#")[0].strip() for line in quick.strip().splitlines()[1:]] == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_manifest_scopes_are_what_the_bot_uses():
    """The Slack manifest asks for exactly the scopes of the API methods the bot calls."""
    import yaml

    manifest = yaml.safe_load((ROOT / "slack-app-manifest.yaml").read_text())
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(
        ["chat:write", "files:write", "channels:history", "groups:history", "channels:read", "groups:read", "commands"])


def test_manifest_declares_the_slack_app_surface():
    """The manifest has the /stancebot command, interactivity for the buttons and Socket Mode."""
    import yaml

    manifest = yaml.safe_load((ROOT / "slack-app-manifest.yaml").read_text())
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/stancebot"]
    assert manifest["settings"]["interactivity"]["is_enabled"] and manifest["settings"]["socket_mode_enabled"]
