"""Real data for the pandas activities, shipped with the package.

``facebook_metrics.csv``: 500 posts published in 2014 on the Facebook page of one
international cosmetics brand, with their performance metrics. From the UCI Machine
Learning Repository, "Facebook metrics" data set, CC BY 4.0. Cite: Moro, S., Rita, P., &
Vala, B. (2016). Predicting social media performance metrics and evaluation of the
impact on brand building: A data mining approach. Journal of Business Research, 69(9),
3341-3351.
"""

from __future__ import annotations

import pandas as pd

from .knowledge import DATA_DIR

__all__ = ["FACEBOOK_METRICS_CITATION", "load_facebook_metrics"]

FACEBOOK_METRICS_CITATION = (
    "Facebook metrics data set, UCI Machine Learning Repository (CC BY 4.0). Moro, S., "
    "Rita, P., & Vala, B. (2016). Predicting social media performance metrics and evaluation "
    "of the impact on brand building: A data mining approach. Journal of Business Research, "
    "69(9), 3341-3351."
)

#: The published header -> short snake_case names used in the lessons.
COLUMNS = {
    "Page total likes": "page_likes",
    "Type": "type",
    "Category": "category",
    "Post Month": "month",
    "Post Weekday": "weekday",
    "Post Hour": "hour",
    "Paid": "paid",
    "Lifetime Post Total Reach": "reach",
    "Lifetime Post Total Impressions": "impressions",
    "Lifetime Engaged Users": "engaged_users",
    "Lifetime Post Consumers": "consumers",
    "Lifetime Post Consumptions": "consumptions",
    "Lifetime Post Impressions by people who have liked your Page": "impressions_by_fans",
    "Lifetime Post reach by people who like your Page": "reach_of_fans",
    "Lifetime People who have liked your Page and engaged with your post": "engaged_fans",
    "comment": "comments",
    "like": "likes",
    "share": "shares",
    "Total Interactions": "interactions",
}
CATEGORIES = {1: "action (offers, contests)", 2: "product (direct ads)", 3: "inspiration"}


def load_facebook_metrics() -> pd.DataFrame:
    """The 500 posts with short column names and a readable ``category_name`` column."""
    df = pd.read_csv(DATA_DIR / "facebook_metrics.csv")
    df = df.rename(columns=COLUMNS)
    df["category_name"] = df["category"].map(CATEGORIES)
    df.attrs["citation"] = FACEBOOK_METRICS_CITATION
    return df
