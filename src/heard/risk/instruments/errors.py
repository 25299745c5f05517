"""Input errors that name the field at fault, for the CLI's stderr and the API's problem details."""

from __future__ import annotations

import json
import re

from heard.errors import Invalid


def key(name: str) -> str:
    """A key as it appears in a field path; odd ones (empty, dotted, spaced) are quoted."""
    return name if re.fullmatch(r"[A-Za-z0-9_]+", name) else json.dumps(name)


class RiskInputError(Invalid):
    """Something in an assessment request is wrong; `field` is a dotted path such as `answers.7`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", errors=[{"field": field, "message": message}])
        self.field = field
        self.message = message


class InstrumentDefinitionError(ValueError):
    """An instrument or policy data file is malformed; raised at load time, never mid-assessment."""
