"""flop-tracker: find AI models trained with more than 1e25 FLOP, with honest intervals."""

from kernel import __version__

__all__ = ["__version__"]
