"""What the facade needs from the generated package: each endpoint's parameters and answer type, each model's fields.

Read from the generated source with ``ast`` (at generation time only) and from its attrs classes: the
Python names and types of parameters, bodies and responses are the generated code's decisions.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path

import attrs

from .naming import FacadeError

__all__ = ["Endpoint", "ModelField", "Param", "import_map", "model_fields", "scan_package"]


@dataclass
class Param:
    name: str
    annotation: str
    required: bool
    positional: bool = False


@dataclass
class Endpoint:
    module: str
    path_params: list[Param]
    keyword_params: list[Param]
    body: Param | None
    response_type: str | None
    imports: dict[str, tuple[str, str | None]]
    success_statuses: tuple[int, ...] = ()  # the 2xx statuses the generated parser decodes (``response_type``)


def import_map(tree: ast.Module, module: str) -> dict[str, tuple[str, str | None]]:
    """Local name -> (absolute module, attribute or None for ``import x``), TYPE_CHECKING imports included."""
    package = module.rsplit(".", 1)[0]
    names: dict[str, tuple[str, str | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                names[alias.asname or alias.name] = (source, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (alias.name.split(".")[0], None)
    return names


def _function(tree: ast.Module, name: str) -> ast.FunctionDef:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise FacadeError(f"no function {name}")


def _route(fn: ast.FunctionDef) -> tuple[str, str] | None:
    for node in ast.walk(fn):
        if isinstance(node, ast.Dict):
            pairs = {k.value: v for k, v in zip(node.keys, node.values, strict=True) if isinstance(k, ast.Constant)}
            method, url = pairs.get("method"), pairs.get("url")
            if isinstance(url, ast.Call) and isinstance(url.func, ast.Attribute):
                url = url.func.value
            if isinstance(method, ast.Constant) and isinstance(url, ast.Constant):
                return str(method.value).lower(), str(url.value)
    return None


def _success_branches(fn: ast.FunctionDef) -> list[tuple[int, ast.If]]:
    """The generated parser's branches for 2xx statuses: ``if response.status_code == 2xx:``."""
    branches: list[tuple[int, ast.If]] = []
    for node in fn.body:
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)):
            continue
        code = node.test.comparators[0]
        if isinstance(code, ast.Constant) and isinstance(code.value, int) and 200 <= code.value < 300:
            branches.append((code.value, node))
    return branches


def _success_type(fn: ast.FunctionDef) -> str | None:
    """The Python type the generated parser returns for 2xx statuses (None when it cannot tell)."""
    types: list[str] = []
    for _, node in _success_branches(fn):
        found = _branch_type(node.body)
        if found is None:
            return None
        types.append(found)
    unique = list(dict.fromkeys(types))
    return " | ".join(unique) if unique else None


def _branch_type(body: list[ast.stmt]) -> str | None:
    first = body[0]
    if isinstance(first, ast.FunctionDef) and first.returns is not None:
        return ast.unparse(first.returns)
    if not isinstance(first, ast.Assign):
        return None
    value = first.value
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Attribute) and func.attr == "from_dict" and isinstance(func.value, ast.Name):
            return func.value.id
        if isinstance(func, ast.Name) and func.id == "cast":
            if isinstance(value.args[1], ast.Constant) and value.args[1].value is None:
                return "None"
            return ast.unparse(value.args[0])
        if isinstance(func, ast.Attribute) and func.attr == "json":
            return "Any"
        if isinstance(func, ast.Name) and func.id == "File":
            return "bytes"
    if isinstance(value, ast.List):
        for stmt in body:
            if isinstance(stmt, ast.For):
                inner = _branch_type(stmt.body)
                return f"list[{inner}]" if inner else None
    return None


def _params(fn: ast.FunctionDef) -> tuple[list[Param], list[Param], Param | None]:
    positional: list[Param] = []
    keyword_only: list[Param] = []
    body: Param | None = None
    args = fn.args
    pos_defaults = [None] * (len(args.args) - len(args.defaults)) + list(args.defaults)
    for arg, default in zip(args.args, pos_defaults, strict=True):
        positional.append(
            Param(arg.arg, ast.unparse(arg.annotation) if arg.annotation else "Any", default is None, True)
        )
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        param = Param(arg.arg, ast.unparse(arg.annotation) if arg.annotation else "Any", kw_default is None)
        if arg.arg == "body":
            body = param
        else:
            keyword_only.append(param)
    return positional, keyword_only, body


def scan_package(package: str) -> dict[tuple[str, str], Endpoint]:
    """(method, url) -> generated endpoint, for every module under ``<package>/api``."""
    pkg = importlib.import_module(package)
    root = Path(next(iter(pkg.__path__))) / "api"
    endpoints: dict[tuple[str, str], Endpoint] = {}
    for file in sorted(root.glob("*/*.py")):
        if file.name == "__init__.py":
            continue
        module = f"{package}.api.{file.parent.name}.{file.stem}"
        tree = ast.parse(file.read_text(encoding="utf-8"))
        get_kwargs = _function(tree, "_get_kwargs")
        route = _route(get_kwargs)
        if route is None:
            raise FacadeError(f"{module}: cannot read method and url from _get_kwargs")
        path_params, keyword_params, body = _params(get_kwargs)
        endpoints[route] = Endpoint(
            module=module,
            path_params=path_params,
            keyword_params=keyword_params,
            body=body,
            response_type=_success_type(_function(tree, "_parse_response")),
            imports=import_map(tree, module),
            success_statuses=tuple(code for code, _ in _success_branches(_function(tree, "_parse_response"))),
        )
    return endpoints


@dataclass
class ModelField:
    attribute: str  # the attrs attribute ("input_")
    alias: str  # its __init__ keyword
    annotation: str
    required: bool


def model_fields(module: str, cls_name: str) -> tuple[list[ModelField], dict[str, tuple[str, str | None]]] | None:
    mod = importlib.import_module(module)
    cls = getattr(mod, cls_name, None)
    if cls is None or not attrs.has(cls):
        return None
    source = Path(mod.__file__ or "").read_text(encoding="utf-8")
    tree = ast.parse(source)
    node = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls_name), None)
    if node is None:
        return None
    annotations = {
        stmt.target.id: ast.unparse(stmt.annotation)
        for stmt in node.body
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
    }
    fields: list[ModelField] = []
    for attribute in attrs.fields(cls):
        if not attribute.init:
            continue
        if attribute.name not in annotations:
            return None
        fields.append(
            ModelField(attribute.name, attribute.alias, annotations[attribute.name], attribute.default is attrs.NOTHING)
        )
    return fields, import_map(tree, module)
