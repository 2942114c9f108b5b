"""Rule expressions: small arithmetic over data-element keys ("infants_under1 * 1.5 + 10").

Parsed with Python's own `ast` and evaluated over a whitelist of nodes, so a catalogue file can
never run code. Values are Decimals; a missing element makes the expression missing.
"""

from __future__ import annotations

import ast
from decimal import Decimal
from functools import cache
from typing import Callable, Mapping

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


Evaluator = Callable[[Mapping[str, Decimal | None]], Decimal | None]


def _compile_node(node: ast.expr) -> Evaluator:
    if isinstance(node, ast.Constant):
        value = node.value
        constant = value if isinstance(value, int) else Decimal(str(value))
        return lambda values: constant
    if isinstance(node, ast.Name):
        name = node.id
        return lambda values: values.get(name)
    assert isinstance(node, ast.BinOp)
    left, right = _compile_node(node.left), _compile_node(node.right)
    op, is_div = _BINOPS[type(node.op)], isinstance(node.op, ast.Div)

    def binop(values):
        a, b = left(values), right(values)
        if a is None or b is None or (is_div and b == 0):
            return None
        return op(a, b)

    return binop


@cache
def compile_expression(expr: str) -> Evaluator:
    """The expression as a function of the values, built once per expression."""
    return _compile_node(_parse(expr))


def evaluate(expr: str, values: Mapping[str, Decimal | None]) -> Decimal | None:
    """Value of the expression, or None when an element it names is missing."""
    return compile_expression(expr)(values)
