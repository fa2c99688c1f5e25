"""How charts reach a page: a plotly figure built by a pure function, sent as JSON data, drawn by our own script.

A figure is plotly's own JSON form, `{"data": [traces], "layout": {...}}`, written as plain dicts: building it
through plotly's graph objects validated every property on every build, which made drawing the dashboard's seven
charts take most of a dashboard view after a write. The tests pass every figure through `plotly.graph_objects`, so
each stays a figure plotly accepts (`tests/parkadmin/test_charts.py`).

User text in a figure (names, titles) is data, never markup: the JSON goes through `json_script`, and plotly
draws text as text. Clicking a point whose `customdata` is a URL of ours opens that URL (drill-down).
"""

from __future__ import annotations

import json

from plotly.utils import PlotlyJSONEncoder

NOTE_GREY = "#6c757d"  # the colour of a sentence standing in for a chart
FONT = '"Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif'
_AXIS = {
    "automargin": True,
    "gridcolor": "white",
    "linecolor": "white",
    "ticks": "",
    "title": {"standoff": 15},
    "zerolinecolor": "white",
    "zerolinewidth": 2,
}
# What our charts take from plotly's default template ("plotly"), which the graph objects used to copy into every
# figure whole (7 KB each): plotly.js applies a template's axis settings to every axis of the figure.
TEMPLATE = {
    "data": {
        "bar": [{"marker": {"line": {"color": "#E5ECF6", "width": 0.5}}, "type": "bar"}],
        "pie": [{"automargin": True, "type": "pie"}],
    },
    "layout": {
        "autotypenumbers": "strict",
        "colorway": [
            "#636efa",
            "#EF553B",
            "#00cc96",
            "#ab63fa",
            "#FFA15A",
            "#19d3f3",
            "#FF6692",
            "#B6E880",
            "#FF97FF",
            "#FECB52",
        ],
        "font": {"color": "#2a3f5f"},
        "hoverlabel": {"align": "left"},
        "hovermode": "closest",
        "title": {"x": 0.05},
        "xaxis": _AXIS,
        # Amounts and counts are read against zero: an axis starting at 6 makes 7 look like twice 6.
        "yaxis": {**_AXIS, "rangemode": "tozero"},
    },
}
BASE_LAYOUT = {
    "template": TEMPLATE,
    "font": {"family": FONT, "size": 13},
    "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "separators": ".,",
    "hoverlabel": {"font": {"family": FONT}},
}


def figure(traces: list[dict], **layout) -> dict:
    """A figure of `traces` (each a dict naming its `type`) in our one visual language; `layout` adds to it and
    overrides it key by key, as plotly's update_layout does."""
    return {"data": list(traces), "layout": merged(BASE_LAYOUT, layout)}


def merged(base: dict, changes: dict) -> dict:
    """`base` with `changes` laid over it: nested dicts are merged, anything else replaced."""
    result = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def grid(rows: int, cols: int, titles: list[str], *, horizontal_spacing: float, vertical_spacing: float):
    """A grid of cartesian subplots, as plotly's make_subplots lays it out, row 1 at the top: the layout's axes and
    the subplots' titles, and for each cell (row by row) the `xaxis`/`yaxis` a trace in it names."""
    width = (1 - horizontal_spacing * (cols - 1)) / cols
    height = (1 - vertical_spacing * (rows - 1)) / rows
    layout: dict = {}
    cells, annotations = [], []
    for index in range(rows * cols):
        row, col = divmod(index, cols)
        x = [col * (width + horizontal_spacing), col * (width + horizontal_spacing) + width]
        bottom = (rows - 1 - row) * (height + vertical_spacing)
        y = [bottom, bottom + height]
        number = "" if index == 0 else str(index + 1)
        layout[f"xaxis{number}"] = {"anchor": f"y{number}", "domain": x}
        layout[f"yaxis{number}"] = {"anchor": f"x{number}", "domain": y}
        cells.append({"xaxis": f"x{number}", "yaxis": f"y{number}"})
        if index < len(titles):
            annotations.append(subplot_title(titles[index], sum(x) / 2, y[1]))
    if annotations:
        layout["annotations"] = annotations
    return layout, cells


def subplot_title(text: str, x: float, y: float) -> dict:
    return {
        "text": text,
        "x": x,
        "y": y,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 16},  # make_subplots' own
    }


def figure_data(chart: dict) -> dict:
    """The figure as plain JSON data for `json_script` (decimals and dates as plotly reads them)."""
    return json.loads(json.dumps(chart, cls=PlotlyJSONEncoder))


def note_if_empty(chart: dict, empty: bool, text: str) -> dict:
    """An empty chart says so in words instead of showing a bare axis."""
    if not empty:
        return chart
    layout = merged(chart["layout"], {"xaxis": {"visible": False}, "yaxis": {"visible": False}})
    layout["annotations"] = [note(text, 0.5)]
    return {"data": [], "layout": layout}


def note(text: str, x: float, y: float = 0.5) -> dict:
    """A sentence drawn where a chart (or one part of it) would be, saying why there is none."""
    return {
        "text": text,
        "showarrow": False,
        "xref": "paper",
        "yref": "paper",
        "x": x,
        "y": y,
        "font": {"size": 16, "color": NOTE_GREY},
    }
