"""dbcloud: one typed toolkit for the control planes of managed-database clouds."""

from ._version import __version__

__all__ = ["__version__"]
