"""``python -m mistral_sdk`` and the ``mistral-sdk`` command; the work is in ``mistral_sdk._cli``."""

import sys


def main() -> int:
    from mistral_sdk._cli import run

    return run()


if __name__ == "__main__":
    sys.exit(main())
