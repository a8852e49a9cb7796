// Small page behaviour: the phase countdown and the live-connection badge.
(function () {
  "use strict";
  var endsAt = null;

  function armCountdown() {
    var el = document.querySelector(".countdown[data-remaining]");
    endsAt = el ? Date.now() + Number(el.dataset.remaining) * 1000 : null;
  }

  function tick() {
    var el = document.querySelector(".countdown[data-remaining]");
    if (!el || endsAt === null) return;
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    el.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
  }

  function setConnection(cls, text) {
    var el = document.getElementById("connection");
    if (!el) return;
    el.className = "connection connection-" + cls;
    el.textContent = text;
  }

  document.addEventListener("DOMContentLoaded", function () {
    armCountdown();
    setInterval(tick, 1000);
  });
  document.addEventListener("htmx:oobAfterSwap", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "clock") armCountdown();
  });
  document.addEventListener("htmx:afterSwap", armCountdown);
  document.addEventListener("htmx:wsClose", function () { setConnection("lost", "Reconnecting…"); });
  document.addEventListener("htmx:wsError", function () { setConnection("lost", "Reconnecting…"); });
})();
