#!/usr/bin/env bash
# Regenerate the SDK's generated package from an OpenAPI description.
#
#   scripts/regenerate.sh [--spec PATH] [--output DIR] [--check]
#
#   --spec PATH   the description to generate from (default: openapi.yaml; any Mistral spec works)
#   --output DIR  the folder that becomes the generated package (default: mistral_sdk/_generated)
#   --check       regenerate into a temporary folder and fail with a short summary when the
#                 committed code differs; writes nothing
#
# Uses the project's virtualenv (.venv, made by `make setup`) so the pinned generator and ruff run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${PYTHON:-"$root/.venv/bin/python"}
if [ ! -x "$python" ]; then
  echo "regenerate: $python not found; run 'make setup' first (or set PYTHON)" >&2
  exit 1
fi
# Relative --spec and --output paths are the caller's: run from where we were called, finding generator/ by path.
export PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}"
exec "$python" -m generator.regenerate "$@"
