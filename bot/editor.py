"""`stancebot editor`: the database in Datasette, with canned queries for people who do not write SQL."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

import yaml

from bot.errors import ConfigError, Problem
from bot.store import Store

HOST = "127.0.0.1"  # the editor's view is for this machine: the data and the queries are not meant for a network
SHIPPED_NAME = "stancebot"  # the database name the shipped metadata describes (Datasette names a database after its file)


def metadata_file() -> Path:
    """The Datasette metadata shipped in the package: canned queries, descriptions, facets."""
    return Path(str(resources.files("bot").joinpath("store", "datasette.yaml")))


def metadata_for(db_path: Path) -> dict:
    """The shipped metadata, its queries and descriptions under the name Datasette gives `db_path` (the file's stem)."""
    shipped = yaml.safe_load(metadata_file().read_text(encoding="utf-8"))
    return {**shipped, "databases": {db_path.stem: shipped["databases"][SHIPPED_NAME]}}


def datasette_command(db_path: Path, metadata: Path, *, port: int) -> list[str]:
    """The command that serves `db_path` with `metadata` on 127.0.0.1 (Datasette of this Python)."""
    return [sys.executable, "-m", "datasette", "serve", str(db_path), "--metadata", str(metadata), "--host", HOST,
            "--port", str(port)]


def run_editor(db_path: Path, *, port: int) -> int:
    """Bring the database's schema up to date (its views and search index), then serve it until Ctrl-C; Datasette's exit status.

    Raises ConfigError when Datasette is not installed or the database cannot be used.
    """
    if importlib.util.find_spec("datasette") is None:
        raise ConfigError([Problem("datasette", 0, "", "not installed; install it with: pip install 'stancebot[editor]'")])
    Store(db_path, create=False).close()  # a database written by an older stancebot gets its views here
    with tempfile.TemporaryDirectory(prefix="stancebot-editor-") as folder:
        metadata = Path(folder) / "datasette.json"
        metadata.write_text(json.dumps(metadata_for(db_path)), encoding="utf-8")
        try:
            return subprocess.call(datasette_command(db_path, metadata, port=port))
        except KeyboardInterrupt:  # Ctrl-C reached Datasette too, which stops on it
            return 0
