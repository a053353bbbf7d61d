"""PDF rendering: WeasyPrint with Noto Sans Lao (a variable font that also carries Latin), Lao
words separated by U+200B (lao.py) so lines wrap, and charts as PNG images rendered by Kaleido
from the dashboards' own figure builders (never SVG: WeasyPrint misplaces Lao marks in SVG
text).

One Kaleido server (one headless Chromium) is started per process on first use and kept warm:
a cold start costs 2-3 s, a warm chart about 0.3 s. Chromium finds Noto Sans Lao through a
fontconfig file that adds the font's folder to the system's fonts."""

from __future__ import annotations

import atexit
import base64
import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

import justmytype_intl_sea
import plotly.graph_objects as go
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reports.exports.errors import BuildError
from reports.exports.lao import for_pdf

logger = logging.getLogger(__name__)

FONT_DIR = Path(justmytype_intl_sea.__file__).parent / "fonts" / "ofl" / "notosanslao"
FONT_FILE = FONT_DIR / "NotoSansLao[wdth,wght].ttf"
CHART_WIDTH = 900  # CSS pixels; rendered at scale 2 for print
_lock = threading.Lock()
_started = False


def font_face_css() -> str:
    uri = FONT_FILE.as_uri()
    return "\n".join(
        f'@font-face {{ font-family: "Noto Sans Lao"; src: url("{uri}"); font-weight: {w}; }}'
        for w in (400, 700)
    )


def _fontconfig() -> None:
    """Chromium (Kaleido) looks fonts up with fontconfig: add our Noto Sans Lao to the
    system's configuration so charts draw Lao with it rather than a font without Lao marks."""
    if os.environ.get("FONTCONFIG_FILE"):
        return
    config = Path(tempfile.gettempdir()) / "readiness-fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{FONT_DIR}</dir></fontconfig>",
        encoding="utf-8",
    )
    os.environ["FONTCONFIG_FILE"] = str(config)


def _renderer() -> None:
    global _started
    if _started:
        return
    import kaleido

    if not (os.environ.get("BROWSER_PATH") or shutil.which("chromium")):
        # Without a browser Kaleido waits for ever; say what to install instead.
        raise BuildError(
            _(
                "Charts cannot be drawn: Chromium is not installed on the worker. The platform "
                "team should install it (apt-get install chromium) and restart the worker."
            )
        )
    _fontconfig()
    kaleido.start_sync_server(n=1, mathjax=False, silence_warnings=True)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _started = True


def chart_png(figure: go.Figure, width: int = CHART_WIDTH) -> str:
    """The figure as a PNG data URI, rendered by the warm Kaleido server of this process."""
    import kaleido

    # The dashboards' builders return Plotly's JSON form (a dict); Kaleido takes it as is.
    layout = figure["layout"] if isinstance(figure, dict) else figure.to_dict()["layout"]
    height = int(layout.get("height") or 400)
    with _lock:
        _renderer()
        png = kaleido.calc_fig_sync(
            figure, opts={"format": "png", "width": width, "height": height, "scale": 2}
        )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def html_to_pdf(html: str, path: Path) -> int:
    """Lao words split, then laid out by WeasyPrint; returns the number of pages."""
    from weasyprint import HTML

    document = HTML(string=for_pdf(html), base_url=str(FONT_DIR)).render()
    document.write_pdf(str(path))
    return len(document.pages)


def render_pdf(template: str, context: dict, path: Path) -> int:
    """Renders the template to a PDF at `path`; returns the number of pages."""
    html = render_to_string(template, {**context, "font_face_css": font_face_css()})
    return html_to_pdf(html, path)
