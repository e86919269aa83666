"""Typed Python SDK for the Mistral AI API."""

__version__ = "0.1.0"
