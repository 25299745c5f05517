"""Loading instrument definitions: the packaged ones plus any a force adds (DARA, variants)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from heard.risk.instruments.errors import InstrumentDefinitionError
from heard.risk.instruments.schema import Instrument, Item

PACKAGED = "definitions"
# An item copied from the base instrument takes everything but its id from there; the variant may
# still override the fields below (the SafeLives form re-numbers ACPO items and tags them itself).
_OVERRIDABLE = ("group", "question", "confidence", "note", "cues", "history", "prompts_judgement")


class Catalogue:
    """Every loaded version of every instrument; `get` without a version gives the newest."""

    def __init__(self, instruments: Iterable[Instrument]) -> None:
        self._versions: dict[str, dict[int, Instrument]] = {}
        for instrument in instruments:
            versions = self._versions.setdefault(instrument.id, {})
            if instrument.version in versions:
                raise InstrumentDefinitionError(
                    f"{instrument.id} version {instrument.version} is defined twice"
                )
            versions[instrument.version] = instrument
        self._check_references()

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._versions))

    def get(self, instrument_id: str, version: int | None = None) -> Instrument | None:
        versions = self._versions.get(instrument_id)
        if not versions:
            return None
        return versions[max(versions)] if version is None else versions.get(version)

    def _check_references(self) -> None:
        for versions in self._versions.values():
            for instrument in versions.values():
                for item in instrument.items:
                    missing = [ref for ref in item.follow_up if ref not in self._versions]
                    if missing:
                        raise InstrumentDefinitionError(
                            f"{instrument.id} item {item.id}: follow-up {missing} is not defined"
                        )


def _read_yaml(text: str, origin: str) -> dict[str, Any]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InstrumentDefinitionError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise InstrumentDefinitionError(f"{origin}: expected a mapping at the top level")
    return document


def _packaged_documents() -> list[tuple[str, dict[str, Any]]]:
    folder = resources.files("heard.risk.instruments").joinpath(PACKAGED)
    return [
        (entry.name, _read_yaml(entry.read_text("utf-8"), entry.name))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith((".yaml", ".yml"))
    ]


def _directory_documents(folder: Path) -> list[tuple[str, dict[str, Any]]]:
    if not folder.is_dir():
        raise InstrumentDefinitionError(f"{folder}: not a directory")
    paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    return [(str(path), _read_yaml(path.read_text("utf-8"), str(path))) for path in paths]


def _resolve_item(raw: Mapping[str, Any], base: Instrument | None, origin: str) -> dict[str, Any]:
    if "same_as" not in raw:
        return dict(raw)
    if base is None:
        raise InstrumentDefinitionError(f"{origin}: same_as needs the instrument to set based_on")
    source: Item | None = base.item(str(raw["same_as"]))
    if source is None:
        raise InstrumentDefinitionError(
            f"{origin}: item {raw.get('id')} copies {base.id} item {raw['same_as']}, "
            "which does not exist"
        )
    resolved = source.model_dump()
    resolved.update({key: value for key, value in raw.items() if key != "same_as"})
    unexpected = set(raw) - {"id", "same_as", *_OVERRIDABLE}
    if unexpected:
        raise InstrumentDefinitionError(f"{origin}: item {raw.get('id')}: unexpected {unexpected}")
    return resolved


def _build(origin: str, document: dict[str, Any], built: Mapping[str, Instrument]) -> Instrument:
    base_id = document.get("based_on")
    base = built.get(base_id) if isinstance(base_id, str) else None
    if base_id is not None and base is None:
        raise InstrumentDefinitionError(f"{origin}: based_on {base_id!r} is not defined")
    raw_items = document.get("items")
    if not isinstance(raw_items, list) or not all(isinstance(i, dict) for i in raw_items):
        raise InstrumentDefinitionError(f"{origin}: items must be a list of mappings")
    items = [_resolve_item(raw, base, origin) for raw in raw_items]
    try:
        return Instrument.model_validate({**document, "items": items})
    except ValidationError as exc:
        raise InstrumentDefinitionError(f"{origin}: {exc}") from exc


def _build_all(documents: Sequence[tuple[str, dict[str, Any]]]) -> list[Instrument]:
    """Build bases before the variants that copy from them (newest version of each base)."""
    pending = list(documents)
    built: dict[str, Instrument] = {}
    done: list[Instrument] = []
    while pending:
        ready = [d for d in pending if d[1].get("based_on") in (None, *built)]
        if not ready:
            origin, document = pending[0]
            raise InstrumentDefinitionError(
                f"{origin}: based_on {document.get('based_on')!r} is not defined "
                "(or the definitions copy from each other in a circle)"
            )
        for entry in ready:
            instrument = _build(*entry, built)
            current = built.get(instrument.id)
            if current is None or current.version < instrument.version:
                built[instrument.id] = instrument
            done.append(instrument)
            pending.remove(entry)
    return done


def load_catalogue(extra_dirs: Sequence[Path] = ()) -> Catalogue:
    documents = _packaged_documents()
    for folder in extra_dirs:
        documents.extend(_directory_documents(folder))
    return Catalogue(_build_all(documents))


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    return load_catalogue()
