"""Rule expressions: small arithmetic over data-element keys ("infants_under1 * 1.5 + 10").

Parsed with Python's own `ast` and evaluated over a whitelist of nodes, so a catalogue file can
never run code. Values are Decimals; a missing element makes the expression missing.
"""

from __future__ import annotations

import ast
from decimal import Decimal
from functools import cache
from typing import Mapping

from .errors import KH75Error

_BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
           ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b}


@cache
def _parse(expr: str) -> ast.expr:
    try:
        tree = ast.parse(expr, mode="eval").body
    except SyntaxError as err:
        raise KH75Error(f"biểu thức '{expr}' sai cú pháp") from err
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            continue
        if isinstance(node, (ast.Name, ast.Load, ast.Add, ast.Sub, ast.Mult, ast.Div)):
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            continue
        raise KH75Error(f"biểu thức '{expr}' có thành phần không được phép")
    return tree


def names_in(expr: str) -> list[str]:
    """Element keys an expression refers to, in order of appearance."""
    return [n.id for n in ast.walk(_parse(expr)) if isinstance(n, ast.Name)]


def evaluate(expr: str, values: Mapping[str, Decimal | None]) -> Decimal | None:
    """Value of the expression, or None when an element it names is missing."""

    def ev(node: ast.expr) -> Decimal | None:
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            return values.get(node.id)
        assert isinstance(node, ast.BinOp)
        a, b = ev(node.left), ev(node.right)
        if a is None or b is None:
            return None
        if isinstance(node.op, ast.Div) and b == 0:
            return None
        return _BINOPS[type(node.op)](a, b)

    return ev(_parse(expr))
