"""Visit every page a person reaches at a phone's and a laptop's width, and say what is too wide.

A page is too wide when the document scrolls sideways (``scrollWidth > innerWidth``). A box that
scrolls sideways inside the page (a wide table in its ``.table-scroll``) is fine only if a keyboard
can reach it and a screen reader names it: ``tabindex="0"``, ``role="region"`` and a label.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlparse

from playwright.sync_api import Browser, BrowserContext, Page

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1366, "height": 768}
# Downloads, and links that change the language or sign out rather than lead to a page.
SKIPPED = re.compile(r"\.(ics|csv|xlsx|json)$|^/language/|^/logout|^/static/")

# The widest boxes sticking out of the page, and scroll boxes a keyboard cannot reach.
MEASURE = """() => {
  const width = window.innerWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const inScrollBox = (el) => { if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
    if (scrolls(p)) return true; return false; };
  const widens = (el) => el.getBoundingClientRect().right > width + 1 && !inScrollBox(el);
  const sticking = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (widens(el) && !(el.parentElement && el.parentElement !== document.body && widens(el.parentElement)))
      sticking.push(describe(el) + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
  }
  const unreachable = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (scrolls(el) && el.scrollWidth > el.clientWidth + 1
        && !(el.tabIndex >= 0 && el.getAttribute('role') === 'region' && el.getAttribute('aria-label')))
      unreachable.push(describe(el));
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width,
          sticking: sticking.slice(0, 5), unreachable: unreachable.slice(0, 5)};
}"""


@dataclass
class Findings:
    visited: list[str] = field(default_factory=list)
    too_wide: dict[str, str] = field(default_factory=dict)
    unreachable: dict[str, list[str]] = field(default_factory=dict)
    broken: dict[str, int] = field(default_factory=dict)


def shape(path: str) -> str:
    """A page's kind: ``/manage/stops/12/meetings`` and ``/manage/stops/13/meetings`` are one, and
    so are the pages of two provinces (``/territories/BG``) or two invitations (a token)."""
    path = re.sub(r"/[A-Z]{2}(?=/|$)", "/XX", path)
    path = re.sub(r"/[A-Za-z0-9_.-]{24,}(?=/|$)", "/TOKEN", path)
    return re.sub(r"\d+", "N", path)


def _name(role: str, width: int, path: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "calendar"
    return f"{role}-{width}-{slug}.png"


def _links(page: Page, base: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map(link => link.href)"
    )
    return [urldefrag(href).url for href in hrefs if href.startswith(base)]


def _check(page: Page, url: str, role: str, shots: Path, findings: Findings) -> bool:
    response = page.goto(url)
    status = response.status if response else 0
    path = urlparse(url).path
    final = urlparse(page.url).path
    if status >= 400 or (final != path and final.startswith(("/login", "/sign-in"))):
        findings.broken[url] = status or 401
        return False
    width = page.viewport_size["width"] if page.viewport_size else 0
    measured = page.evaluate(MEASURE)
    if measured["scrollWidth"] > measured["innerWidth"]:
        findings.too_wide[f"{width} {path}"] = f"{measured['scrollWidth']}px: {measured['sticking']}"
    if measured["unreachable"]:
        findings.unreachable[f"{width} {path}"] = measured["unreachable"]
    page.screenshot(path=str(shots / _name(role, width, shape(path))), full_page=True)
    return True


def walk(
    contexts: list[BrowserContext], base: str, role: str, starts: list[str], area: str, shots: Path
) -> Findings:
    """From ``starts``, follow the links of ``area`` to depth 2, one page of each kind, checking
    each in every context (one per width); pages outside the area are checked but not followed."""
    findings = Findings()
    pages = [context.new_page() for context in contexts]
    seen = {shape(urlparse(base + path).path) for path in starts}
    frontier = [base + path for path in starts]
    for depth in range(3):
        found: list[str] = []
        for url in frontier:
            findings.visited.append(urlparse(url).path)
            if not all([_check(page, url, role, shots, findings) for page in pages]):
                continue
            if depth < 2 and urlparse(url).path.startswith(area):
                found += _links(pages[0], base)
        frontier = []
        for link in found:
            kind = shape(urlparse(link).path)
            if SKIPPED.search(urlparse(link).path) or kind in seen:
                continue
            seen.add(kind)
            frontier.append(link)
    for page in pages:
        page.close()
    return findings


def contexts_like(browser: Browser, signed_in: BrowserContext) -> list[BrowserContext]:
    """A phone's and a laptop's window sharing ``signed_in``'s session."""
    state = signed_in.storage_state()
    return [
        browser.new_context(viewport=size, locale="it-IT", storage_state=state)  # type: ignore[arg-type]
        for size in (PHONE, LAPTOP)
    ]
