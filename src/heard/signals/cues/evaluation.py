"""Score the detector against labelled transcripts: per-cue precision/recall, DA accuracy."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from heard.signals.cues.detector import CueDetector
from heard.signals.cues.taxonomy import CueCode


@dataclass(frozen=True, slots=True)
class Labelled:
    id: str
    transcript: str
    domestic_abuse: bool
    cues: frozenset[str]
    relationship: str | None


@dataclass(frozen=True, slots=True)
class CueScore:
    code: str
    support: int
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    items: int = 0
    da_correct: int = 0
    relationship_correct: int = 0
    per_cue: dict[str, CueScore] = field(default_factory=dict)
    mistakes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def da_accuracy(self) -> float:
        return self.da_correct / self.items if self.items else 0.0

    @property
    def relationship_accuracy(self) -> float:
        return self.relationship_correct / self.items if self.items else 0.0

    @property
    def macro_f1(self) -> float:
        scored = [score.f1 for score in self.per_cue.values() if score.support]
        return sum(scored) / len(scored) if scored else 0.0

    @property
    def micro(self) -> tuple[float, float]:
        tp = sum(s.true_positives for s in self.per_cue.values())
        fp = sum(s.false_positives for s in self.per_cue.values())
        fn = sum(s.false_negatives for s in self.per_cue.values())
        return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def load_labelled(path: Path) -> list[Labelled]:
    rows: list[Labelled] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            rows.append(
                Labelled(
                    id=str(raw["id"]),
                    transcript=raw["transcript"],
                    domestic_abuse=bool(raw["domestic_abuse"]),
                    cues=frozenset(raw["cues"]),
                    relationship=raw.get("relationship"),
                )
            )
    return rows


def evaluate(rows: Iterable[Labelled], detector: CueDetector | None = None) -> Report:
    detector = detector or CueDetector()
    report = Report()
    counts = {code.value: [0, 0, 0, 0] for code in CueCode}  # support, tp, fp, fn
    for row in rows:
        result = detector.detect_transcript(row.transcript)
        predicted = set(result.codes())
        report.items += 1
        report.da_correct += result.domestic_abuse == row.domestic_abuse
        relationship = result.relationship.value if result.relationship else None
        report.relationship_correct += relationship == row.relationship
        for code, tally in counts.items():
            tally[0] += code in row.cues
            tally[1] += code in row.cues and code in predicted
            tally[2] += code in predicted and code not in row.cues
            tally[3] += code in row.cues and code not in predicted
        if predicted != row.cues or result.domestic_abuse != row.domestic_abuse:
            report.mistakes.append(
                {
                    "id": row.id,
                    "missed": sorted(row.cues - predicted),
                    "extra": sorted(predicted - row.cues),
                    "domestic_abuse": [row.domestic_abuse, result.domestic_abuse],
                    "relationship": [row.relationship, relationship],
                }
            )
    report.per_cue = {code: CueScore(code, *tally) for code, tally in counts.items()}
    return report


def format_report(report: Report) -> str:
    lines = [
        "| cue | support | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|",
    ]
    for score in sorted(report.per_cue.values(), key=lambda s: s.code):
        lines.append(
            f"| {score.code} | {score.support} | {score.precision:.2f} | {score.recall:.2f} "
            f"| {score.f1:.2f} |"
        )
    micro_p, micro_r = report.micro
    lines += [
        "",
        f"transcripts: {report.items}",
        f"macro F1 over cues with support: {report.macro_f1:.3f}",
        f"micro precision / recall: {micro_p:.3f} / {micro_r:.3f}",
        f"domestic abuse accuracy: {report.da_accuracy:.3f}",
        f"relationship accuracy: {report.relationship_accuracy:.3f}",
    ]
    return "\n".join(lines)
