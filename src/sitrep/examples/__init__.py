"""Built-in example reports, written for sitrep (fictional outlets, example.org URLs)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import yaml

from sitrep.errors import SitrepError
from sitrep.ingest import document_from_html, document_from_text
from sitrep.model import Document, Failure


def load_examples() -> Iterator[Document | Failure]:
    """The examples listed in ``manifest.yaml`` as documents."""
    folder = resources.files(__name__)
    manifest = yaml.safe_load(folder.joinpath("manifest.yaml").read_text(encoding="utf-8"))
    for entry in manifest:
        name = entry["file"]
        text = folder.joinpath(name).read_text(encoding="utf-8")
        published = entry.get("published")
        try:
            if name.endswith(".html"):
                yield document_from_html(text, url=entry.get("url"), published_at=published, source=name)
            else:
                yield document_from_text(
                    text,
                    published_at=published,
                    url=entry.get("url"),
                    title=entry.get("title"),
                    outlet=entry.get("outlet"),
                    source=name,
                )
        except SitrepError as exc:
            yield Failure(name, "ingest", exc.code, exc.message)
