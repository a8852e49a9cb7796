// Control's live status is polled (data-poll-unless-focused): skip a poll while the
// instructor is working in it, as a redraw would take the focus and a half-made choice
// away. (A trigger filter would say this in an attribute, but the CSP forbids evaluating it.)
document.addEventListener("htmx:beforeRequest", function (e) {
  "use strict";
  var elt = e.detail && e.detail.elt;
  if (elt && elt.hasAttribute && elt.hasAttribute("data-poll-unless-focused") &&
      elt.contains(document.activeElement)) e.preventDefault();
});
