"""YAML loading that remembers where every value came from (file and line)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ConfigError, Problem

MIN_INTERVAL_S = 60  # polling more often is impolite to publishers
MAX_DURATION_S = 366 * 86400  # longer is a typo, and would overflow date arithmetic
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$")
_UNITS = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


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


class _RulesLoader(yaml.SafeLoader):
    """SafeLoader without aliases: a few bytes of nested `*refs` expand to billions of values (an alias bomb)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, _NO_ALIASES, event.start_mark)
        return super().compose_node(parent, index)


_NO_ALIASES = "aliases (*name) and merge keys (<<: *name) are not supported in rules files; write the values out"


def parse_yaml(text: str, name: str) -> Source:
    """Parse YAML text into a Source; duplicate keys are errors, not silent overrides; aliases are refused."""
    loader = _RulesLoader(text)
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
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(Problem(source.file, key_node.start_mark.line + 1, f"{path}.<<" if path else "<<", _NO_ALIASES))
                continue
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


def suggest_code(code: str, known: Collection[str]) -> str:
    """A hint for a mistyped country code: among close codes, the one whose country's name the letters spell
    ("BRZ" -> BRA, Brazil, not LBR); `known` may map codes to names."""
    names = known if isinstance(known, Mapping) else {}
    close = difflib.get_close_matches(code.upper(), sorted(known), n=8, cutoff=0.5)
    if not close:
        return ""

    def rank(candidate: str) -> tuple[bool, bool, float]:
        name = re.sub(r"[^A-Z]", "", str(names.get(candidate, "")).upper())
        letters = iter(name)
        spelled = bool(name) and all(ch in letters for ch in code.upper())  # the typed letters, in order, in the name
        return spelled, name[:1] == code[:1].upper(), difflib.SequenceMatcher(None, code.upper(), candidate).ratio()

    best = max(close, key=rank)
    return f' (did you mean "{best}"' + (f", {names[best]}" if best in names else "") + "?)"


class Checker:
    """Collects typed-value problems against one Source."""

    def __init__(self, source: Source):
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(self.source.problem(path, message))

    def keys(self, value: Any, path: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> bool:
        if not isinstance(value, dict):
            self.fail(path, f"expected a mapping with keys {', '.join(allowed)}, got {kind_of(value)}")
            return False
        for key in value:
            if key not in allowed:
                self.fail(f"{path}.{key}" if path else key, f"unknown key{suggest(key, allowed)}; allowed: {', '.join(allowed)}")
        for key in required:
            if key not in value:
                self.fail(path, f"missing required key {key!r}")
        return True

    def text(self, value: Any, path: str, *, required: bool = True) -> str | None:
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"expected a non-empty string, got {kind_of(value)}")
            return None
        return value.strip()

    def texts(self, value: Any, path: str, *, min_items: int = 0) -> tuple[str, ...]:
        if value is None:
            value = []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(path, f"expected a list of strings, got {kind_of(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                out.append(item.strip())
            else:
                self.fail(f"{path}[{i}]", f"expected a non-empty string, got {kind_of(item)}")
        if len(out) < min_items:
            self.fail(path, f"needs at least {min_items} item(s)")
        return tuple(out)

    def number(self, value: Any, path: str, *, low: float, high: float, integer: bool = False) -> float | None:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high
        if ok and integer and not float(value).is_integer():
            ok = False
        if not ok:
            kind = "a whole number" if integer else "a number"
            self.fail(path, f"expected {kind} from {low:g} to {high:g}, got {value!r}")
            return None
        return value

    def flag(self, value: Any, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.fail(path, f"expected true or false, got {value!r}")
            return None
        return value

    def duration(self, value: Any, path: str, *, minimum: int = MIN_INTERVAL_S, maximum: int = MAX_DURATION_S) -> int | None:
        """Seconds from 300, '15m', '1h', '7d'; a problem when it is not one or is outside [minimum, maximum]."""
        if isinstance(value, bool):
            value = None
        match = _DURATION.match(str(value)) if isinstance(value, (int, float, str)) else None
        if not match:
            self.fail(path, f"expected a duration like 300, '15m' or '1h', got {value!r}")
            return None
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
        if seconds > maximum:
            self.fail(path, f"must be at most {_human(maximum)}, got {value!r}")
            return None
        seconds = int(seconds)
        if seconds < minimum:
            if minimum == MIN_INTERVAL_S:
                self.fail(path, f"polling more often than every {MIN_INTERVAL_S}s is impolite to publishers")
            else:
                self.fail(path, f"must be at least {minimum}s")
            return None
        return seconds


def _human(seconds: int) -> str:
    return f"{seconds // 86400} days" if seconds % 86400 == 0 else f"{seconds}s"


def kind_of(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__.replace("NoneType", "nothing")
