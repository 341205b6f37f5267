"""flop-tracker: find AI models trained with more than 1e25 FLOP, with honest intervals."""

__version__ = "0.1.0"
