from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from tests.deliver.support import small_film
from typer.testing import CliRunner

from storyreel.cli import app
from storyreel.deliver import load_exporter
from storyreel.deliver.signing import CHAIN_FILE, KEY_FILE, make_chain
from storyreel.deliver.verify import verify


def flip_byte_in_mdat(path: Path) -> None:
    """Change one byte of the picture data (inside the `mdat` box)."""
    data = bytearray(path.read_bytes())
    at = data.find(b"mdat")
    assert at > 0
    middle = at + 4 + (len(data) - at) // 4
    data[middle] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_signed_film_validates_and_names_what_made_each_shot(
    tmp_path: Path, config_dir: Path
) -> None:
    request = small_film(tmp_path)
    assert load_exporter("c2pa").export(request) == [request.film]

    found = verify(request.film)
    assert found.status == "valid" and found.exit_code == 0, found.problems
    assert found.generator is not None and found.generator.startswith("storyreel ")
    assert found.source_type == "algorithmicMedia"  # previs drawings, not a trained model
    assert not found.trusted  # the installation's own chain
    shots = found.film["shots"]
    assert [(s["shot"], s["engine"], s["seed"]) for s in shots] == [
        ("1", "previs", 1),
        ("2", "previs", 2),
    ]
    assert shots[0]["take"] == "key1" * 8 and len(shots[0]["take_sha256"]) == 64
    assert found.film["storyboard"] == "ab" * 32
    # The key was made on first use, readable by the user alone, and is used again.
    key = config_dir / KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    chain = (config_dir / CHAIN_FILE).read_bytes()
    again = small_film(tmp_path / "again")
    load_exporter("c2pa").export(again)
    assert (config_dir / CHAIN_FILE).read_bytes() == chain
    assert verify(again.film).signer == found.signer


def test_a_generative_engine_is_declared_trained_algorithmic_media(tmp_path: Path) -> None:
    request = small_film(tmp_path)
    load_exporter("c2pa", {"drawn_engines": []}).export(request)
    assert verify(request.film).source_type == "trainedAlgorithmicMedia"


def test_verify_exits_0_valid_1_altered_2_unsigned(tmp_path: Path) -> None:
    request = small_film(tmp_path)
    runner = CliRunner()
    unsigned = runner.invoke(app, ["verify", str(request.film)])
    assert unsigned.exit_code == 2, unsigned.output
    assert "no C2PA manifest" in unsigned.output

    load_exporter("c2pa").export(request)
    valid = runner.invoke(app, ["verify", str(request.film), "--json"])
    assert valid.exit_code == 0, valid.output
    report = json.loads(valid.output)
    assert report["status"] == "valid" and len(report["shots"]) == 2

    flip_byte_in_mdat(request.film)
    altered = runner.invoke(app, ["verify", str(request.film)])
    assert altered.exit_code == 1, altered.output
    assert "ALTERED" in altered.output and "problem:" in altered.output


def test_the_users_own_certificate_signs_when_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config_dir: Path
) -> None:
    chain, key = make_chain("Acme Films")
    (tmp_path / "chain.pem").write_bytes(chain)
    (tmp_path / "key.pem").write_bytes(key)
    monkeypatch.setenv("STORYREEL_C2PA_CERT", str(tmp_path / "chain.pem"))
    monkeypatch.setenv("STORYREEL_C2PA_KEY", str(tmp_path / "key.pem"))
    request = small_film(tmp_path / "film")
    load_exporter("c2pa").export(request)
    found = verify(request.film)
    assert found.status == "valid" and found.signer is not None and "Acme Films" in found.signer
    assert not (config_dir / KEY_FILE).exists()  # no installation key was made


def test_half_a_signing_identity_is_refused_with_what_to_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORYREEL_C2PA_CERT", str(tmp_path / "chain.pem"))
    request = small_film(tmp_path)
    with pytest.raises(Exception, match="give both"):
        load_exporter("c2pa").export(request)
