"""The critic's public contract (a stable path: ``course.critique.analyze(text,
platform=None)``, see the tag spec). The critic lives in :mod:`course.critic`."""

from .critic import Critic, Critique, Evidence, analyze, get_critic

__all__ = ["Critic", "Critique", "Evidence", "analyze", "get_critic"]
