"""Reading a case history or a rules configuration from a file, with errors a person can act on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from heard.review.rules.case import CaseHistory
from heard.review.rules.config import RulesConfig, RulesConfigError


class CaseInputError(ValueError):
    """A case file that cannot be used; the message names the field."""


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys; a record given twice must not pass silently.
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def read_json(path: Path) -> Any:
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseInputError("is not UTF-8 text") from None
    except OSError as exc:
        raise CaseInputError(f"cannot be read: {exc.strerror or exc}") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
        raise CaseInputError(f"key {exc.args[0]!r} appears twice in one object") from None
    except json.JSONDecodeError as exc:
        raise CaseInputError(
            f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None


def describe(exc: ValidationError, limit: int = 5) -> str:
    parts = []
    for error in exc.errors()[:limit]:
        where = ".".join(str(p) for p in error["loc"]) or "(document)"
        parts.append(f"{where}: {error['msg']}")
    more = len(exc.errors()) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def parse_case(document: Any) -> CaseHistory:
    if not isinstance(document, dict):
        raise CaseInputError("a case history is a JSON object (see docs/review.md)")
    try:
        return CaseHistory.model_validate(document)
    except ValidationError as exc:
        raise CaseInputError(describe(exc)) from None


def load_case(path: Path) -> CaseHistory:
    return parse_case(read_json(path))


def load_config(path: Path) -> RulesConfig:
    """A JSON or YAML configuration: {"defaults": {...}, "forces": {"WMP": {...}}}."""
    try:
        text = path.read_text("utf-8-sig")
        document = yaml.safe_load(text) if path.suffix in {".yaml", ".yml"} else json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise RulesConfigError(f"cannot read {path}: {exc}") from None
    if document is not None and not isinstance(document, dict):
        raise RulesConfigError("a configuration is an object with defaults and forces")
    return RulesConfig(document)
