"""sitrep's exceptions. Every one carries a stable, greppable ``code``.

The tree::

    SitrepError                      base; ``code`` and ``message``
    +-- InputError                   the input cannot be read as a report
    |     input.not_found            path does not exist
    |     input.unreadable           path exists but cannot be read (permissions, removed mid-run)
    |     input.empty                nothing but white space
    |     input.binary               bytes that are not text (NUL bytes, images ...)
    |     input.encoding             not valid UTF-8
    |     input.too_large            over the ``max_input_bytes`` setting
    |     input.html_no_body         HTML page with no extractable body text
    |     input.jsonl_malformed      a JSON Lines row that is not a JSON object
    |     input.jsonl_no_text        a JSON Lines row with neither "text" nor "html"
    |     input.published_invalid    a publication time that cannot be parsed
    +-- FetchError                   a URL could not be fetched
    |     fetch.http_status, fetch.timeout, fetch.too_large,
    |     fetch.network, fetch.content_type, fetch.bad_url
    +-- ConfigError                  a setting or option is wrong
    |     config.unknown_setting, config.invalid_value, config.model_missing,
    |     config.actors_file, config.unknown_event_type,
    |     export.unknown_format      an export format name that write_export does not know
    +-- GazetteerError               the place index is missing or broken
    |     gazetteer.build_failed, gazetteer.corrupt
    +-- EvidenceMismatch             an extracted quote differs from text[start:end]
    |     extract.evidence_mismatch
    +-- EvaluationError              an evaluation file or its floors cannot be used
    |     eval.bad_file, eval.no_floors, eval.floors_file
    +-- StoreError                   the database cannot be used
          store.bad_url, store.not_found, store.corrupt, store.unavailable,
          store.unreachable, store.schema_old, store.schema_newer

Expected outcomes (a document that is too short, a duplicate) are values, not
exceptions. The CLI prints ``error [code]: message`` and exits non-zero.
"""

from __future__ import annotations


class SitrepError(Exception):
    """Base of every sitrep error; ``code`` is stable across releases."""

    code: str = "sitrep.error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(SitrepError):
    code = "input.invalid"


class FetchError(SitrepError):
    code = "fetch.failed"


class ConfigError(SitrepError):
    code = "config.invalid_value"


class GazetteerError(SitrepError):
    code = "gazetteer.corrupt"


class EvidenceMismatch(SitrepError):
    code = "extract.evidence_mismatch"


class EvaluationError(SitrepError):
    code = "eval.bad_file"


class StoreError(SitrepError):
    code = "store.unavailable"


__all__ = [
    "ConfigError",
    "EvaluationError",
    "EvidenceMismatch",
    "FetchError",
    "GazetteerError",
    "InputError",
    "SitrepError",
]
