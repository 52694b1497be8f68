import json

import pytest

from safeside.evaluation import suites
from safeside.evaluation.external import read_hatecheck, read_toxic_spans


@pytest.fixture
def shared(tmp_path, monkeypatch):
    """A tiny shared/ folder, found through SAFESIDE_SHARED_DIR."""
    root = tmp_path / "shared"
    (root / "data" / "dev").mkdir(parents=True)
    row = {
        "id": "d1",
        "mode": "review",
        "text": "I will kill you",
        "entities": [],
        "concerns": ["threat"],
        "severity": "high",
    }
    (root / "data" / "dev" / "scenarios.jsonl").write_text(json.dumps(row) + "\n", "utf-8")
    monkeypatch.setenv("SAFESIDE_SHARED_DIR", str(root))
    return root


def test_shared_dir_is_overridable(shared):
    assert suites.shared_dir() == shared


def test_a_suite_prints_and_writes_json(shared, tmp_path, fake_engine, capsys):
    out = tmp_path / "results"
    assert suites.main(["dev", "--out", str(out)]) == 0
    result = json.loads((out / "eval-dev.json").read_text("utf-8"))
    assert result["suite"] == "dev"
    assert result["concerns"]["per_label"]["threat"]["recall"] == 1.0
    assert "dev: precision, recall, F1" in capsys.readouterr().out


def test_missing_data_is_skipped_cleanly(shared, tmp_path, fake_engine, capsys):
    assert suites.main(["btc", "--out", str(tmp_path)]) == 0
    assert "skipped btc" in capsys.readouterr().out
    assert not (tmp_path / "eval-btc.json").exists()


def test_markdown_output(shared, tmp_path, fake_engine, capsys):
    assert suites.main(["dev", "--markdown", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "| concern | threat | 1.000 | 1.000 | 1.000 | 1 |  |" in out


HATECHECK = """,functionality,case_id,test_case,label_gold,target_ident,direction,focus_words,focus_lemma,ref_case_id,ref_templ_id,templ_id,case_templ
0,threat_dir_h,1,I am going to kill you. ,hateful,women,directed,,,,,1,x
1,target_indiv_nh,2,I despise you. ,non-hateful,,directed,,,,,2,x
2,negate_neg_nh,3,I would never kill anyone. ,non-hateful,,general,,,,,3,x
3,slur_h,4,some slur,hateful,,general,,,,,4,x
"""


def test_hatecheck_maps_functionalities(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(HATECHECK, "utf-8")
    data = read_hatecheck(path)
    assert [(ex.group, ex.concerns, ex.mode) for ex in data.examples] == [
        ("threat_dir_h", ["threat"], "review"),
        ("target_indiv_nh", ["harassment"], "review"),
        ("negate_neg_nh", [], "review"),
        ("slur_h", None, "review"),
    ]
    assert data.examples[0].text == "I am going to kill you."


def test_hatecheck_suite_breaks_down_by_functionality(tmp_path, analyze_batch, monkeypatch):
    path = tmp_path / "cases.csv"
    path.write_text(HATECHECK, "utf-8")
    monkeypatch.setattr(suites, "external", lambda *parts: path)
    result = suites.run_suite(suites.SUITES["hatecheck"], analyze_batch)
    assert result.report.concerns["threat"].recall == 1.0
    assert result.report.false_alarm_rate == 1.0  # the fake ignores negation
    assert result.extras["functionalities"]["negate_neg_nh"]["threat"] == 1.0


def test_toxic_spans_joins_raw_threat_spans(tmp_path):
    (tmp_path / "raw_annotations").mkdir()
    (tmp_path / "semeval2021").mkdir()
    text = "you idiot, I will hurt you"
    (tmp_path / "semeval2021" / "tsd_test.csv").write_text(
        f'spans,text\n"[4]",{text!r}\n'.replace("'", '"'), "utf-8"
    )
    (tmp_path / "raw_annotations" / "comments.csv").write_text(
        f'comment_id,comment_text\n7,"{text}"\n', "utf-8"
    )
    (tmp_path / "raw_annotations" / "annotations.csv").write_text(
        "annotation,comment_id,worker,country,all toxic,not toxic\n1,7,a,UK,False,False\n2,7,b,UK,False,False\n",
        "utf-8",
    )
    (tmp_path / "raw_annotations" / "spans.csv").write_text(
        "annotation,type,start,end\n1,Threat,11,26\n1,Insult,4,9\n2,Insult,4,9\n2,Profane/Obscene,4,9\n",
        "utf-8",
    )
    [ex] = read_toxic_spans(tmp_path).examples
    assert ex.concerns == ["threat", "harassment"]
    assert ex.evidence == {"threat": [(11, 26)], "harassment": [(4, 9)]}


def test_update_doc_replaces_only_the_generated_block(shared, tmp_path, fake_engine, monkeypatch):
    monkeypatch.setattr(suites, "SUITES", {"dev": suites.SUITES["dev"]})
    doc = tmp_path / "evaluation.md"
    doc.write_text("intro\n<!-- results:start -->\nold\n<!-- results:end -->\noutro\n", "utf-8")
    assert suites.main(["all", "--out", str(tmp_path), "--update-doc", str(doc)]) == 0
    text = doc.read_text("utf-8")
    assert text.startswith("intro\n<!-- results:start -->") and text.endswith(
        "<!-- results:end -->\noutro\n"
    )
    assert "\nold\n" not in text and "| concern | threat | 1.000 |" in text


def test_update_doc_needs_all(tmp_path, capsys):
    with pytest.raises(SystemExit):
        suites.main(["dev", "--update-doc", str(tmp_path / "x.md")])
    assert "use it with 'all'" in capsys.readouterr().err
