"""Domain errors raised by services; views turn them into messages or status codes."""


class DomainError(Exception):
    """Something the user asked for cannot be done; the message is safe to show."""


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    pass


class Conflict(DomainError):
    """The object changed under the user (e.g. someone else already handled it)."""
