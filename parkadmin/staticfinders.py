"""Serves plotly.js from the plotly package's own bundle, so the page and the Python figures share one version."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_JS = "plotly/plotly.min.js"


class PlotlyFinder(BaseFinder):
    """Exposes only `plotly/plotly.min.js` (not the datasets shipped beside it)."""

    def __init__(self, *args, **kwargs):
        self.root = Path(plotly.__file__).parent / "package_data"
        self.storage = FileSystemStorage(location=str(self.root))
        self.storage.prefix = "plotly"

    def find(self, path, find_all=False, **kwargs):
        if path == PLOTLY_JS:
            match = str(self.root / "plotly.min.js")
            return [match] if find_all else match
        return [] if find_all else None

    def list(self, ignore_patterns):
        yield "plotly.min.js", self.storage
