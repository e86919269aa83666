"""Where the generator tests find the project and the reference specs."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = ROOT / "scripts" / "regenerate.sh"
REFERENCES = ROOT.parent / "shared" / "reference"
#: Mistral's description of 2026-07-15 (173 operations).
REFERENCE = REFERENCES / "mistral-openapi.yaml"
#: Mistral's newest published description, 2026-08-13 (288 operations): the current API.
NEWEST_REFERENCE = REFERENCES / "mistral-openapi-2026-08.yaml"
