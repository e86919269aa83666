"""Benchmarks of the SDK against the floor (bare httpx) and the official ``mistralai`` SDK.

``python -m bench`` (``make bench``) runs every target in one process tree and prints the table;
``bench/README.md`` keeps the latest one. See ``bench/README.md`` for what is measured and how.
"""
