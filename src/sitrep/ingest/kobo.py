"""KoboToolbox-style submissions (JSON keyed by ``_uuid``) to :class:`FieldReport`.

Only the fields below are kept; anything else in the submission is dropped and
named in ``ignored`` (a form may carry personal data under names sitrep does not
know, and unknown data is not stored). Group prefixes (``group_x/text``) are
ignored when matching names.

======================  ==============================================
field                   becomes
======================  ==============================================
``_uuid`` (or
``meta/instanceID``)    the submission id (``uuid:`` prefix dropped)
``text``, ``report``,
``narrative``,
``description``         the report text (first one present)
``title``               the title
``sensitivity``         public, restricted or confidential
``_submission_time``,
``end``                 when it was submitted
``_xform_id_string``    the form
``_geolocation``,
``location``, ``gps``   where it was made: [lat, lon] or "lat lon ..."
``author_name``,
``_submitted_by``       the author (personal data)
``witness_name(s)``     witnesses (personal data)
``informant_name``      the informant (personal data)
``contact``, ``phone``  a contact (personal data)
======================  ==============================================
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sitrep.errors import InputError
from sitrep.model.access import LEVELS
from sitrep.model.fieldreports import FieldReport

TEXT_FIELDS = ("text", "report", "narrative", "description")
PERSONAL_FIELDS = {
    "author_name": "author",
    "_submitted_by": "author",
    "witness_name": "witness",
    "witness_names": "witness",
    "informant_name": "informant",
    "contact": "contact",
    "phone": "contact",
}
LOCATION_FIELDS = ("_geolocation", "location", "gps")
KNOWN = {
    *TEXT_FIELDS,
    *PERSONAL_FIELDS,
    *LOCATION_FIELDS,
    "_uuid",
    "instanceid",
    "title",
    "sensitivity",
    "_submission_time",
    "end",
    "_xform_id_string",
}
# Bookkeeping fields of the tool itself: not report data, dropped without mention
TOOL_FIELDS = {"_id", "formhub/uuid", "__version__", "_status", "_attachments", "_tags", "_notes", "_validation_status",
               "start", "today", "deviceid", "meta/deprecatedid", "_version_", "_bamboo_dataset_id"}  # fmt: skip
MAX_TEXT = 100_000


def parse_submission(payload: Any, *, default_sensitivity: str = "restricted") -> FieldReport:
    """One submission; ``InputError`` (``input.field_report``) when it cannot be a field report."""
    if not isinstance(payload, Mapping):
        raise InputError("a field report must be a JSON object", code="input.field_report")
    fields: dict[str, Any] = {}
    ignored: list[str] = []
    for raw_key, value in payload.items():
        key = str(raw_key)
        short = key.rsplit("/", 1)[-1].lower() if key.lower() not in TOOL_FIELDS else key.lower()
        if key.lower() in TOOL_FIELDS:
            continue
        if short in KNOWN:
            fields.setdefault(short, value)
        else:
            ignored.append(key)

    uuid = _text(fields.get("_uuid") or fields.get("instanceid"), "_uuid")
    if not uuid:
        raise InputError("the submission has no _uuid (or meta/instanceID)", code="input.field_report")
    uuid = uuid.removeprefix("uuid:").strip()
    if len(uuid) > 64:
        raise InputError("the submission's _uuid is longer than 64 characters", code="input.field_report")
    text = next((t for f in TEXT_FIELDS if (t := _text(fields.get(f), f))), None)
    if not text:
        raise InputError(
            f"submission {uuid} has no report text (one of: {', '.join(TEXT_FIELDS)})", code="input.field_report"
        )
    if len(text) > MAX_TEXT:
        raise InputError(f"submission {uuid}: the text is over {MAX_TEXT:,} characters", code="input.field_report")
    sensitivity = (_text(fields.get("sensitivity"), "sensitivity") or default_sensitivity).lower()
    if sensitivity not in LEVELS:
        raise InputError(
            f"submission {uuid}: sensitivity {sensitivity!r} is not one of {', '.join(LEVELS)}",
            code="input.field_report",
        )
    lat, lon = _location(next((fields[f] for f in LOCATION_FIELDS if fields.get(f) not in (None, "")), None), uuid)
    personal: list[tuple[str, str]] = []
    for field, kind in PERSONAL_FIELDS.items():
        value = _text(fields.get(field), field)
        if value:
            personal.extend((kind, v.strip()) for v in value.split(";" if ";" in value else "\n") if v.strip())
    return FieldReport(
        uuid=uuid,
        text=text,
        title=_text(fields.get("title"), "title"),
        form_id=_text(fields.get("_xform_id_string"), "_xform_id_string"),
        submitted_at=_text(fields.get("_submission_time") or fields.get("end"), "_submission_time"),
        sensitivity=sensitivity,
        lat=lat,
        lon=lon,
        personal=tuple(dict.fromkeys(personal)),
        ignored=tuple(sorted(ignored)),
    )


def _text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(f"field {field!r} must be text", code="input.field_report")
    if isinstance(value, str) and "\x00" in value:
        raise InputError(f"field {field!r} holds a NUL character", code="input.field_report")
    return str(value).strip() or None


def _location(value: Any, uuid: str) -> tuple[float | None, float | None]:
    if value is None:
        return None, None
    parts: list[Any]
    if isinstance(value, list | tuple):
        parts = list(value)
    elif isinstance(value, str):
        parts = value.split()
    else:
        raise InputError(f"submission {uuid}: the location must be [lat, lon] or 'lat lon'", code="input.field_report")
    if len(parts) < 2 or parts[0] is None or parts[1] is None:
        return None, None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except (TypeError, ValueError):
        raise InputError(f"submission {uuid}: the location is not numeric", code="input.field_report") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"submission {uuid}: the location is out of range", code="input.field_report")
    return lat, lon
