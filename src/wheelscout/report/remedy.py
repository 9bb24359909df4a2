"""Lines for the remedies in ``check``'s document: a package's advice, a target's wheels-only
plan. Shared by the terminal and Markdown renderers."""

from __future__ import annotations

from typing import Any

__all__ = ["plan_lines", "remedy_advice"]


def remedy_advice(package: dict[str, Any]) -> str | None:
    """The one-sentence advice of a package's ``remedy`` object, if it has one."""
    remedy = package.get("remedy")
    return None if remedy is None else str(remedy["advice"])


def _state(version: str | None, install: str | None) -> str:
    if install is None:
        return "absent"
    return f"{version} ({install})" if version else f"({install})"


def plan_lines(result: dict[str, Any]) -> list[str]:
    """The wheels-only plan of one target: moves, blocked packages, the constraints file."""
    plan = result.get("binary_plan")
    if plan is None:
        return []
    status = plan["status"]
    if status == "no-change":
        return ["wheels only: the same versions, every one from a wheel"]
    lines = []
    if plan["moves"]:
        moves = ", ".join(f"{m['name']} {_state(m['from'], m['from_install'])} -> "
                          f"{_state(m['to'], m['to_install'])}" for m in plan["moves"])
        lines.append(f"wheels only: {moves}")
    if status == "unresolvable":
        lines.append(f"wheels only, the set cannot be resolved: {plan['conflict']}")
    lines += [f"no wheel: {b['chain']}" for b in plan["blocked"]]
    if plan["constraints_file"]:
        lines.append(f"constraints file: {plan['constraints_file']}")
    return lines
