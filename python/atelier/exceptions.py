"""Errors, shaped as azure-ai-ml's (and azure-core's) so that code catching them keeps working.

Every error the server answers becomes an :class:`HttpResponseError` carrying the server's ``message``, its
``error_code`` (MLflow's names: ``RESOURCE_DOES_NOT_EXIST``, ``UNAUTHENTICATED``, ...) and the HTTP
``status_code``; 404 is the subclass :class:`ResourceNotFoundError`, 401 and 403
:class:`ClientAuthenticationError`, as in azure-core. A server that cannot be reached is
:class:`ServiceRequestError`. Bad arguments found before anything is sent are :class:`ValidationException`.
"""


class AtelierError(Exception):
    """The root of every error this package raises."""

    def __init__(self, message, status_code=None, error_code=None):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.error_code = error_code

    def __str__(self):
        return self.message


class HttpResponseError(AtelierError):
    """The server answered with an error status (``status_code``) and message."""

    @property
    def reason(self):
        return self.error_code


class ResourceNotFoundError(HttpResponseError):
    """404: the named thing does not exist."""


class ResourceExistsError(HttpResponseError):
    """409: a thing of that name exists already."""


class ClientAuthenticationError(HttpResponseError):
    """401 (no or bad credentials) or 403 (not allowed)."""


class ServiceRequestError(AtelierError):
    """The server could not be reached (refused, unknown host, timed out)."""


class ValidationException(AtelierError, ValueError):
    """A bad argument or document, found before anything was sent."""


class JobException(AtelierError):
    """A job that was followed with ``jobs.stream`` ended without completing."""


def error_for(status, message, error_code):
    """The exception for an error answer: by status, as azure-core picks them."""
    if status == 404:
        kind = ResourceNotFoundError
    elif status == 409:
        kind = ResourceExistsError
    elif status in (401, 403):
        kind = ClientAuthenticationError
    else:
        kind = HttpResponseError
    return kind(message, status_code=status, error_code=error_code)
