"""BENCHMARKS.md's tables of single nodes at the profiled scale: the slowest nodes, the
data tests by kind, and the test time by the node the tests read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from navtiltak_tools.bench.measure import Node
from navtiltak_tools.bench.scales import Scale


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def offenders_section(scale: Scale, manifest: Mapping[str, Any], top: int = 12) -> list[str]:
    nodes = manifest.get("nodes", {})
    ranked = sorted(scale.make.build.nodes, key=lambda n: -n.seconds)[:top]
    rows = [
        (
            node.name,
            node.resource_type,
            nodes.get(node.unique_id, {}).get("config", {}).get("materialized", ""),
            f"{node.seconds:.2f}",
        )
        for node in ranked
    ]
    return [
        f"### Slowest nodes at N={scale.count}",
        "",
        "From `target/run_results.json` of the fastest `make build`; two threads share two",
        "cores, so a node's time also depends on what ran beside it.",
        "",
        *table(("node", "type", "materialized", "s"), rows),
        "",
        *tests_by_kind(scale, nodes),
        "",
        *fan_in(scale, nodes),
    ]


def tests_by_kind(scale: Scale, nodes: Mapping[str, Node]) -> list[str]:
    """Data test time summed by generic test (singular tests by name)."""
    kinds: dict[str, list[float]] = {}
    for node in scale.make.build.nodes:
        if node.resource_type != "test":
            continue
        generic = nodes.get(node.unique_id, {}).get("test_metadata") or {}
        kind = generic.get("name") or f"{node.name} (singular)"
        kinds.setdefault(kind, []).append(node.seconds)
    ranked = sorted(kinds.items(), key=lambda item: -sum(item[1]))
    rows = [(kind, len(times), f"{sum(times):.2f}", f"{max(times):.2f}") for kind, times in ranked]
    header = ("data test", "instances", "s (sum)", "s (slowest)")
    return [f"Data test time by test, N={scale.count}:", "", *table(header, rows)]


def fan_in(scale: Scale, nodes: Mapping[str, Node], top: int = 8) -> list[str]:
    """The models and seeds read by the most test time: each test scans them again."""
    seconds = {node.unique_id: node.seconds for node in scale.make.build.nodes}
    read_by: dict[str, list[float]] = {}
    for uid, node in nodes.items():
        if node["resource_type"] == "test":
            for parent in node.get("depends_on", {}).get("nodes", []):
                read_by.setdefault(parent, []).append(seconds.get(uid, 0.0))
    ranked = sorted(read_by.items(), key=lambda item: -sum(item[1]))[:top]
    rows = [
        (
            uid.split(".")[-1],
            nodes[uid]["config"].get("materialized", ""),
            len(times),
            f"{sum(times):.2f}",
            f"{seconds.get(uid, 0.0):.2f}",
        )
        for uid, times in ranked
        if uid in nodes
    ]
    header = ("read by tests", "materialized", "tests", "test s (sum)", "own build s")
    return [
        f"Test time by the node the tests read, N={scale.count} (a test that reads two nodes"
        " counts under both):",
        "",
        *table(header, rows),
    ]
