"""The SDK version, read by packaging (hatch) and sent in the User-Agent."""

__version__ = "0.1.0"
