"""Where the generator tests find the project and the reference spec."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = ROOT / "scripts" / "regenerate.sh"
REFERENCE = ROOT.parent / "shared" / "reference" / "mistral-openapi.yaml"
