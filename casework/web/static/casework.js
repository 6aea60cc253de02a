// Progressive enhancement only: every page and form works without this file (UX.md §5).
import { initAll } from "./vendor/govuk/govuk-frontend-6.3.0.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

// GOV.UK Frontend marks a radio that reveals more questions with aria-expanded, which ARIA
// does not allow on a radio (axe-core: aria-allowed-attr, critical). The revealed
// questions follow the radio in reading order and its aria-controls still names them, so
// the attribute is taken off whenever the component sets it.
function withoutExpanded(radio) {
  if (radio.matches('input[type="radio"]') && radio.hasAttribute("aria-expanded")) {
    radio.removeAttribute("aria-expanded");
  }
}
new MutationObserver((changes) => changes.forEach((change) => withoutExpanded(change.target)))
  .observe(document.body, { subtree: true, attributes: true, attributeFilter: ["aria-expanded"] });
initAll();
document.querySelectorAll('input[type="radio"][aria-expanded]').forEach(withoutExpanded);

// A printable form's "In biểu mẫu" button: hidden until there is a script to print with.
function startPrintButtons(scope) {
  scope.querySelectorAll('[data-module="cw-print"]').forEach((button) => {
    if (button.dataset.cwStarted) return; // a page swapped in by htmx is started once
    button.dataset.cwStarted = "true";
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
}
startPrintButtons(document);

// Pages swapped in by htmx (boosted links and forms) get their components started too,
// including the error summary, which takes the focus (GOV.UK Frontend's own behaviour).
document.addEventListener("htmx:load", (event) => {
  initAll({ scope: event.target, onError: () => {} });
  startPrintButtons(event.target);
});

// Every htmx request carries the CSRF token, as the forms' hidden field does.
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) event.detail.headers["X-CSRF-Token"] = meta.content;
});

// On a weak connection: say so, and keep what was typed (the form is not reset).
document.addEventListener("htmx:sendError", () => {
  const banner = document.getElementById("cw-offline");
  if (banner) banner.hidden = false;
});
window.addEventListener("offline", () => {
  const banner = document.getElementById("cw-offline");
  if (banner) banner.hidden = false;
});
window.addEventListener("online", () => {
  const banner = document.getElementById("cw-offline");
  if (banner) banner.hidden = true;
});

// A boosted request swaps the body, not the head: after logging in (a new session, a new
// CSRF token) the page's <meta> would still hold the old token and every later htmx form
// would be refused. Take the token from each page the server sends.
document.addEventListener("htmx:afterRequest", (event) => {
  const text = event.detail.xhr ? event.detail.xhr.responseText : "";
  const found = /<meta name="csrf-token" content="([^"]*)">/.exec(text || "");
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (found && meta) meta.content = found[1];
});
