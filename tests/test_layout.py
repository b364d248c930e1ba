"""The layout's rules hold: SQL only in the store, no import cycles, small modules, a pure middle, no test code shipped."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "bot"
MAX_LINES = 400
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|PRAGMA)\s")  # statements are upper case here
# SQL in a shipped data file (Datasette's canned queries): a `sql:` key, or a line that opens a statement, in any case.
DATA_SQL = re.compile(r"^\s*(-\s*)?[\"']?((select|insert|update|delete|create|alter|drop|pragma|with)\s|sql\s*:)", re.I | re.M)
# What the pure middle must never import: the network, the database, the settings, the environment.
EDGE_PACKAGES = {"httpx", "sqlite3", "sqlite_utils", "slack_bolt", "os", "socket", "subprocess"}
EDGE_MODULES = ("bot.store", "bot.app", "bot.config", "bot.ingest.fetch", "bot.deliver.slack", "bot.deliver.dispatch", "slack_sdk.web")


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        out[name] = path
    return out


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_sql_is_written_only_in_the_store():
    """No module outside bot/store holds an SQL statement or reaches into a Store's connection."""
    offenders = []
    for name, path in modules().items():
        if name.startswith("bot.store"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
                offenders.append(f"{name}:{node.lineno}: {node.value[:40]!r}")
            if isinstance(node, ast.Attribute) and node.attr == "db" and isinstance(node.value, ast.Name):
                offenders.append(f"{name}:{node.lineno}: {node.value.id}.db")
    assert offenders == []


def test_sql_in_data_files_lives_in_the_store():
    """Shipped data files hold SQL (the editor's canned queries) only inside bot/store, beside the views they read."""
    data = [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json", ".sql")]
    holding = {str(p.relative_to(ROOT)) for p in data if DATA_SQL.search(p.read_text(encoding="utf-8"))}
    assert "bot/store/datasette.yaml" in holding  # the pattern sees the canned queries it is meant to see
    assert {p for p in holding if not p.startswith("bot/store/")} == set()


def test_no_import_cycles():
    """The package's import graph (function-level imports included) has no cycle."""
    mods = modules()
    graph = {name: {m for m in imports_of(path) if m in mods and m != name} for name, path in mods.items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, trail: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle.extend(trail[trail.index(nxt):] + [node, nxt] if nxt in trail else [node, nxt])
                return True
            if nxt not in state and visit(nxt, trail + [node]):
                return True
        state[node] = 2
        return False

    assert not any(visit(m, []) for m in sorted(graph) if m not in state), " -> ".join(cycle)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_small(path):
    """Every module stays under the house limit; a bigger one is split by noun."""
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_the_pure_middle_does_no_io():
    """The modules mypy checks as pure import no network, database, settings or environment code."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pure = []
    for entry in config["tool"]["mypy"]["files"]:
        target = ROOT / entry
        pure += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    assert len(pure) >= 12
    leaks = {str(p.relative_to(ROOT)): sorted(m for m in imports_of(p) if m.split(".")[0] in EDGE_PACKAGES or m.startswith(EDGE_MODULES)
                                              or m == "slack_sdk.WebClient")
             for p in pure}
    assert {k: v for k, v in leaks.items() if v} == {}


def test_the_product_ships_no_evaluation_or_test_code():
    """bot/ imports nothing from quality/ or tests/, and holds no evaluation module or test double."""
    for name, path in modules().items():
        bad = [m for m in imports_of(path) if m.split(".")[0] in ("quality", "tests", "doubles", "conftest")]
        assert bad == [], name
        assert not re.search(r"(eval|evaluate|testing|doubles)$", name), name
    text = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    assert "class HashingEmbedder" not in text
