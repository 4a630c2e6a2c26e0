"""The post critic: text in, critique out. Which critique tags a post carries, the words
that earn each one, and what to do about them.

Modules: :mod:`~course.critic.lexicon` (the phrase rules in ``data/lexicon.yaml``),
:mod:`~course.critic.features` and :mod:`~course.critic.rules` (counting rules with their
named weights), :mod:`~course.critic.critic` (the critic), :mod:`~course.critic.highlight`
(evidence as HTML), :mod:`~course.critic.batch` and :mod:`~course.critic.report` (a CSV of
posts in, a tagged CSV and an HTML report out), :mod:`~course.critic.evaluate` (agreement
with labelled posts). Imports no Jupyter and no nbgrader.
"""

from .critic import Critic, Critique, Evidence, analyze, get_critic

__all__ = ["Critic", "Critique", "Evidence", "analyze", "get_critic"]
