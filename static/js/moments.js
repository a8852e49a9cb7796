// Confirmations belong to one moment ("Signed.", "Opened Arvenia – Lindmark.", "Unit
// committed…"): they go away when the player does the next thing, or after a short read,
// so an old "Signed." never sits above later proposals. Refusals stay until answered.
(function () {
  "use strict";
  var READ_MS = 10000;
  var CONFIRMATIONS = ".talk-msg.ok, .talk-status.small";

  function clearOrderStatus() {
    var status = document.getElementById("order-status");
    if (status && status.classList.contains("ok")) { status.textContent = ""; status.classList.remove("ok"); }
  }
  // `everything`: the player acts again, so a commit answer's refusals go too.
  function clearAll(everything) {
    document.querySelectorAll(CONFIRMATIONS).forEach(function (el) {
      if (el.closest("#message-list")) return;
      el.remove();
    });
    clearOrderStatus();
    document.querySelectorAll(".commit-answer").forEach(function (el) {
      if (everything === true || !el.querySelector(".rejected")) el.textContent = "";
    });
  }
  var timer = null;
  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(clearAll, READ_MS);
  }

  document.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail && e.detail.elt;
    var verb = e.detail && e.detail.requestConfig ? e.detail.requestConfig.verb : "";
    // Only what the player does: not the page's own reads and refreshes.
    if (!elt || String(verb).toLowerCase() === "get") return;
    clearAll(true);
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (document.querySelector(CONFIRMATIONS) || document.querySelector("#order-status.ok, .commit-answer .ok")) later();
  });
})();
