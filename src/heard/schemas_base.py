"""Base for every API input: unknown fields are refused, strings are bounded."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, str_max_length=10_000)


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)
