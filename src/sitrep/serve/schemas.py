"""Pydantic models at the API's edge: request bodies, and the shapes in the OpenAPI document."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    """A request body: no unknown fields, no NUL characters anywhere (PostgreSQL text cannot hold them)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _no_nul(self) -> Strict:
        if _has_nul(self.model_dump()):
            raise ValueError("NUL characters are not allowed")
        return self


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class ErrorDetail(BaseModel):
    code: str = Field(description="stable, greppable error code (docs/errors.md)")
    message: str
    status: int


class ErrorBody(BaseModel):
    error: ErrorDetail


class Page(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; null on the last page")


class Health(BaseModel):
    status: Literal["ok"]
    schema_revision: str | None


class Me(BaseModel):
    name: str
    role: str | None
    clearance: str
    permissions: list[str]


class ReviewBody(Strict):
    status: Literal["provisional", "verified", "unverifiable", "rejected"]
    reason: str = Field(min_length=1, max_length=2000)


class CorrectionBody(Strict):
    field: Literal[
        "type", "location_name", "admin1", "country_code", "lat", "lon", "precision", "date_start", "date_end", "deaths"
    ]
    value: Any = Field(description="the corrected value (null: unknown); see docs/api.md for each field's shape")
    reason: str = Field(min_length=1, max_length=2000)


class SplitBody(Strict):
    keys: list[str] = Field(min_length=1, max_length=1000, description="mention keys to take out")
    reason: str = Field(min_length=1, max_length=2000)


class MergeBody(Strict):
    ids: list[str] = Field(min_length=2, max_length=100)
    reason: str = Field(min_length=1, max_length=2000)


class DocumentBody(Strict):
    text: str | None = Field(default=None, max_length=5_000_000)
    html: str | None = Field(default=None, max_length=5_000_000)
    url: str | None = Field(
        default=None, max_length=2000, description="where the report is; fetched when no text or html is given"
    )
    title: str | None = Field(default=None, max_length=1000)
    outlet: str | None = Field(default=None, max_length=300)
    published_at: str | None = Field(default=None, max_length=40)
    sensitivity: Literal["public", "restricted", "confidential"] = "public"


class Stored(BaseModel):
    document_id: str
    outcome: Literal["new", "updated", "unchanged", "duplicate"]
    events: int
    claims: int
    incidents: list[str]
    ignored_fields: list[str] = []


class UserBody(Strict):
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")
    role: Literal["viewer", "observer", "analyst", "admin"]
    clearance: Literal["public", "restricted", "confidential"] | None = None


class TokenBody(Strict):
    label: str | None = Field(default=None, max_length=200)


class Token(BaseModel):
    user: str
    token: str = Field(description="shown once; only its hash is kept")


class User(BaseModel):
    name: str
    role: str
    clearance: str
    created_at: str
    tokens: int


class Purged(BaseModel):
    reports: int
