"""Kling's request authentication: short-lived HS256 JSON Web Tokens.

A caller holds an access key (public, names the account) and a secret key (signs). Each
request carries `Authorization: Bearer <token>`, where the token's header is
`{"alg": "HS256", "typ": "JWT"}` and its claims are `iss` (the access key), `exp` (when
it stops being valid, 30 minutes on) and `nbf` (from when it is valid: a few seconds in
the past, so a server whose clock runs a little behind still accepts it).

`issue_token` is the client's half, `verify_token` and `bearer_token` the server's;
`TokenSource` keeps a client supplied with fresh tokens. Every verification failure is
a `TokenError` carrying the Kling code a server answers it with.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import jwt

from storyreel.errors import StoryreelError
from storyreel.kling.schemas import KlingCode

ALGORITHM = "HS256"
HEADER = {"alg": ALGORITHM, "typ": "JWT"}
# Kling's documented lifetime and clock allowance.
LIFETIME = 1800
NOT_BEFORE_SLACK = 5
# The longest a server accepts a token to live (exp - now, and exp - iat): a token
# that leaks is then good for a day at most, whatever its maker asked for.
MAX_LIFETIME = 24 * 3600
# How far in the future a token's `iat` may be: clocks differ a little.
IAT_SLACK = 60
# A cached token is replaced this long before it expires, so a request never leaves
# with a token that runs out on the way.
REFRESH_MARGIN = 60


@dataclass(frozen=True)
class Claims:
    """A verified token's claims."""

    access_key: str
    expires_at: int
    not_before: int


class TokenError(StoryreelError):
    """A bearer token was refused; `code` is what a Kling server answers with."""

    code: ClassVar[KlingCode] = KlingCode.auth_failed


class TokenMissing(TokenError):
    code = KlingCode.auth_empty


class TokenMalformed(TokenError):
    code = KlingCode.auth_invalid


class TokenBadSignature(TokenError):
    code = KlingCode.auth_invalid


class TokenUnknownIssuer(TokenError):
    code = KlingCode.auth_failed


class TokenNotYetValid(TokenError):
    code = KlingCode.token_not_yet_valid


class TokenExpired(TokenError):
    code = KlingCode.token_expired


def _check_key(name: str, value: str) -> None:
    if not value or value != value.strip():
        raise TokenError(
            f"the Kling {name} is empty or has spaces around it; copy it again from the "
            "Kling developer console"
        )


def issue_token(
    access_key: str,
    secret_key: str,
    *,
    now: float | None = None,
    lifetime: int = LIFETIME,
) -> str:
    """A token for `access_key`, signed with `secret_key`, valid for `lifetime` seconds
    from `now` (the current time when None)."""
    _check_key("access key", access_key)
    _check_key("secret key", secret_key)
    if lifetime <= 0:
        raise ValueError(f"a token's lifetime must be positive, got {lifetime}")
    issued = int(time.time() if now is None else now)
    claims = {"iss": access_key, "exp": issued + lifetime, "nbf": issued - NOT_BEFORE_SLACK}
    return jwt.encode(claims, secret_key, algorithm=ALGORITHM, headers=HEADER)


def bearer_token(authorization: str | None) -> str:
    """The token in an `Authorization` header value ("Bearer <token>")."""
    if authorization is None or not authorization.strip():
        raise TokenMissing("no Authorization header; send 'Authorization: Bearer <token>'")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise TokenMalformed(
            "the Authorization header must be 'Bearer <token>', with one space between"
        )
    return token


def _int_claim(claims: Mapping[str, Any], name: str) -> int:
    value = claims.get(name)
    # bool is an int to Python, but never a time.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TokenMalformed(f"the token's {name!r} claim is missing or not a number")
    return int(value)


def verify_token(
    token: str,
    secrets_by_access_key: Mapping[str, str],
    *,
    now: float | None = None,
    leeway: float = 0,
) -> Claims:
    """Check `token` as a Kling server does: HS256, signed with the secret of the access
    key its `iss` names, and `nbf <= now < exp` (each widened by `leeway` seconds);
    then this server's own bounds: `exp` at most MAX_LIFETIME ahead, and `iat`, when
    given, not in the future and at most MAX_LIFETIME before `exp`."""
    if not token:
        raise TokenMissing("the bearer token is empty")
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise TokenMalformed(f"the bearer token is not a JSON Web Token ({exc})") from None
    if header.get("alg") != ALGORITHM:
        raise TokenMalformed(f"tokens must be signed with {ALGORITHM}, not {header.get('alg')!r}")
    issuer = unverified.get("iss")
    if not isinstance(issuer, str) or not issuer:
        raise TokenMalformed("the token has no 'iss' claim; it must be the access key")
    secret = secrets_by_access_key.get(issuer)
    if secret is None:
        raise TokenUnknownIssuer(f"no account has the access key {issuer!r}")
    try:
        # Times are checked below against `now`, so tests and servers can pin the clock.
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )
    except jwt.InvalidSignatureError:
        raise TokenBadSignature(
            "the token's signature does not match; sign it with the secret key that "
            f"belongs to access key {issuer!r}"
        ) from None
    except jwt.PyJWTError as exc:
        raise TokenMalformed(f"the bearer token cannot be read ({exc})") from None
    expires_at = _int_claim(claims, "exp")
    not_before = _int_claim(claims, "nbf")
    moment = time.time() if now is None else now
    if moment >= expires_at + leeway:
        raise TokenExpired(
            f"the token expired {moment - expires_at:.0f} s ago; issue a new one "
            "(tokens last 30 minutes)"
        )
    if moment < not_before - leeway:
        raise TokenNotYetValid(
            f"the token is not valid for another {not_before - moment:.0f} s; check this "
            "machine's clock"
        )
    if expires_at - moment > MAX_LIFETIME + leeway:
        raise TokenMalformed(
            f"the token's exp is {(expires_at - moment) / 3600:.0f} h away; this server "
            f"accepts tokens that last at most {MAX_LIFETIME // 3600} h (Kling's last 30 "
            "minutes)"
        )
    if "iat" in claims:
        issued = _int_claim(claims, "iat")
        if issued > moment + IAT_SLACK + leeway:
            raise TokenNotYetValid(
                f"the token's iat is {issued - moment:.0f} s in the future; check this "
                "machine's clock"
            )
        if expires_at - issued > MAX_LIFETIME:
            raise TokenMalformed(
                f"the token was issued to last {(expires_at - issued) / 3600:.0f} h; this "
                f"server accepts at most {MAX_LIFETIME // 3600} h"
            )
    return Claims(access_key=issuer, expires_at=expires_at, not_before=not_before)


class TokenSource:
    """Fresh tokens for one key pair: reuses one until shortly before it expires.

    Thread-safe, so one client can serve several render threads.
    """

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        *,
        lifetime: int = LIFETIME,
        clock: Callable[[], float] = time.time,
    ) -> None:
        _check_key("access key", access_key)
        _check_key("secret key", secret_key)
        if lifetime <= REFRESH_MARGIN:
            raise ValueError(f"a token's lifetime must exceed {REFRESH_MARGIN} s, got {lifetime}")
        self._access_key = access_key
        self._secret_key = secret_key
        self._lifetime = lifetime
        self._clock = clock
        self._lock = threading.Lock()
        self._token = ""
        self._expires_at = 0.0

    def token(self) -> str:
        with self._lock:
            now = self._clock()
            if now >= self._expires_at - REFRESH_MARGIN:
                self._token = issue_token(
                    self._access_key, self._secret_key, now=now, lifetime=self._lifetime
                )
                self._expires_at = int(now) + self._lifetime
            return self._token

    def authorization(self) -> str:
        """The `Authorization` header value."""
        return f"Bearer {self.token()}"
