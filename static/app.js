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
  // htmx-ext-ws retries only after these close codes; any other close is final.
  var RETRIED = [1006, 1011, 1012, 1013];
  document.addEventListener("htmx:wsClose", function (e) {
    var code = e.detail && e.detail.event ? e.detail.event.code : 1006;
    if (RETRIED.indexOf(code) >= 0) setConnection("lost", "Reconnecting…");
    else setConnection("lost", "Disconnected — reload the page");
  });
})();
