"""YAML loading that remembers where every value came from (file and line)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ConfigError, Problem


@dataclass
class Source:
    """A parsed YAML document plus the line of every key path in it."""

    file: str
    data: Any
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, path: str) -> int:
        """Line of `path`, or of its nearest located parent."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = _parent(path)
        return self.lines.get("", 1)

    def problem(self, path: str, message: str) -> Problem:
        return Problem(self.file, self.line(path), path, message)


def _parent(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def load_yaml(path: Path, display: str | None = None) -> Source:
    """Parse a YAML file, keeping line numbers; raise ConfigError on syntax errors."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(name, 0, "", f"cannot read: {exc}")]) from exc
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> Source:
    """Parse YAML text into a Source; duplicate keys are errors, not silent overrides."""
    loader = yaml.SafeLoader(text)
    source = Source(name, None, {"": 1})
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        if node is not None:
            source.data = _convert(node, "", source, problems, loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        reason = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([Problem(name, line, "", f"invalid YAML: {reason}")]) from exc
    finally:
        loader.dispose()
    if problems:
        raise ConfigError(problems)
    return source


def _convert(node: yaml.Node, path: str, source: Source, problems: list[Problem], loader: yaml.SafeLoader) -> Any:
    source.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node, deep=True))
            child = f"{path}.{key}" if path else key
            if key in out:
                problems.append(Problem(source.file, key_node.start_mark.line + 1, child, "duplicate key"))
            source.lines[child] = key_node.start_mark.line + 1
            out[key] = _convert(value_node, child, source, problems, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, f"{path}[{i}]", source, problems, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def suggest(key: str, allowed: list[str] | tuple[str, ...]) -> str:
    """A ' (did you mean "x"?)' hint for a mistyped key, or ''."""
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""
