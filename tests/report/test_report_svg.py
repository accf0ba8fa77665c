"""Layout of the packaging graph: node choice, longest-path layers, cycles, no-edge grid."""

from __future__ import annotations

import dataclasses

from vendaudit.report import Report
from vendaudit.report.svg import MAX_NODES, layout_graph, render_svg


def _columns(report: Report) -> dict[str, int]:
    lay = layout_graph(report)
    xs = sorted({n.x for n in lay.nodes})
    return {n.path: xs.index(n.x) for n in lay.nodes}


def test_nodes_are_needy_modules_and_their_dependents(sample_report: Report) -> None:
    cols = _columns(sample_report)
    # multierror is missing in Fedora; pflag missing there too; old/fork is only blocked.
    assert set(cols) == {
        "github.com/containerd/containerd/v2",
        "github.com/foo/bar",
        "github.com/hashicorp/go-multierror",
        "github.com/old/fork",
        "github.com/pipe|name/x",
        "github.com/spf13/cobra",
        "github.com/spf13/pflag",
        "golang.org/x/net",
    }
    assert "github.com/example/app" not in cols  # the main module would link to everything


def test_longest_path_layers_leaves_first(sample_report: Report) -> None:
    cols = _columns(sample_report)
    assert cols["golang.org/x/net"] == 0
    assert cols["github.com/spf13/pflag"] == 0
    # foo/bar and pipe|name/x form a cycle: same layer, after x/net.
    assert cols["github.com/foo/bar"] == cols["github.com/pipe|name/x"] == 1
    assert cols["github.com/containerd/containerd/v2"] == 2  # after foo/bar


def test_titles_and_blocked_counts(sample_report: Report) -> None:
    lay = layout_graph(sample_report)
    xnet = next(n for n in lay.nodes if n.path == "golang.org/x/net")
    assert "debian:sid: outdated 1:0.0~git20231101.1234567-1 (by date)" in xnet.title
    # x/net blocks foo/bar, pipe, old/fork and containerd.
    assert xnet.title.endswith("blocks 4 modules")
    svg = render_svg(sample_report)
    assert svg.count('<g class="node') == 8 and "<title>" in svg
    assert 'class="node blocked"' in svg and "stroke-dasharray" in svg


def test_no_edges_draws_a_grid_with_a_note(sample_report: Report) -> None:
    report = dataclasses.replace(sample_report, graph_edges=())
    lay = layout_graph(report)
    assert len(lay.nodes) == 7 and lay.edges == ()  # the 8 minus old/fork (only blocked)
    assert "No dependency edges" in lay.note
    assert "No dependency edges" in render_svg(report)


def test_nothing_to_draw(empty_report: Report) -> None:
    assert "Nothing to package" in render_svg(empty_report)


def test_large_graphs_are_capped(big_report: Report) -> None:
    lay = layout_graph(big_report)
    assert len(lay.nodes) == MAX_NODES
    assert lay.note.startswith(f"Showing {MAX_NODES} of ")
