"""Errors of the sources stage; each message is one clear line fit to show an operator."""


class SourceError(Exception):
    """A source could not be read; str(exc) says why."""


class ParseError(SourceError):
    """The payload is not what its kind expects (malformed XML, not JSON, …)."""


class CatalogueError(SourceError):
    """The sources file is malformed; the message names the entry and the field."""
