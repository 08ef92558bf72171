"""Errors the clients raise. The web layer turns each into a bilingual page."""

from __future__ import annotations


class ServiceError(Exception):
    """Something went wrong talking to an external service."""

    def __init__(self, service: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service
        self.status = status


class ServiceUnavailable(ServiceError):
    """The service is down, slow past its timeout, or answered with a 5xx."""


class BackOfficeUnavailable(ServiceUnavailable):
    """A council's back office is down, slow, or refuses the portal's key."""

    def __init__(self, message: str, status: int | None = None,
                 council: str | None = None) -> None:
        super().__init__("back office", message, status)
        self.council = council  # the GSS code of the council whose back office it is


class IdentityUnavailable(ServiceUnavailable):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__("identity provider", message, status)


class NotFound(ServiceError):
    """The service says the thing asked for does not exist."""

    def __init__(self, service: str, message: str, problem_type: str = "about:blank") -> None:
        super().__init__(service, message, 404)
        self.problem_type = problem_type


class Conflict(ServiceError):
    """The request clashes with the service's current state."""

    def __init__(self, service: str, message: str, status: int = 409,
                 problem_type: str = "about:blank") -> None:
        super().__init__(service, message, status)
        self.problem_type = problem_type


class SignInFailed(ServiceError):
    """The identity provider's answer could not be trusted or was a refusal."""
