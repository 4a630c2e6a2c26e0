"""The engagement data set (a stable path: released assignments' code tasks call
``from course.datasets import load_facebook_metrics``). It lives in
:mod:`course.content.datasets`."""

from .content.datasets import FACEBOOK_METRICS_CITATION, load_facebook_metrics

__all__ = ["FACEBOOK_METRICS_CITATION", "load_facebook_metrics"]
