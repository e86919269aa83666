"""Generate the SDK's package and its facade from a spec into a scratch folder (the bench's regeneration row).

``python -m bench._regenerate SPEC OUT``: the same steps as ``scripts/regenerate.sh`` (``generator.regenerate``),
without touching the checkout. A generation error is printed on one line and the exit status is 1, so the
benchmark can report it as a FAIL row with its message. A module rather than a string of code, so that the
type checker sees the generator's functions as they are called here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.preprocess import SpecError
from generator.regenerate import API_MD, FACADE_OUTPUT, GenerationError, generate_facade, generate_package


def main(spec: Path, out: Path) -> int:
    package = out / "_generated"
    try:
        generate_package(spec, package)
        if not generate_facade(package, out / FACADE_OUTPUT.name, out / API_MD.name):
            raise GenerationError("the facade generator (generator/facade) is absent")
    except (SpecError, GenerationError) as exc:
        print(" ".join(str(exc).split())[:400], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), Path(sys.argv[2])))
