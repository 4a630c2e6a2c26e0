"""The knowledge base and post bank: complete, linked, and strict about mistakes."""

import shutil
from collections import Counter

import pytest
import yaml

from course.content.knowledge import DATA_DIR, load_knowledge, load_posts, load_yaml
from course.content.platforms import BANK_PLATFORMS, PLATFORMS
from course.errors import DataError

SPEC_TAGS = ["hard-sell", "about-us", "spam", "pressure", "channel-misfit",
             "invites-conversation", "gives-value", "audience-first", "community", "caring",
             "novelty"]
ARTICLES = {"wants", "summed-up", "seven-cs", "what-it-is-not", "insights"}
# Ideas each article contributes that the course must teach (see shared seeds README).
REQUIRED_PRINCIPLES = {
    "wants": ["want-interact", "want-express", "want-experience", "want-influence",
              "want-freedom", "social-mindset"],
    "summed-up": ["relationship-business", "value-attracts", "three-steps", "offline-and-online",
                  "mistake-spamming", "mistake-direct-selling", "mistake-one-sided"],
    "seven-cs": ["c-connection", "c-conversation", "c-relationships", "c-content",
                 "c-community", "c-caring", "c-clients"],
    "what-it-is-not": ["not-advertising", "not-about-you", "not-technology", "not-just-kids",
                       "not-one-size", "not-just-do-it"],
    "insights": ["i-communities", "i-multichannel", "i-not-megaphone", "i-one-to-one",
                 "i-what-people-do", "i-social-aptitude", "i-not-panacea"],
}


def test_tags_are_exactly_the_spec_vocabulary():
    kb = load_knowledge()
    assert list(kb.tags) == SPEC_TAGS
    assert {t.kind for t in kb.tags.values() if t.id in SPEC_TAGS[:5]} == {"problem"}
    assert {t.kind for t in kb.tags.values() if t.id in SPEC_TAGS[5:]} == {"strength"}


def test_every_article_and_principle_is_present_and_linked():
    kb = load_knowledge()
    assert set(kb.articles) == ARTICLES
    for article, ids in REQUIRED_PRINCIPLES.items():
        for pid in ids:
            assert pid in kb.principles, pid
            assert kb.principles[pid].article == article, pid
    assert "10" in kb.principles["c-community"].teaching_notes + kb.principles[
        "c-community"].summary, "the 10 x 10 = 100 reach example is taught"
    for tag in kb.tags.values():
        assert tag.principles and all(kb.principle(p) for p in tag.principles), tag.id


def test_post_bank_meets_its_floor():
    posts = load_posts()
    assert len(posts) >= 150
    platforms = Counter(p.platform for p in posts)
    assert set(BANK_PLATFORMS) <= set(platforms) <= set(PLATFORMS)
    tags = Counter(t for p in posts for t in p.tags)
    for tag in SPEC_TAGS:
        assert tags[tag] >= 12, (tag, tags[tag])
    assert sum(1 for p in posts if not p.tags) >= 15
    assert all(r.strip() for p in posts for r in p.tags.values()), "a rationale per tag"


def copy_data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(("file", "change", "message"), [
    ("principles.yaml", lambda d: d[2].pop("summary"),
     r"principles.yaml: entry '.+': missing field 'summary'"),
    ("principles.yaml", lambda d: d[0].update(summry="x"),
     r"principles.yaml: entry '.+': unknown field 'summry' \(allowed: id, name"),
    ("principles.yaml", lambda d: d[1].update(kind="opinion"),
     r"principles.yaml: entry '.+': kind: must be one of \['principle'"),
    ("principles.yaml", lambda d: d[0].update(article="nowhere"),
     r"principles.yaml: entry '.+': article: unknown article 'nowhere'"),
    ("tags.yaml", lambda d: d[0]["principles"].append("no-such-principle"),
     r"tags.yaml: entry 'hard-sell': principles: unknown principle 'no-such-principle'"),
    ("tags.yaml", lambda d: d[1].update(id=d[0]["id"]),
     r"tags.yaml: entry 'hard-sell': id: duplicate id"),
])
def test_data_mistakes_name_file_entry_and_field(tmp_path, file, change, message):
    data = copy_data(tmp_path)
    edit(data / file, change)
    load_knowledge.cache_clear()
    try:
        with pytest.raises(DataError, match=message):
            load_knowledge(data)
    finally:
        load_knowledge.cache_clear()


def test_post_with_unknown_tag_is_named(tmp_path):
    data = copy_data(tmp_path)
    edit(data / "posts.yaml", lambda d: d[4]["tags"].update({"clickbait": "why"}))
    with pytest.raises(DataError, match=r"posts.yaml: entry 'p005': tags: unknown tag 'clickbait'"):
        load_posts(data / "posts.yaml")


def test_broken_yaml_names_the_line(tmp_path):
    bad = tmp_path / "articles.yaml"
    bad.write_text("- id: wants\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"articles.yaml: line \d+: not valid YAML"):
        load_yaml(bad)


def test_lexicon_bad_pattern_is_named(tmp_path):
    from course.critique import Critic

    bad = tmp_path / "lexicon.yaml"
    bad.write_text("spam:\n  - id: shouting\n    says: x.\n    phrases: ['{unclosed']\n")
    with pytest.raises(DataError, match=r"lexicon.yaml: entry 'spam': rule 'shouting': "
                                        r"phrase '\{unclosed': unbalanced brackets"):
        Critic(lexicon_path=bad)
