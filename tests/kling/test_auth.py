"""Kling tokens: what issue_token signs, and what verify_token refuses."""

from __future__ import annotations

import base64
import json

import jwt
import pytest

from storyreel.kling.auth import (
    TokenBadSignature,
    TokenError,
    TokenExpired,
    TokenMalformed,
    TokenMissing,
    TokenNotYetValid,
    TokenSource,
    TokenUnknownIssuer,
    bearer_token,
    issue_token,
    verify_token,
)
from storyreel.kling.schemas import KlingCode

AK = "ak-test-0001"
SK = "sk-test-secret-0123456789abcdef0123456789"
SECRETS = {AK: SK}
NOW = 1_750_000_000


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_token_header_and_claims_follow_the_docs() -> None:
    token = issue_token(AK, SK, now=NOW)
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(
        token, SK, algorithms=["HS256"], options={"verify_exp": False, "verify_nbf": False}
    )
    assert claims == {"iss": AK, "exp": NOW + 1800, "nbf": NOW - 5}


def test_verify_accepts_a_fresh_token_across_its_lifetime() -> None:
    token = issue_token(AK, SK, now=NOW)
    for moment in (NOW - 5, NOW, NOW + 1799):
        claims = verify_token(token, SECRETS, now=moment)
        assert claims.access_key == AK
        assert (claims.not_before, claims.expires_at) == (NOW - 5, NOW + 1800)


def test_expired_and_not_yet_valid_tokens_are_refused_with_their_codes() -> None:
    token = issue_token(AK, SK, now=NOW)
    with pytest.raises(TokenExpired, match="expired") as expired:
        verify_token(token, SECRETS, now=NOW + 1800)
    assert expired.value.code == KlingCode.token_expired
    assert int(expired.value.code) == 1004
    with pytest.raises(TokenNotYetValid, match="clock") as early:
        verify_token(token, SECRETS, now=NOW - 6)
    assert early.value.code == KlingCode.token_not_yet_valid
    assert int(early.value.code) == 1003
    # A server may allow for clock skew.
    assert verify_token(token, SECRETS, now=NOW + 1810, leeway=30).access_key == AK


def test_tampered_claims_fail_the_signature() -> None:
    header, _, signature = issue_token(AK, SK, now=NOW).split(".")
    longer = _b64({"iss": AK, "exp": NOW + 999_999, "nbf": NOW - 5})
    with pytest.raises(TokenBadSignature, match="signature") as caught:
        verify_token(f"{header}.{longer}.{signature}", SECRETS, now=NOW)
    assert caught.value.code == KlingCode.auth_invalid


def test_a_token_signed_with_another_secret_is_refused() -> None:
    forged = issue_token(AK, "sk-someone-else-0123456789abcdef012345", now=NOW)
    with pytest.raises(TokenBadSignature):
        verify_token(forged, SECRETS, now=NOW)


def test_unknown_issuer_is_refused() -> None:
    token = issue_token("ak-nobody", SK, now=NOW)
    with pytest.raises(TokenUnknownIssuer, match="ak-nobody") as caught:
        verify_token(token, SECRETS, now=NOW)
    assert caught.value.code == KlingCode.auth_failed


def test_unsigned_and_garbage_tokens_are_malformed() -> None:
    unsigned = _b64({"alg": "none", "typ": "JWT"}) + "." + _b64({"iss": AK}) + "."
    with pytest.raises(TokenMalformed, match="HS256"):
        verify_token(unsigned, SECRETS, now=NOW)
    with pytest.raises(TokenMalformed):
        verify_token("not-a-token", SECRETS, now=NOW)
    with pytest.raises(TokenMissing):
        verify_token("", SECRETS, now=NOW)


def test_claims_must_be_present_and_numeric() -> None:
    no_exp = jwt.encode({"iss": AK, "nbf": NOW}, SK, algorithm="HS256")
    with pytest.raises(TokenMalformed, match="'exp'"):
        verify_token(no_exp, SECRETS, now=NOW)


def test_bearer_header_parsing() -> None:
    assert bearer_token("Bearer abc.def.ghi") == "abc.def.ghi"
    with pytest.raises(TokenMissing) as missing:
        bearer_token(None)
    assert missing.value.code == KlingCode.auth_empty
    for bad in ("abc.def.ghi", "Basic abc", "Bearer "):
        with pytest.raises(TokenMalformed):
            bearer_token(bad)


def test_empty_keys_are_a_clear_error() -> None:
    with pytest.raises(TokenError, match="access key is empty"):
        issue_token("", SK)
    with pytest.raises(TokenError, match="secret key"):
        issue_token(AK, " padded ")


def test_token_source_reuses_a_token_until_near_expiry() -> None:
    clock = [float(NOW)]
    source = TokenSource(AK, SK, clock=lambda: clock[0])
    first = source.token()
    clock[0] += 1000
    assert source.token() == first
    # Within the last minute of its life a new one is issued.
    clock[0] = NOW + 1800 - 30
    second = source.authorization()
    assert second.startswith("Bearer ") and second != f"Bearer {first}"
    assert verify_token(bearer_token(second), SECRETS, now=clock[0]).expires_at == clock[0] + 1800
