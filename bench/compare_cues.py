"""Compare cue-detection methods on the held-out split (trained or tuned on dev only).

Usage: .venv/bin/python bench/compare_cues.py

1. rules with scope, trap vetoes and question/answer pairing (the shipped detector);
2. the same rules with no scope or veto checks (plain keyword spotting);
3. the shipped rules without question/answer pairing;
4. a bag-of-words classifier (TF-IDF word 1-2 grams + char 3-5 grams, one logistic regression
   per cue and one for domestic abuse) trained on the dev split, if scikit-learn is installed.
   scikit-learn is not a dependency of Heard; it is only used here for the comparison.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from unittest import mock

from heard.signals.cues import engine
from heard.signals.cues.evaluation import Labelled, evaluate, load_labelled
from heard.signals.cues.taxonomy import CueCode

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "cues"


def score_rules(rows: list[Labelled]) -> dict[str, float]:
    started = time.process_time()
    report = evaluate(rows)
    elapsed = time.process_time() - started
    precision, recall = report.micro
    return {
        "macro_f1": report.macro_f1,
        "micro_precision": precision,
        "micro_recall": recall,
        "da_accuracy": report.da_accuracy,
        "cpu_ms_per_transcript": elapsed * 1000 / len(rows),
    }


def score_classifier(dev: list[Labelled], heldout: list[Labelled]) -> dict[str, float] | None:
    try:
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        return None
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    train_texts = [row.transcript.lower() for row in dev]
    x_train = hstack([words.fit_transform(train_texts), chars.fit_transform(train_texts)]).tocsr()
    started = time.process_time()
    test_texts = [row.transcript.lower() for row in heldout]
    x_test = hstack([words.transform(test_texts), chars.transform(test_texts)]).tocsr()
    f1s, tp, fp, fn = [], 0, 0, 0
    for code in CueCode:
        y_train = [code.value in row.cues for row in dev]
        y_test = [code.value in row.cues for row in heldout]
        if len(set(y_train)) < 2:
            predicted = [False] * len(heldout)
        else:
            model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)
            predicted = list(model.fit(x_train, y_train).predict(x_test))
        c_tp = sum(p and t for p, t in zip(predicted, y_test, strict=True))
        c_fp = sum(p and not t for p, t in zip(predicted, y_test, strict=True))
        c_fn = sum(t and not p for p, t in zip(predicted, y_test, strict=True))
        tp, fp, fn = tp + c_tp, fp + c_fp, fn + c_fn
        if any(y_test):
            p = c_tp / (c_tp + c_fp) if c_tp + c_fp else 1.0
            r = c_tp / (c_tp + c_fn)
            f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    da_model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)
    da_model.fit(x_train, [row.domestic_abuse for row in dev])
    da_predicted = da_model.predict(x_test)
    elapsed = time.process_time() - started
    da_correct = sum(p == row.domestic_abuse for p, row in zip(da_predicted, heldout, strict=True))
    return {
        "macro_f1": sum(f1s) / len(f1s),
        "micro_precision": tp / (tp + fp) if tp + fp else 1.0,
        "micro_recall": tp / (tp + fn) if tp + fn else 1.0,
        "da_accuracy": da_correct / len(heldout),
        "cpu_ms_per_transcript": elapsed * 1000 / len(heldout),
    }


def main() -> None:
    dev = load_labelled(DATA / "dev.jsonl")
    heldout = load_labelled(DATA / "heldout.jsonl")
    results: dict[str, dict[str, float] | None] = {}
    results["rules + scope + vetoes + Q/A (shipped)"] = score_rules(heldout)
    no_scope = mock.patch.object(engine, "_out_of_scope", lambda *a, **k: False)
    no_veto = mock.patch.object(engine, "_vetoed", lambda *a, **k: False)
    with no_scope, no_veto:
        results["same rules, no scope or vetoes (keywords)"] = score_rules(heldout)
    with mock.patch("heard.signals.cues.detector.answer_hits", lambda *a, **k: []):
        results["rules + scope + vetoes, no Q/A pairing"] = score_rules(heldout)
    results["TF-IDF + logistic regression (trained on dev)"] = score_classifier(dev, heldout)
    print("| method | macro F1 | micro P | micro R | DA accuracy | CPU ms/transcript |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, row in results.items():
        if row is None:
            print(f"| {name} | scikit-learn not installed | | | | |")
            continue
        print(
            f"| {name} | {row['macro_f1']:.3f} | {row['micro_precision']:.3f} | "
            f"{row['micro_recall']:.3f} | {row['da_accuracy']:.3f} | "
            f"{row['cpu_ms_per_transcript']:.2f} |"
        )
    print(json.dumps({"dev": len(dev), "heldout": len(heldout)}))


if __name__ == "__main__":
    main()
