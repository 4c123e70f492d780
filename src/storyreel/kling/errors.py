"""What goes wrong with Kling, as errors a user can act on.

`error_for(code, ...)` turns an answer's code into one of these classes; each says what
happened and what to do, and whether trying again later can help (`retryable`): only
rate limits, concurrency limits and the service's own failures are worth retrying.
"""

from __future__ import annotations

from typing import ClassVar

from storyreel.errors import EngineError
from storyreel.kling.schemas import CODES, KlingCode


class KlingError(EngineError):
    """Kling refused a request or failed a task."""

    retryable: ClassVar[bool] = False
    # What the user can do about it, appended to the service's own words.
    advice: ClassVar[str] = ""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        request_id: str = "",
        http_status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.code = code
        self.request_id = request_id
        self.http_status = http_status
        # Seconds the service asked us to wait (a Retry-After header), if it said.
        self.retry_after = retry_after
        self.detail = message
        parts = [f"Kling: {message}"]
        if code is not None:
            parts[0] += f" (code {code})"
        if self.advice:
            parts.append(self.advice)
        if request_id:
            parts.append(f"request id {request_id}")
        super().__init__("; ".join(parts))


class KlingAuthError(KlingError):
    advice = (
        "check the access and secret keys (KLING_ACCESS_KEY / KLING_SECRET_KEY by default) "
        "against the Kling developer console, and this machine's clock"
    )


class KlingAccountError(KlingError):
    advice = "check the Kling account's state and permissions in the Kling developer console"


class KlingResourcePackError(KlingAccountError):
    advice = (
        "the account's resource pack is used up or expired: buy more units in the Kling "
        "developer console, or render with another engine"
    )


class KlingBadRequestError(KlingError):
    advice = "fix the request: check the engine's options (model_name, mode, cfg_scale)"


class KlingPolicyError(KlingError):
    advice = "Kling's platform policy refused the request"


class KlingContentSafetyError(KlingPolicyError):
    advice = "Kling's content safety check refused the prompt or image; reword the shot"


class KlingRateLimitError(KlingError):
    retryable = True
    exit_code = 1
    advice = "too many requests; wait a little and make again, or lower the number of workers"


class KlingConcurrencyLimitError(KlingError):
    retryable = True
    exit_code = 1
    advice = (
        "the account runs as many tasks as its resource pack allows; render with fewer "
        "workers or wait for running tasks to finish"
    )


class KlingServerError(KlingError):
    retryable = True
    exit_code = 1
    advice = "Kling's service failed; try again later"


class KlingNetworkError(KlingError):
    """The service could not be reached, or the connection broke mid-answer."""

    retryable = True
    exit_code = 1
    advice = "check the network connection and the engine's base_url option"


class KlingTaskFailed(KlingError):
    """The task was accepted but ended in `failed`."""

    exit_code = 1
    advice = "the task failed on Kling's side; change the shot's prompt or try again"


class KlingTimeoutError(KlingError):
    exit_code = 1
    advice = "raise the engine's poll_timeout option, or try again when Kling is less busy"


class KlingProtocolError(KlingError):
    """The answer was not what Kling's API documents (wrong base_url, a proxy page)."""

    exit_code = 1
    advice = "check the engine's base_url option: it must point at a Kling API host"


_BY_CODE: dict[KlingCode, type[KlingError]] = {
    KlingCode.auth_failed: KlingAuthError,
    KlingCode.auth_empty: KlingAuthError,
    KlingCode.auth_invalid: KlingAuthError,
    KlingCode.token_not_yet_valid: KlingAuthError,
    KlingCode.token_expired: KlingAuthError,
    KlingCode.account_abnormal: KlingAccountError,
    KlingCode.account_in_arrears: KlingAccountError,
    KlingCode.resource_pack_used_up: KlingResourcePackError,
    KlingCode.no_permission: KlingAccountError,
    KlingCode.bad_request: KlingBadRequestError,
    KlingCode.bad_parameter: KlingBadRequestError,
    KlingCode.method_not_allowed: KlingBadRequestError,
    KlingCode.resource_not_found: KlingBadRequestError,
    KlingCode.policy_triggered: KlingPolicyError,
    KlingCode.content_safety: KlingContentSafetyError,
    KlingCode.rate_limited: KlingRateLimitError,
    KlingCode.concurrency_limited: KlingConcurrencyLimitError,
    KlingCode.ip_not_allowed: KlingPolicyError,
    KlingCode.server_error: KlingServerError,
    KlingCode.server_unavailable: KlingServerError,
    KlingCode.server_timeout: KlingServerError,
}


def error_class(code: int) -> type[KlingError]:
    """The error class for an answer's code; a code Kling added later falls into its
    family (10xx auth, 11xx account, 12xx request, 13xx policy, 5xxx server)."""
    try:
        return _BY_CODE[KlingCode(code)]
    except ValueError:
        families: list[tuple[range, type[KlingError]]] = [
            (range(1000, 1100), KlingAuthError),
            (range(1100, 1200), KlingAccountError),
            (range(1200, 1300), KlingBadRequestError),
            (range(1300, 1400), KlingPolicyError),
        ]
        for span, cls in families:
            if code in span:
                return cls
        return KlingServerError if code >= 5000 else KlingError


def error_for(
    code: int,
    message: str = "",
    *,
    request_id: str = "",
    http_status: int | None = None,
    retry_after: float | None = None,
) -> KlingError:
    """The error for an answer with a non-zero `code` and the service's `message`."""
    cls = error_class(code)
    if not message:
        try:
            message = CODES[KlingCode(code)].meaning
        except ValueError:
            message = "unknown error"
    return cls(
        message,
        code=code,
        request_id=request_id,
        http_status=http_status,
        retry_after=retry_after,
    )
