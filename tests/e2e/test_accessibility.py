"""axe-core on every page of the portal and on the admin pages staff use most: 0 serious or critical violations.

The pages come from ``tests.a11y.pages`` (the same list the Nu HTML Checker test reads). axe-core (npm, installed
by ``make test`` into tests/a11y/node_modules) is injected with ``page.add_script_tag`` into a browser context
created with ``bypass_csp=True``: the portal keeps its strict Content-Security-Policy, only the test browser lets
the checker's script in. Each role browses in its own context with the session of a logged-in test client.
On portal pages a second check measures what axe-core does not: the border contrast of form controls (WCAG 1.4.11,
reported as the serious violation ``control-border-contrast``). Figures per page (violations by impact, rules with
their counts) are printed (``pytest -rP``) and, for any page with a serious or critical violation, make up the
assertion message.
"""

from collections import Counter

import pytest
from django.conf import settings

from tests.a11y.pages import AXE_SCRIPT, MISSING, ROLES, Page, World, build_pages, session_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMPACTS = ("critical", "serious", "moderate", "minor")
FAILING = ("critical", "serious")
AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


# WCAG 1.4.11 (non-text contrast), which axe-core does not check: the border of every visible, enabled form control
# against the first opaque background behind it must have at least 3:1. Portal pages only: the admin's controls are
# styled by Django's admin CSS.
CONTROL_CONTRAST = """() => {
  const parse = (value) => {
    const parts = (value.match(/rgba?\\(([^)]+)\\)/) || [null, ""])[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return parts.length < 3 ? null : { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const behind = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour.a > 0) return colour;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const low = [];
  const controls = "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]), select, textarea";
  for (const control of document.querySelectorAll(controls)) {
    if (control.disabled || control.closest("[aria-hidden=true]") || !control.getClientRects().length) continue;
    const style = getComputedStyle(control);
    if (parseFloat(style.borderTopWidth) === 0) { low.push(`#${control.id || control.name} (no border)`); continue; }
    const [a, b] = [luminance(parse(style.borderTopColor)), luminance(behind(control))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 3) low.push(`#${control.id || control.name} ${style.borderTopColor} ${ratio.toFixed(2)}:1`);
  }
  return low;
}"""


def _show(page, target: Page) -> None:
    """Open the page; a form page in its error state is sent empty first, as a person might."""
    response = page.goto(target.url)
    redirected = response.request.redirected_from is not None
    assert (response.status, redirected) == (200, False), (target.name, response.status, page.url)
    if target.submit_empty:
        with page.expect_navigation():
            page.locator("#main form [type=submit]").first.click()


def _audit(browser, live_server, world: World, pages: list[Page]) -> dict[str, list[dict]]:
    """Violations per page name; a console error on a page counts as a violation of its own."""
    if not AXE_SCRIPT.exists():
        pytest.fail(MISSING.format(AXE_SCRIPT))
    found: dict[str, list[dict]] = {}
    for role in ROLES:
        targets = [target for target in pages if target.role == role]
        if not targets:
            continue
        context = browser.new_context(locale="de-DE", base_url=live_server.url, bypass_csp=True)
        session = session_client(world, role).cookies.get(settings.SESSION_COOKIE_NAME)
        if session is not None:
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session.value, "url": live_server.url}]
            )
        page = context.new_page()
        page.set_default_timeout(15_000)
        console_errors: list[str] = []
        page.on("console", lambda msg, errors=console_errors: errors.append(msg.text) if msg.type == "error" else None)
        for target in targets:
            console_errors.clear()
            _show(page, target)
            page.add_script_tag(path=str(AXE_SCRIPT))
            violations = page.evaluate(AXE_RUN)
            low_contrast = [] if target.admin else page.evaluate(CONTROL_CONTRAST)
            if low_contrast:
                violations.append({"id": "control-border-contrast", "impact": "serious", "targets": low_contrast})
            violations += [{"id": "console-error", "impact": "critical", "targets": [e]} for e in console_errors]
            found[target.name] = violations
        context.close()
    return found


def _figures(found: dict[str, list[dict]]) -> str:
    """One line per page: violations (nodes) by impact, then the rules with their node counts."""
    lines = []
    for name, violations in found.items():
        by_impact = Counter()
        for violation in violations:
            by_impact[violation["impact"]] += len(violation["targets"])
        rules = ", ".join(f"{v['id']} ({v['impact']}) ×{len(v['targets'])}" for v in violations)
        counts = " ".join(f"{impact} {by_impact[impact]}" for impact in IMPACTS)
        lines.append(f"{name}: {counts}" + (f"; {rules}" if rules else ""))
    return "\n".join(lines)


def _failing(found: dict[str, list[dict]]) -> dict[str, dict[str, list[str]]]:
    return {
        name: {v["id"]: v["targets"] for v in violations if v["impact"] in FAILING}
        for name, violations in found.items()
        if any(v["impact"] in FAILING for v in violations)
    }


def _check(browser, live_server, *, admin: bool) -> None:
    world = build_pages()
    found = _audit(browser, live_server, world, [target for target in world.pages if target.admin == admin])
    figures = _figures(found)
    print(figures)
    failing = _failing(found)
    assert failing == {}, f"axe-core, serious or critical violations:\n{figures}\n\nNodes: {failing}"


def test_accessibility_of_every_portal_page(browser, live_server):
    _check(browser, live_server, admin=False)


def test_accessibility_of_the_admin_pages_staff_use_most(browser, live_server):
    _check(browser, live_server, admin=True)


def test_accessibility_border_check_finds_faint_and_passes_clear_borders(browser):
    """The border check itself: Bootstrap's default #dee2e6 (1.30:1 on white) is found, #767676 (4.54:1) passes,
    a control inside aria-hidden (the honeypot) and a disabled one are left out."""
    page = browser.new_page()
    page.set_content(
        '<main><input id="faint" style="border: 1px solid #dee2e6">'
        '<select id="clear" style="border: 1px solid #767676"></select>'
        '<div aria-hidden="true"><input id="hidden" style="border: 1px solid #dee2e6"></div>'
        '<textarea id="disabled" disabled style="border: 1px solid #dee2e6"></textarea>'
        '<input type="checkbox" id="borderless" style="appearance: none; border: 0"></main>'
    )
    assert page.evaluate(CONTROL_CONTRAST) == ["#faint rgb(222, 226, 230) 1.30:1", "#borderless (no border)"]
    page.close()
