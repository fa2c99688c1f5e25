"""How charts reach a page: a plotly figure built by a pure function, sent as JSON data, drawn by our own script.

User text in a figure (names, titles) is data, never markup: the JSON goes through `json_script`, and plotly
draws text as text. Clicking a point whose `customdata` is a URL of ours opens that URL (drill-down).
"""

from __future__ import annotations

import json

import plotly.graph_objects as go

FONT = '"Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif'
BASE_LAYOUT = {
    "font": {"family": FONT, "size": 13},
    "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "separators": ".,",
    "hoverlabel": {"font": {"family": FONT}},
}


def styled(figure: go.Figure, **layout) -> go.Figure:
    """Our one visual language on any figure."""
    figure.update_layout(**BASE_LAYOUT)
    figure.update_layout(**layout)
    return figure


def figure_data(figure: go.Figure) -> dict:
    """The figure as plain JSON data for `json_script`."""
    return json.loads(figure.to_json())


def note_if_empty(figure: go.Figure, empty: bool, text: str) -> go.Figure:
    """An empty chart says so in words instead of showing a bare axis."""
    if empty:
        figure.data = []
        figure.add_annotation(
            text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 16, "color": "#6c757d"}
        )
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
    return figure
