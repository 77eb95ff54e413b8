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
    |     input.field_report         a field-report submission that cannot be one (no _uuid, no text ...)
    |     input.extraction           a stored extraction (``Extraction.to_dict()``) that cannot be read back
    |     input.feed_malformed       a watched feed that is not RSS or Atom (not XML, an HTML page ...)
    +-- FetchError                   a URL could not be fetched
    |     fetch.http_status, fetch.timeout, fetch.too_large,
    |     fetch.network, fetch.content_type, fetch.bad_url
    +-- ConfigError                  a setting or option is wrong
    |     config.unknown_setting, config.invalid_value, config.model_missing,
    |     config.actors_file, config.unknown_event_type,
    |     export.unknown_format      an export format name that write_export does not know
    |     batch.manifest             a batch folder of other inputs or another partition size
    +-- GazetteerError               the place index is missing or broken
    |     gazetteer.build_failed, gazetteer.corrupt
    +-- EvidenceMismatch             an extracted quote differs from text[start:end]
    |     extract.evidence_mismatch
    +-- EvaluationError              an evaluation file or its floors cannot be used
    |     eval.bad_file, eval.no_floors, eval.floors_file
    +-- StoreError                   the database cannot be used, or refuses a change
          store.bad_url, store.not_found, store.corrupt, store.unavailable,
          store.unreachable, store.schema_old, store.schema_newer,
          store.unknown_incident     no incident with that id (or mention key)
          store.bad_regroup          a split or merge that cannot be made
          store.bad_review           a review status that does not exist, or no reason
          store.bad_correction       a field that cannot be corrected, or a value it cannot take
          store.bad_user             a bad user name, role or clearance, or one that exists
          store.unknown_user         no user of that name
          store.bad_level            a sensitivity that is not public, restricted or confidential

Expected outcomes (a document that is too short, a duplicate) are values, not
exceptions. The CLI prints ``error [code]: message`` and exits non-zero.

At the web edge only (``serve/app.py``), codes that are not ``SitrepError``s but
leave in the same error shape, ``{"error": {"code", "message", "status"}}``::

    auth.required (401), auth.bad_header (401), auth.bad_token (401),
    auth.forbidden (403), request.invalid (422), request.bad_cursor (400),
    request.not_found (404), request.method_not_allowed (405),
    request.http (the status of another HTTP error), server.error (500),
    store.unknown_document (404), store.unknown_report (404)

(the last two: no document, or field report, that the caller may see).

There a ``SitrepError`` gets the status ``serve.app.STATUS_OF_CODE`` gives it,
else 422 for ``input.*``, 502 for ``fetch.*`` and 400 for the rest.
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
