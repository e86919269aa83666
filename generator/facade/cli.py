"""The facade generator's command line: write (or ``--check``) the resources package and ``api.md``."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .naming import FacadeError
from .plan import plan
from .render import RenderedFacade, format_python, render
from .spec import load_spec

__all__ = ["bind_package", "generate", "main", "write"]

ROOT = Path(__file__).resolve().parents[2]


def bind_package(package: str, directory: Path) -> None:
    """Make ``package`` import from ``directory`` (a freshly generated package not yet moved into place).

    Must run before anything imports ``package``; the facade is still written against the package name.
    """
    init = directory / "__init__.py"
    if not init.exists():
        raise FacadeError(f"{directory} is not a package (no __init__.py)")
    existing = sys.modules.get(package)
    if existing is not None:
        if Path(next(iter(getattr(existing, "__path__", [""])))).resolve() == directory.resolve():
            return
        raise FacadeError(f"{package} is already imported from elsewhere; cannot bind it to {directory}")
    import importlib.util

    spec = importlib.util.spec_from_file_location(package, init, submodule_search_locations=[str(directory)])
    if spec is None or spec.loader is None:
        raise FacadeError(f"cannot load {directory} as {package}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[package] = module
    spec.loader.exec_module(module)


def _package_dir_for(spec_path: Path) -> Path | None:
    """The generated package the spec copy sits in (``<package>/openapi.json``), if it is one."""
    folder = spec_path.resolve().parent
    return folder if (folder / "__init__.py").exists() and (folder / "api").is_dir() else None


def generate(spec_path: Path, package: str, warnings: list[str] | None = None) -> RenderedFacade:
    """The facade for ``package`` (already importable) generated from ``spec_path``."""
    notes: list[str] = [] if warnings is None else warnings
    rendered = render(plan(load_spec(spec_path), package, warnings=notes), package)
    rendered.warnings = notes
    return rendered


def write(rendered: RenderedFacade, folder: Path, *, cwd: Path = ROOT) -> None:
    """Write the package into ``folder`` (which must not exist yet) and format its modules."""
    for name, text in rendered.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    format_python(folder, rendered.files, cwd)


def _tree(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.facade", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--spec", required=True, type=Path, help="the (preprocessed) OpenAPI description, JSON or YAML")
    parser.add_argument("--package", required=True, help="the generated package, e.g. mistral_sdk._generated")
    parser.add_argument("--output", required=True, type=Path, help="the resources package folder to write")
    parser.add_argument("--api-md", type=Path, help="where to write the API reference page (api.md)")
    parser.add_argument(
        "--package-dir",
        type=Path,
        help="read the package from this folder (default: the folder of --spec when it is the package's openapi.json)",
    )
    parser.add_argument("--check", action="store_true", help="fail when the output is not up to date; write nothing")
    args = parser.parse_args(argv)
    try:
        package_dir = args.package_dir or _package_dir_for(args.spec)
        if package_dir is not None:
            bind_package(args.package, package_dir)
        rendered = generate(args.spec, args.package)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{args.output.name}.new-", dir=args.output.parent))
        try:
            fresh = staging / args.output.name
            write(rendered, fresh)
            if args.check:
                stale = _tree(fresh) != _tree(args.output)
                if args.api_md is not None:
                    current = args.api_md.read_text(encoding="utf-8") if args.api_md.exists() else ""
                    stale = stale or current != rendered.api_md
                if stale:
                    print(f"facade: {args.output} is out of date; run scripts/regenerate.sh", file=sys.stderr)
                    return 1
                return 0
            old = staging / "old"
            if args.output.exists():
                args.output.rename(old)
            fresh.rename(args.output)
            if args.api_md is not None:
                args.api_md.write_text(rendered.api_md, encoding="utf-8")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except FacadeError as exc:
        print(f"facade: {exc}", file=sys.stderr)
        return 1
    for warning in rendered.warnings:
        print(f"facade: warning: {warning}", file=sys.stderr)
    return 0
