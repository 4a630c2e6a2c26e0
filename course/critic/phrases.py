"""The critic's phrase lexicon (``data/lexicon.yaml``): readable phrases, compiled into a
table keyed by a phrase's first word and matched token by token, as VADER looks words
up in a dictionary.

A phrase is words separated by spaces, matched case-insensitively against the post's
tokens (:mod:`course.critic.tokens`):

- ``{buy|order|shop now}``: one of the alternatives (an alternative may be several words);
- ``[it|them]``: optional, one of the alternatives or nothing;
- ``<price>``, ``<num>``, ``<pct>``, ``<url>``, ``<domain>``, ``<at>``, ``<tag>``,
  ``<end>``: a token of that kind (see :mod:`course.critic.tokens`); ``?`` and ``!`` are
  themselves;
- ``*``: any one token; ``...``: up to three tokens, none of them a sentence end;
- ``subscri*``: any word that starts with ``subscri``.

``^`` as the first element anchors a phrase at the start of the post or of a line or
sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..content.knowledge import load_yaml
from ..errors import DataError
from .tokens import Tokens, split_words

__all__ = ["KINDS", "Lexicon", "Rule", "parse_phrase"]

#: Token kinds a phrase may name in angle brackets.
KINDS = frozenset({"price", "num", "pct", "url", "domain", "at", "tag", "end", "comma",
                   "emoji", "word", "name"})
#: ``...`` stands for this many tokens at most.
GAP = 3
#: A phrase expands into at most this many token sequences (alternatives multiply).
MAX_EXPANSIONS = 5000

# An element of a compiled phrase: (kind of test, value).
_WORD, _ANY, _KIND, _PREFIX, _START = 0, 1, 2, 3, 4
Element = tuple[int, str]


@dataclass(frozen=True)
class Rule:
    """One phrase of a lexicon rule: its feature id (``rule-id:n`` for the rule's n-th
    phrase, the name the fitted weights use), its tag, the sentence a learner reads beside
    the words it finds, and whether it counts against its tag."""

    id: str
    tag: str
    says: str
    against: bool = False
    definite: bool = False  # the spec quotes this phrase: it gives the tag


def _split_top(body: str) -> list[str]:
    """Alternatives of a ``{...}`` or ``[...]`` body, split on top-level ``|``."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in body:
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        if ch == "|" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts]


_GROUP_RE = re.compile(r"[{\[]")


def _alternatives(phrase: str) -> Iterator[str]:
    """Every plain phrase (no braces or brackets) that ``phrase`` stands for."""
    match = _GROUP_RE.search(phrase)
    if match is None:
        yield " ".join(phrase.split())
        return
    start, depth = match.start(), 0
    for end in range(start, len(phrase)):
        depth += phrase[end] in "{[" or -(phrase[end] in "}]")
        if depth == 0:
            break
    else:
        raise ValueError(f"unbalanced brackets in {phrase!r}")
    options = _split_top(phrase[start + 1:end])
    if phrase[start] == "[":
        options.append("")
    head, tail = phrase[:start], phrase[end + 1:]
    for option in options:
        yield from _alternatives(f"{head} {option} {tail}")


def _element(word: str) -> list[Element]:
    if word == "*":
        return [(_ANY, "")]
    if word.startswith("<") and word.endswith(">"):
        kind = word[1:-1]
        if kind not in KINDS:
            raise ValueError(f"unknown token kind <{kind}> (known: {', '.join(sorted(KINDS))})")
        return [(_KIND, kind)]
    if word.endswith("*") and len(word) > 2:
        return [(_PREFIX, word[:-1].lower())]
    return [(_WORD, part) for part in split_words(word)]


def parse_phrase(phrase: str) -> list[tuple[Element, ...]]:
    """The token sequences ``phrase`` matches (``...`` expanded to 0..GAP any-tokens)."""
    out: list[tuple[Element, ...]] = []
    for plain in itertools.islice(_alternatives(phrase), MAX_EXPANSIONS + 1):
        words = plain.split()
        anchored = bool(words) and words[0] == "^"
        if anchored:
            words = words[1:]
        if not words:
            continue
        pieces: list[list[tuple[Element, ...]]] = []
        for word in words:
            if word == "...":
                pieces.append([((_ANY, "gap"),) * n for n in range(GAP + 1)])
            else:
                pieces.append([tuple(_element(word))])
        for combo in itertools.product(*pieces):
            seq = tuple(e for part in combo for e in part)
            if seq:
                out.append(((_START, ""), *seq) if anchored else seq)
    if len(out) > MAX_EXPANSIONS:
        raise ValueError(f"{phrase!r} stands for more than {MAX_EXPANSIONS} phrases; "
                         "split it")
    return out


class _Node:
    """A node of the phrase trie: where each next token may lead, and the rules whose
    phrase ends here."""

    __slots__ = ("any", "ends", "gap", "kinds", "lead", "prefixes", "simple", "words")

    def __init__(self) -> None:
        self.words: dict[str, _Node] = {}
        self.kinds: dict[str, _Node] = {}
        self.prefixes: list[tuple[str, _Node]] = []
        self.any: _Node | None = None
        self.gap: _Node | None = None
        self.ends: list[int] = []
        self.simple = True  # only word steps lead on: set by :meth:`child`
        #: ``words`` when a match must go on to one of them (no phrase ends here and only
        #: words lead on), else None; set once the trie is built.
        self.lead: dict[str, _Node] | None = None

    def child(self, element: Element) -> _Node:
        test, value = element
        if test == _WORD:
            return self.words.setdefault(value, _Node())
        self.simple = False
        if test == _KIND:
            return self.kinds.setdefault(value, _Node())
        if test == _PREFIX:
            for prefix, node in self.prefixes:
                if prefix == value:
                    return node
            node = _Node()
            self.prefixes.append((value, node))
            return node
        if value == "gap":
            if self.gap is None:
                self.gap = _Node()
            return self.gap
        if self.any is None:
            self.any = _Node()
        return self.any


class Lexicon:
    """The rules of ``lexicon.yaml``, one :class:`Rule` per phrase; :meth:`find` yields
    every phrase match in a post. Phrases are kept in a trie of tokens, so a post is read
    once, and a token that starts no phrase costs one dictionary look-up."""

    def __init__(self, path: Path | str, tag_ids: tuple[str, ...]):
        data = load_yaml(path, "lexicon.yaml")
        self.rules: list[Rule] = []
        self._root = _Node()
        self._anchored = _Node()  # phrases that start with ^
        seen: set[str] = set()
        for tag, rules in data.items():
            if tag not in tag_ids:
                raise DataError(f"lexicon.yaml: entry {tag!r}: unknown tag")
            for raw in rules:
                if raw["id"] in seen:
                    raise DataError(f"lexicon.yaml: entry {tag!r}: rule {raw['id']!r}: "
                                    "duplicate id")
                seen.add(raw["id"])
                for number, phrase in enumerate(raw["phrases"], start=1):
                    index = len(self.rules)
                    self.rules.append(Rule(f"{raw['id']}:{number}", tag, raw["says"],
                                           raw.get("against", False),
                                           raw.get("definite", False)))
                    try:
                        sequences = parse_phrase(phrase)
                    except ValueError as exc:
                        raise DataError(f"lexicon.yaml: entry {tag!r}: rule {raw['id']!r}: "
                                        f"phrase {phrase!r}: {exc}") from None
                    for seq in sequences:
                        node = self._root
                        if seq[0][0] == _START:
                            node, seq = self._anchored, seq[1:]
                        for element in seq:
                            node = node.child(element)
                        if index not in node.ends:
                            node.ends.append(index)
        if self._root.any is not None or self._root.gap is not None:
            raise DataError("lexicon.yaml: a phrase may not start with * or ...")
        self._root_prefixes = tuple(prefix for prefix, _ in self._root.prefixes)
        # The words and kinds that can start a phrase (anchored or not): find() looks only
        # at the tokens among them, picked out by one comprehension.
        self._start_words = frozenset(self._root.words) | frozenset(self._anchored.words)
        self._start_kinds = frozenset(self._root.kinds) | frozenset(self._anchored.kinds)
        # Words that find() hands to _find_from, which tries every kind of first step.
        self._general_words = (self._start_words if self._root_prefixes
                               else frozenset(self._anchored.words))
        stack = [self._root, self._anchored]
        while stack:
            node = stack.pop()
            if node.simple and not node.ends:
                node.lead = node.words
            stack.extend(node.words.values())
            stack.extend(node.kinds.values())
            stack.extend(step for _, step in node.prefixes)
            stack.extend(step for step in (node.any, node.gap) if step is not None)

    def find(self, tokens: Tokens) -> list[tuple[int, int, int]]:
        """``(rule index, first token, last token)`` for every match, each rule once per
        start token (its longest match there), in token order."""
        words, kinds = tokens.words, tokens.kinds
        n = len(words)
        root_words = self._root.words
        out: list[tuple[int, int, int]] = []
        if self._root_prefixes:  # a phrase starts with a prefix ("subscri*"): any word may
            candidates: Iterable[int] = range(n)
        else:
            start_words, start_kinds = self._start_words, self._start_kinds
            candidates = [i for i, word in enumerate(words)
                          if word in start_words or kinds[i] in start_kinds]
        start_kinds = self._start_kinds
        general = self._general_words
        for i in candidates:
            word = words[i]
            node = root_words.get(word)
            if node is None or kinds[i] in start_kinds or word in general:
                # A kind, a prefix or an anchored phrase may start here as well as a word.
                self._find_from(tokens, i, out)
                continue
            # The common case, taken here: one phrase node for the word, and most often
            # one that needs a given next word (``lead``), which most posts do not have.
            j = i + 1
            if node.lead is not None:
                if j == n:
                    continue
                node = node.lead.get(words[j])
                if node is None:
                    continue
                j += 1
            found: dict[int, int] = {}
            self._walk(node, j, words, kinds, found)
            out.extend((index, i, last) for index, last in found.items())
        return out

    def _find_from(self, tokens: Tokens, i: int, out: list[tuple[int, int, int]]) -> None:
        """The matches that start at token ``i``, trying every kind of first step."""
        words, kinds = tokens.words, tokens.kinds
        n = len(words)
        root, anchored = self._root, self._anchored
        word, kind = words[i], kinds[i]
        first = []
        step = root.words.get(word)
        if step is not None:
            first.append(step)
        step = root.kinds.get(kind)
        if step is not None:
            first.append(step)
        if self._root_prefixes and word.startswith(self._root_prefixes) and kind in (
                "word", "name"):
            first.extend(node for prefix, node in root.prefixes if word.startswith(prefix))
        if (i == 0 or kinds[i - 1] == "end") and (
                word in anchored.words or kind in anchored.kinds):
            first.append(anchored)
        following = words[i + 1] if i + 1 < n else None
        found: dict[int, int] = {}
        # Last first: the order a stack of them would be walked in.
        for node in reversed(first):
            if node is anchored:
                self._walk(node, i, words, kinds, found)
            elif node.ends or not node.simple or (
                    following is not None and following in node.words):
                self._walk(node, i + 1, words, kinds, found)
        out.extend((index, i, last) for index, last in found.items() if last >= i)

    @staticmethod
    def _walk(node: _Node, j: int, words: list[str], kinds: list[str],
              found: dict[int, int]) -> None:
        """Record in ``found`` (rule index -> last token) every phrase that ends at or
        below ``node``, reached with token ``j`` next, keeping each rule's longest match."""
        n = len(words)
        # Nodes with word steps only (nearly all) are followed in a plain loop.
        while node.simple:
            for index in node.ends:
                if found.get(index, -1) < j - 1:
                    found[index] = j - 1
            if j >= n:
                return
            step = node.words.get(words[j])
            if step is None:
                return
            node = step
            j += 1
        stack = [(node, j)]
        while stack:
            node, j = stack.pop()
            for index in node.ends:
                if found.get(index, -1) < j - 1:
                    found[index] = j - 1
            if j >= n:
                continue
            word = words[j]
            step = node.words.get(word)
            if step is not None:
                stack.append((step, j + 1))
            if node.kinds:
                step = node.kinds.get(kinds[j])
                if step is not None:
                    stack.append((step, j + 1))
            if node.prefixes and kinds[j] in ("word", "name"):
                for prefix, step in node.prefixes:
                    if word.startswith(prefix):
                        stack.append((step, j + 1))
            if node.any is not None:
                stack.append((node.any, j + 1))
            if node.gap is not None and kinds[j] != "end":
                stack.append((node.gap, j + 1))
