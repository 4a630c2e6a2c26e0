"""How the critic weighs its evidence: one logistic model per tag, fitted to labelled posts
(:mod:`course.critic.fit`), read from ``data/critic_weights.yaml``.

For tag *t* and the features a post shows (lexicon rules and counting rules, present or
not), ``z = bias + sum of their weights + the weights of the other tags that have
evidence`` (a sales pitch counts against audience-first, say), and ``p = 1 / (1 +
exp(-z))``. The tag is given when ``p`` reaches the tag's fitted threshold and at least one
of its own features with a positive weight is present, so every tag comes with evidence.
The score reported is ``p`` rescaled so that the threshold sits at 0.5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.knowledge import DATA_DIR, load_yaml
from ..errors import DataError

__all__ = ["DEFINITE_SCORE", "EXCLUDED_CAP", "NO_EVIDENCE_SCORE", "TagModel", "Weights",
           "load_weights", "rescaled"]

WEIGHTS_FILE = DATA_DIR / "critic_weights.yaml"
#: The score of a tag given by a rule that states the spec's definition to the letter.
DEFINITE_SCORE = 0.95
#: The score of a tag with no evidence of its own: it is never given, whatever the other
#: tags' evidence suggests.
NO_EVIDENCE_SCORE = 0.0
#: The highest score of a tag the spec rules out (a pitch is never audience-first).
EXCLUDED_CAP = 0.49


@dataclass(frozen=True)
class TagModel:
    bias: float
    threshold: float
    weights: dict[str, float] = field(default_factory=dict)
    cross: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Weights:
    """Every tag's model, and a note on how and on what it was fitted."""

    tags: dict[str, TagModel]
    fitted: dict[str, Any]


def load_weights(path: Path | str = WEIGHTS_FILE) -> Weights:
    data = load_yaml(path, "critic_weights.yaml")
    tags = {tag: TagModel(bias=float(m["bias"]), threshold=float(m["threshold"]),
                          weights={k: float(v) for k, v in (m.get("weights") or {}).items()},
                          cross={k: float(v) for k, v in (m.get("cross") or {}).items()})
            for tag, m in data["tags"].items()}
    for tag, model in tags.items():
        if not 0 < model.threshold < 1:
            raise DataError(f"critic_weights.yaml: entry {tag!r}: threshold: must lie "
                            "between 0 and 1")
    return Weights(tags=tags, fitted=data.get("fitted", {}))


def rescaled(z: float, threshold: float) -> float:
    """``sigmoid(z)`` moved so that ``threshold`` reads 0.5 (rounded to 3 places)."""
    shifted = z - math.log(threshold / (1 - threshold))
    if shifted < -30:
        return 0.0
    return round(1 / (1 + math.exp(-shifted)), 3)
