// The phase countdown: the clock panel says how many seconds are left when it is drawn;
// this counts them down between live updates, and starts again from each new clock.
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

  document.addEventListener("DOMContentLoaded", function () {
    armCountdown();
    setInterval(tick, 1000);
  });
  document.addEventListener("htmx:oobAfterSwap", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "clock") armCountdown();
  });
})();
