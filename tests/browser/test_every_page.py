"""Every page an administrator can reach, in both languages, at 1920, 1366, 1280 and 390 px: no sideways scroll,
no clipped heading or label, no Chinese in the English interface's own words, and no raw code where the Chinese
interface has a label.

The pages are found as a person finds them: every link of the top bar and its menus, then on each list the first
record and the list's own buttons (its add form, the pages it leads to). A page is covered the moment it is linked.
With SCREENSHOT_DIR set, each is saved as a PNG in each language and width.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

# The interface's own words (headings, column headers, a list's cells of labels, units and numbers, labels, buttons,
# menus, badges, help), as opposed to what people wrote into records (names, titles, notes: marked
# data-pa-user-text), which stay as written.
OWN_WORDS = (
    "main h1, main h2, main h3, table thead th, table.pa-list tbody td, label, legend, button, nav.pa-topbar a, "
    ".badge, .form-text"
)
CHECK = """([ownWords, english]) => {
  const faults = [];
  const root = document.documentElement;
  if (root.scrollWidth > innerWidth + 1) faults.push(['sideways scroll', root.scrollWidth]);
  const cjk = /[\\u3400-\\u9fff]/;
  const code = /\\b[a-z]+(?:_[a-z]+)+\\b/;
  const ownText = (element) => {
    // The element's own words: text of its children that are not records' names (marked data-pa-user-text).
    let text = '';
    element.childNodes.forEach((node) => {
      if (node.nodeType === Node.TEXT_NODE) text += node.textContent;
      else if (node.nodeType === Node.ELEMENT_NODE && !node.closest('[data-pa-user-text]')) text += ownText(node);
    });
    return text;
  };
  document.querySelectorAll(ownWords).forEach((element) => {
    if (element.closest('[data-pa-user-text], .js-plotly-plot, .visually-hidden, .ts-wrapper')) return;
    const text = ownText(element).trim();
    if (!text || element.offsetParent === null) return;
    if (english && cjk.test(text) && !element.closest('[lang="zh-hans"], .pa-lang-switch')) {
      faults.push(['Chinese in the English interface', element.tagName, text.slice(0, 60)]);
    }
    if (!english && code.test(text)) faults.push(['a code instead of a label', element.tagName, text.slice(0, 60)]);
    if (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflow === 'hidden'
        && getComputedStyle(element).textOverflow !== 'ellipsis') {
      faults.push(['clipped', element.tagName, text.slice(0, 60)]);
    }
  });
  return faults;
}"""
LINKS = """() => Array.from(document.querySelectorAll('nav.pa-topbar a[href^="/"]'), (a) => a.getAttribute('href'))"""
FIRST_RECORD = """() => {
  const link = document.querySelector('table.pa-list tbody tr a[href^="/"]');
  return link ? link.getAttribute('href') : null;
}"""
# A list's own buttons: its add form and the pages it leads to (the pipeline board, analytics, scoreboards …).
BUTTONS = r"""() => Array.from(document.querySelectorAll('main a.btn[href^="/"]'), (a) => a.getAttribute('href'))
  .filter((href) => !/export=|\/delete\/$|\?|\.(xlsx|csv|pdf)$/.test(href))"""
# Not pages of the interface: the admin (its own look), the API, downloads, leaving.
SKIPPED = ("/admin/", "/api/", "/accounts/logout/", "/i18n/")


def reachable_pages(site) -> list[str]:
    page = site.page
    site.visit("/")
    pages = [href for href in dict.fromkeys(page.evaluate(LINKS)) if not href.startswith(SKIPPED)]
    found = list(pages)
    for href in pages:
        if "export=" in href:
            continue
        site.visit(href)
        first = page.evaluate(FIRST_RECORD)
        for more in ([first] if first else []) + page.evaluate(BUTTONS):
            if not more.startswith(SKIPPED) and more not in found:
                found.append(more)
    return [href for href in found if "export=" not in href]


LANGUAGES = ("zh-hans", "en")
# The office's screens, the laptops, a phone. Each page is loaded once per language and checked at every size: the
# window is resized in place, as a person drags it, and the charts are redrawn for the new width before the check.
SIZES = ((1920, 1080), (1366, 768), (1280, 800), (390, 844))
REDRAW_CHARTS = """() => Promise.all(Array.from(document.querySelectorAll('.js-plotly-plot'),
  (chart) => window.Plotly.Plots.resize(chart)))"""


def test_every_page_reads_in_one_language_and_fits(site, live_server, browser_errors):
    page = site.page
    page.set_viewport_size({"width": 1280, "height": 800})
    site.log_in("demo-admin")
    pages = reachable_pages(site)
    assert len(pages) >= 30, pages
    faults = []
    for language in LANGUAGES:
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for href in pages:
            width, height = SIZES[0]
            page.set_viewport_size({"width": width, "height": height})
            response = site.visit(href)
            assert response.status == 200, href
            for width, height in SIZES:
                page.set_viewport_size({"width": width, "height": height})
                page.evaluate(REDRAW_CHARTS)
                site.screenshot(f"{language}-{width}")
                for fault in page.evaluate(CHECK, [OWN_WORDS, language == "en"]):
                    faults.append((language, width, urlsplit(href).path, *fault))
    assert faults == [], "\n".join(map(repr, faults))
    assert browser_errors == []
