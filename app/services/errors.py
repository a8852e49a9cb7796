"""Errors the services raise; the web layer maps each to one HTTP status."""

from __future__ import annotations


class ServiceError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class NotFound(ServiceError):
    status_code = 404
    code = "not_found"


class Forbidden(ServiceError):
    status_code = 403
    code = "forbidden"


class Conflict(ServiceError):
    """The game changed under the request (stale version) and could not be retried."""

    status_code = 409
    code = "conflict"


class Rejected(ServiceError):
    """The rules refused the action; `code` is the rules' rejection code."""

    status_code = 422


class Invalid(ServiceError):
    """The input broke a rule of the form (too short, malformed, ...)."""

    status_code = 422
    code = "invalid"


class LoginRequired(ServiceError):
    """Only a signed-in instructor may do this (pages redirect to the sign-in page)."""

    status_code = 403
    code = "login_required"
