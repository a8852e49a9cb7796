// The middle column's tabs: map & operations, negotiation, review, briefing.
// An ARIA tablist: click or arrow keys choose a view; the choice survives a reload (per
// seat, for this browser tab). A badge on a hidden view says something there needs a look.
(function () {
  "use strict";
  function tabs() { return Array.prototype.slice.call(document.querySelectorAll('.tabs [role="tab"]')); }
  function storageKey() { return "entente-view:" + location.pathname; }

  function select(tab, focus) {
    tabs().forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      var view = document.getElementById(t.getAttribute("aria-controls"));
      if (view) view.hidden = !on;
    });
    if (focus) tab.focus();
    if (tab.id === "tab-review") { var badge = document.getElementById("review-badge"); if (badge) badge.hidden = true; }
    try { sessionStorage.setItem(storageKey(), tab.id); } catch (e) { /* private mode */ }
    updateNegotiationBadge();
  }

  function selected(id) {
    var tab = document.getElementById(id);
    return !!tab && tab.getAttribute("aria-selected") === "true";
  }

  // What waits in the negotiation view: unread messages and proposals to answer.
  function updateNegotiationBadge() {
    var badge = document.getElementById("negotiation-badge");
    if (!badge) return;
    var count = 0;
    document.querySelectorAll("#negotiation .unread:not([hidden]) .unread-n").forEach(function (n) {
      count += Number(n.textContent) || 0;
    });
    var agreements = document.getElementById("agreements");
    if (agreements) count += Number(agreements.dataset.awaiting) || 0;
    badge.hidden = count === 0;
    badge.textContent = count ? String(count) : "";
    badge.title = count ? uiText("waiting", "Unread messages or proposals to answer: %(count)s", { count: count }) : "";
  }

  document.addEventListener("click", function (e) {
    var tab = e.target.closest && e.target.closest('.tabs [role="tab"]');
    if (tab) select(tab, false);
  });
  document.addEventListener("keydown", function (e) {
    var tab = e.target.closest && e.target.closest('.tabs [role="tab"]');
    if (!tab) return;
    var all = tabs();
    var i = all.indexOf(tab);
    var next = null;
    if (e.key === "ArrowRight") next = all[(i + 1) % all.length];
    else if (e.key === "ArrowLeft") next = all[(i - 1 + all.length) % all.length];
    else if (e.key === "Home") next = all[0];
    else if (e.key === "End") next = all[all.length - 1];
    if (next) { e.preventDefault(); select(next, true); }
  });
  // A map link to an operation card opens the operations view first.
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest('a[href^="#op-"]');
    if (link) { var tab = document.getElementById("tab-operations"); if (tab) select(tab, false); }
  }, true);

  var shownResults = null;
  function resultsHeading() {
    var h = document.querySelector("#results h2");
    return h ? h.textContent : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    shownResults = resultsHeading();
    var saved = null;
    try { saved = sessionStorage.getItem(storageKey()); } catch (e) { saved = null; }
    var tab = saved && document.getElementById(saved);
    if (tab) select(tab, false);
  });
  document.addEventListener("htmx:oobAfterSwap", function (e) {
    var id = e.detail && e.detail.target && e.detail.target.id;
    if (id === "results") {
      // A reconnect re-sends the same results: only a newly resolved turn is news.
      var heading = resultsHeading();
      var badge = document.getElementById("review-badge");
      if (badge && heading !== shownResults && !selected("tab-review")) badge.hidden = false;
      shownResults = heading;
    }
    if (id === "negotiation" || id === "agreements" || id === "talk-reads") updateNegotiationBadge();
  });
  document.addEventListener("htmx:afterSettle", updateNegotiationBadge);
})();
