"""Walking the site as a person does, and checking each kind of page once.

``walk`` starts from the links of a person's menu and follows every link of this site
from there, so a page or a form added by anyone is checked without being named here. Pages
of one kind (``/ho-so/CS-2026-00012`` and ``/ho-so/CS-2026-00007``) are one "shape": the
check runs on the first of each shape, but up to ``HARVEST`` pages of a shape are opened
for their links, since two cases in different steps offer different forms.

``axe_problems`` runs axe-core (shipped inside the ``axe-playwright-python`` wheel, a dev
dependency: nothing is fetched while testing) with the WCAG 2.0–2.2 A and AA rules and
keeps the serious and critical violations, described in words a person can act on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}
HARVEST = 25
# Links that leave the pages: log out, switch language, files, the API and its docs.
NOT_PAGES = re.compile(r"^/(static|api|docs|redoc|openapi|ngon-ngu|dang-xuat)\b")
_AXE = Axe()


def shape(path: str) -> str:
    """The kind of page: every path segment holding a digit is a record's code or id."""
    return "/".join("{}" if re.search(r"\d", part) else part for part in path.split("/"))


def axe_problems(page: Page) -> list[str]:
    """The serious and critical WCAG A/AA violations on the page, one line per element."""
    options = {"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]}
    result = _AXE.run(page, options=options).response
    problems = []
    for violation in result["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            problems.append(
                f"{violation['id']} [{violation['impact']}] {violation['help']}: {target}"
                f"\n      {node['html'][:160]}"
            )
    return problems


def overflow(page: Page) -> int:
    """How many pixels the page is wider than its viewport (it scrolls sideways if > 0)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href") and "download" not in found:
            self.hrefs.append(found["href"] or "")


def links_in(html: str) -> list[str]:
    """The paths of this site's pages that ``html`` links to (not files, not the API)."""
    parser = _Anchors()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, tel:, mailto:, or an anchor on this page
        if NOT_PAGES.match(parts.path):
            continue
        found.append(parts.path)  # a filter or a page number is the same page
    return found


def menu(page: Page) -> list[str]:
    """The links of the person's menu (the service navigation), in its order."""
    hrefs = page.eval_on_selector_all(
        ".govuk-service-navigation a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    return [href for href in hrefs if href.startswith("/") and not NOT_PAGES.match(href)]


@dataclass
class Walk:
    """What one person's walk met: each shape's first URL, and the problems per URL."""

    seen: dict[str, str] = field(default_factory=dict)  # shape -> first URL
    problems: dict[str, list[str]] = field(default_factory=dict)

    def report(self, who: str) -> str:
        lines = [f"{who}: {len(self.problems)} of {len(self.seen)} kinds of page fail"]
        for url, found in self.problems.items():
            lines.append(f"  {url}")
            lines.extend(f"    {problem}" for problem in found)
        return "\n".join(lines)


def walk(
    page: Page,
    base_url: str,
    start: list[str],
    check: Callable[[Page], list[str]] | None,
    *,
    harvest: int = HARVEST,
    limit: int = 600,
) -> Walk:
    """Open ``start`` and every page linked from there (breadth first) and ``check`` the
    first page of each shape in the browser; further pages of a shape (at most
    ``harvest``) are only fetched, with the browser's cookies, for their links. Without
    ``check`` every page is only fetched: a quick way to find where each kind of page is."""
    found = Walk()
    opened: set[str] = set()
    fetched: dict[str, int] = {}
    queue = list(dict.fromkeys(start))
    queued = set(queue)
    while queue and limit > 0:
        url = queue.pop(0)
        limit -= 1
        kind = shape(url)
        if kind not in opened and check is not None:
            opened.add(kind)
            response = page.goto(base_url + url)
            if response is None or not response.ok or not page.url.startswith(base_url):
                continue
            landed = urlsplit(page.url).path  # a redirect may land on another kind of page
            if shape(landed) not in found.seen:
                found.seen[shape(landed)] = landed
                opened.add(shape(landed))
                problems = check(page)
                if problems:
                    found.problems[landed] = problems
            html = page.content()
        elif fetched.get(kind, 0) < harvest:
            fetched[kind] = fetched.get(kind, 0) + 1
            found.seen.setdefault(kind, url)
            answer = page.request.get(base_url + url, max_redirects=0)
            if not answer.ok:
                continue
            html = answer.text()
        else:
            continue
        for link in links_in(html):
            if link not in queued:
                queued.add(link)
                queue.append(link)
    return found


def refuse_each_form(page: Page, check: Callable[[Page], list[str]]) -> list[str]:
    """Send each form of the page that asks for something with its fields left as they
    are, and ``check`` each refusal as it comes back (its error summary and messages)."""
    url = page.url
    forms = page.locator("main form[method=post]")
    problems: list[str] = []
    for index in range(forms.count()):
        form = forms.nth(index)
        asks = form.locator("input:not([type=hidden]):not([type=submit]), textarea, select").count()
        if not asks:
            continue  # a single button: sending it would do the thing, not refuse it
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            form.locator("button:not([type=button])").last.click()
        if answer.value.status == 422:
            page.locator(".govuk-error-summary").wait_for()
            problems += [f"{url} (refused): {problem}" for problem in check(page)]
        page.goto(url)
        forms = page.locator("main form[method=post]")
    return problems
