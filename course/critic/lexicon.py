"""The critic's phrase lexicon (``data/lexicon.yaml``), compiled for speed.

Each rule's pattern is split into its top-level alternatives ("branches"). From the parsed
form of each branch we read the literal text every match must start with: its triggers
(``"buy"`` and ``"order"`` for ``\\b(?:buy|order)\\s+now``). A post is lower-cased once and
one trie-shaped regex of all triggers finds where any trigger starts; a branch is tried,
anchored there, only where its own trigger starts. Branches with no literal start
(``^...``) are searched the ordinary way.
The result is the same as searching every branch, found without scanning the post once
per rule.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..content.knowledge import load_yaml
from ..errors import DataError

# The regex parser (to read each pattern's literal start) moved in Python 3.11.
_NEW_HOME = sys.version_info >= (3, 11)
sre_c = importlib.import_module("re._constants" if _NEW_HOME else "sre_constants")
sre_parse = importlib.import_module("re._parser" if _NEW_HOME else "sre_parse")

__all__ = ["FLAGS", "Lexicon", "Match"]

FLAGS = re.IGNORECASE | re.MULTILINE  # ^ and $ match at line breaks
REPEAT_DECAY = 0.5  # default: each repeat of a rule in one post counts half the one before
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ZERO_WIDTH = {sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT}
_MAX_CLASS = 12  # a character class wider than this gives no useful trigger


@dataclass(frozen=True)
class Rule:
    tag: str
    weight: float
    says: str
    repeat: float


@dataclass(frozen=True)
class Match:
    """A lexicon rule found in a post: its rule index, span and weight before repeats."""

    rule: int
    start: int
    end: int


def _class_chars(items) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre_c.LITERAL:
            chars.add(chr(av))
        elif op is sre_c.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is sre_c.CATEGORY and av is sre_c.CATEGORY_DIGIT:
            chars.update("0123456789")
        else:
            return None
    return chars if len(chars) <= _MAX_CLASS else None


def _prefixes(seq) -> set[str] | None:
    """Literal strings one of which every match of ``seq`` starts with (None: unknown)."""
    items = list(seq)
    i = 0
    while i < len(items) and (items[i][0] in _ZERO_WIDTH or _all_zero_width(items[i])):
        i += 1
    if i < len(items) and items[i][0] in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) \
            and items[i][1][0] == 0:
        # An optional start: a match begins with it or with what follows it.
        optional, rest = _prefixes(items[i][1][2]), _prefixes(items[i + 1:])
        return optional | rest if optional and rest else None
    while i < len(items) and (items[i][0] in _ZERO_WIDTH or _all_zero_width(items[i])):
        i += 1
    if i == len(items):
        return None
    op, av = items[i]
    if op is sre_c.LITERAL:
        literal = ""
        while i < len(items) and items[i][0] is sre_c.LITERAL:
            literal += chr(items[i][1])
            i += 1
        return {literal.lower()}
    if op is sre_c.SUBPATTERN:
        return _prefixes(av[-1])
    if op is sre_c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            found = _prefixes(branch)
            if not found:
                return None
            out |= found
        return out
    if op is sre_c.IN:
        chars = _class_chars(av)
        return {c.lower() for c in chars} if chars else None
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[0] >= 1:
        return _prefixes(av[2])
    return None


def _all_zero_width(item) -> bool:
    op, av = item
    return op is sre_c.BRANCH and all(
        all(sub[0] in _ZERO_WIDTH for sub in branch) for branch in av[1])


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern``, as pattern strings."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _trie_regex(words: list[str]) -> str:
    """A regex matching any of ``words``, longest first, shaped as a trie (fast in ``re``)."""
    if not words:
        return "(?!)"
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return emit(trie)


class Lexicon:
    """Rules from ``lexicon.yaml``: ``find(text)`` yields every rule match in a post."""

    def __init__(self, path: Path | str, tag_ids: tuple[str, ...]):
        data = load_yaml(path, "lexicon.yaml")
        self.rules: list[Rule] = []
        self._by_trigger: dict[str, list[tuple[re.Pattern, int]]] = {}
        self._searched: list[tuple[re.Pattern, int]] = []
        for tag, rules in data.items():
            if tag not in tag_ids:
                raise DataError(f"lexicon.yaml: entry {tag!r}: unknown tag")
            for number, raw in enumerate(rules, start=1):
                try:
                    re.compile(raw["pattern"], FLAGS)
                except re.error as exc:
                    raise DataError(
                        f"lexicon.yaml: entry {tag!r}: rule #{number}: pattern: {exc}"
                    ) from None
                index = len(self.rules)
                self.rules.append(Rule(tag, float(raw["weight"]), raw["says"],
                                       float(raw.get("repeat", REPEAT_DECAY))))
                for branch in _branches(raw["pattern"]):
                    self._add_branch(branch, index)
        self._finish()

    def _add_branch(self, branch: str, index: int) -> None:
        compiled = re.compile(branch, FLAGS)
        triggers = _prefixes(sre_parse.parse(branch, FLAGS))
        if not triggers:
            self._searched.append((compiled, index))
            return
        for trigger in triggers:
            self._by_trigger.setdefault(trigger, []).append((compiled, index))

    def _finish(self) -> None:
        """One regex finds, at every position, the longest trigger starting there; each
        trigger then stands for itself and every shorter trigger it begins with."""
        triggers = sorted(self._by_trigger)
        self._expanded = {
            t: [b for k in range(1, len(t) + 1) for b in self._by_trigger.get(t[:k], ())]
            for t in triggers
        }
        # Most trigger hits lead nowhere: one combined match rules them all out at once.
        # Compiled on first use, as most triggers never occur.
        self._any: dict[str, re.Pattern] = {}
        words = [t for t in triggers if t[0].isalnum()]
        others = [t for t in triggers if not t[0].isalnum()]
        self._finder = re.compile(
            rf"(?<![^\W_])(?=({_trie_regex(words)}))|(?=({_trie_regex(others)}))"
        )

    def _combine(self, trigger: str) -> re.Pattern:
        branches = self._expanded[trigger]
        combined = re.compile("|".join(f"(?:{c.pattern})" for c, _ in branches), FLAGS)
        self._any[trigger] = combined
        return combined

    def find(self, text: str) -> Iterator[Match]:
        """Every match of every rule, each (rule, start) once, in no particular order."""
        low = text.translate(_LOWER)
        expanded = self._expanded
        seen: set[tuple[int, int]] = set()
        prefilter = self._any
        for hit in self._finder.finditer(low):
            p = hit.start()
            trigger = hit.group(1) or hit.group(2)
            combined = prefilter.get(trigger) or self._combine(trigger)
            if combined.match(text, p) is None:
                continue
            for compiled, index in expanded[trigger]:
                if (index, p) not in seen:
                    m = compiled.match(text, p)
                    if m is not None and m.end() > p:
                        seen.add((index, p))
                        yield Match(index, p, m.end())
        for compiled, index in self._searched:
            for m in compiled.finditer(text):
                if m.end() > m.start() and (index, m.start()) not in seen:
                    seen.add((index, m.start()))
                    yield Match(index, m.start(), m.end())
