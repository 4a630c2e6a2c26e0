"""``python -m course critique``: the contract for CSV in, CSV (and HTML) out, bad input."""

import csv

import pytest

from conftest import run_course

TAG_IDS = ["hard-sell", "about-us", "spam", "pressure", "channel-misfit",
           "invites-conversation", "gives-value", "audience-first", "community", "caring",
           "novelty"]


def write_csv(path, rows, header=("id", "platform", "text")):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_critique_csv_writes_input_columns_tags_and_scores(tmp_path):
    src = write_csv(tmp_path / "in.csv", [
        ("1", "Twitter", "Flash sale!!! 40% off today only, use code SAVE40"),
        ("2", "", "Our office is closed Monday for the holiday."),
        ("3", "pinterest", "Ten balcony herbs that survive a heatwave."),
    ])
    out = tmp_path / "out.csv"
    result = run_course("critique", str(src), "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = read_csv(out)
    assert list(rows[0]) == ["id", "platform", "text", "tags", *(f"score_{t}" for t in TAG_IDS)]
    assert rows[0]["tags"] == "hard-sell;pressure;spam"
    assert rows[1]["tags"] == ""
    assert "channel-misfit" in rows[2]["tags"].split(";")
    assert float(rows[0]["score_spam"]) >= 0.5 > float(rows[0]["score_caring"])


def test_text_column_alone_is_enough(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("text\nWhat's your favourite autumn walk? Tell us below.\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert run_course("critique", str(src), "--out", str(out)).returncode == 0
    assert read_csv(out)[0]["tags"] == "invites-conversation"


def test_html_report_shows_evidence_and_content_mix(tmp_path):
    src = write_csv(tmp_path / "in.csv", [
        ("a1", "x", "Flash sale!!! 40% off today only, use code SAVE40"),
        ("a2", "x", "Three ways to keep cut flowers fresh: trim stems at an angle, change the "
                    "water daily, keep them out of the sun."),
        ("a3", "x", "Which would you rather we cover next week? Vote below."),
        ("a4", "x", "<script>alert(1)</script> closed today."),
    ])
    report = tmp_path / "report.html"
    result = run_course("critique", str(src), "--out", str(tmp_path / "o.csv"),
                        "--html", str(report))
    assert result.returncode == 0, result.stderr
    page = report.read_text(encoding="utf-8")
    assert "Content mix" in page and "<svg" in page
    assert "25%</strong> of posts sell" in page
    assert "25%</strong> of posts give value" in page
    assert "25%</strong> of posts invite conversation" in page
    assert '<mark class="tag-' in page and "SAVE40" in page
    assert "<script>alert" not in page, "post text must be escaped"


def test_single_post_mode_prints_explanations():
    result = run_course("critique", "--text", "Tired of slow internet? Switch today!",
                        "--platform", "x")
    assert result.returncode == 0
    assert "Hard sell" in result.stdout and "Switch today" in result.stdout


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"id,body\n1,hello\n", "no 'text' column"),
    (b"text\n\xff\xfe caf\xe9\n", "not UTF-8"),
    (b"id,platform,text\n1,x,ok\n2,myspace,hello\n", "line 3: unknown platform 'myspace'"),
])
def test_bad_input_one_line_error_and_no_output(tmp_path, content, message):
    src = tmp_path / "in.csv"
    src.write_bytes(content)
    out = tmp_path / "out.csv"
    result = run_course("critique", str(src), "--out", str(out))
    assert result.returncode != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src], "no temporary file left behind"


def test_bad_input_keeps_an_existing_output_intact(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    src = tmp_path / "in.csv"
    src.write_text("nope\n1\n")
    assert run_course("critique", str(src), "--out", str(out)).returncode != 0
    assert out.read_text() == "precious\n"


def test_missing_input_file_and_missing_out(tmp_path):
    result = run_course("critique", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv"))
    assert result.returncode != 0 and "no such file" in result.stderr
    result = run_course("critique", str(tmp_path / "nope.csv"))
    assert result.returncode != 0 and "--out" in result.stderr


def test_progress_goes_to_stderr_for_large_inputs(tmp_path):
    rows = [(str(i), "x", f"Tip {i}: water your plants early. What's yours?") for i in range(2500)]
    src = write_csv(tmp_path / "big.csv", rows)
    out = tmp_path / "out.csv"
    result = run_course("critique", str(src), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "critiquing" in result.stderr and "2500" in result.stderr
    assert result.stdout == ""
    assert len(read_csv(out)) == 2500


def test_a_european_excel_export_is_read_as_written(tmp_path):
    """Excel in many locales saves ';'-separated files with capitalised headers: they are
    read, the platform still counts, and every value comes back as the user wrote it."""
    src = tmp_path / "export.csv"
    src.write_bytes("Text;Platform;Notes\n"
                    "\"New loaf, same oven: see https://bakery.example.com/rye\";Instagram;a, b\n"
                    "What’s your Sunday bake?;X;\n".encode("utf-8-sig"))
    out = tmp_path / "out.csv"
    result = run_course("critique", str(src), "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = read_csv(out)
    assert list(rows[0])[:3] == ["text", "platform", "Notes"]
    assert rows[0]["platform"] == "Instagram" and rows[0]["Notes"] == "a, b"
    assert "channel-misfit" in rows[0]["tags"].split(";"), "the Instagram link rule applied"
    assert rows[1]["text"] == "What’s your Sunday bake?"
    assert "invites-conversation" in rows[1]["tags"].split(";")


def test_report_alone_and_never_over_the_input(tmp_path):
    src = write_csv(tmp_path / "in.csv", [("1", "x", "Flash sale!!! 40% off today only")])
    before = src.read_bytes()
    report = tmp_path / "report.html"
    result = run_course("critique", str(src), "--html", str(report))
    assert result.returncode == 0, result.stderr
    assert "Hard sell" in report.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "report.html"]
    for option in ("--out", "--html"):
        result = run_course("critique", str(src), option, str(src))
        assert result.returncode == 2 and "is the input file" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert src.read_bytes() == before
