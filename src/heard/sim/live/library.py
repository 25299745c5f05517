"""Loading scenario files: the bundled ones under `heard/sim/scenarios/`, or any YAML file."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from heard.sim.live.schema import STEP_KINDS, Scenario

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


class ScenarioError(ValueError):
    """A scenario file that cannot be played; the message names the file and each problem."""


def load_file(path: Path) -> Scenario:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path}: expected a mapping with name, title, description, timeline")
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(_describe(path, exc)) from exc
    if scenario.name != path.stem:
        raise ScenarioError(
            f"{path}: name '{scenario.name}' must match the file name '{path.stem}'"
        )
    return scenario


def _describe(path: Path, exc: ValidationError) -> str:
    lines = [f"{path}: {exc.error_count()} problem(s):"]
    for error in exc.errors():
        loc = [str(p) for p in error["loc"]]
        if len(loc) > 2 and loc[0] == "timeline" and loc[2] in STEP_KINDS:
            # The union's tag names the kind of step; show it as such, not as a field.
            loc[1:3] = [f"{loc[1]}[{loc[2]}]"]
        where = ".".join(loc) or "(top level)"
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"  - {where}: {message}")
    return "\n".join(lines)


def bundled_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def load_bundled() -> list[Scenario]:
    return [load_file(SCENARIO_DIR / f"{name}.yaml") for name in bundled_names()]


def load_named(names: list[str]) -> list[Scenario]:
    """Bundled scenarios by name, or scenario files by path; unknown names are an error."""
    found = []
    for name in names:
        path = Path(name)
        if path.suffix in (".yaml", ".yml") and path.exists():
            found.append(load_file(path))
            continue
        bundled = SCENARIO_DIR / f"{name}.yaml"
        if not bundled.exists():
            known = ", ".join(bundled_names())
            raise ScenarioError(f"no scenario '{name}'; bundled scenarios: {known}")
        found.append(load_file(bundled))
    return found
