"""Base for every API input: unknown fields are refused, strings are bounded."""

from __future__ import annotations

from fastapi import Response
from pydantic import BaseModel, ConfigDict


class StrictInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, str_max_length=10_000)


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def json_response(model: BaseModel, *, status_code: int = 200) -> Response:
    """The model as JSON, sent as it is. A returned model would be validated a second time
    against the route's `response_model` (for a sync route, after a round trip through the
    thread pool); this one was validated when it was built. The route keeps `response_model`
    for its documentation."""
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json")
