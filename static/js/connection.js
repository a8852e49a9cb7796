// The live-connection badge when the websocket closes (the server sets "Live" itself).
(function () {
  "use strict";
  // htmx-ext-ws retries only after these close codes; any other close is final.
  var RETRIED = [1006, 1011, 1012, 1013];
  // Its default backoff ("full-jitter") grows to a minute: a class whose server restarted
  // waited up to 44 s. Retry within 2 s at most (jittered, so a room of pages does not
  // knock all at once), so a page is live again a few seconds after the server is back.
  var MAX_RETRY_MS = 2000;
  if (window.htmx) {
    htmx.config.wsReconnectDelay = function (retryCount) {
      var ceiling = Math.min(MAX_RETRY_MS, 250 * Math.pow(2, retryCount));
      return ceiling / 2 + Math.random() * ceiling / 2;
    };
  }

  function setConnection(cls, text) {
    var el = document.getElementById("connection");
    if (!el) return;
    el.className = "connection connection-" + cls;
    el.textContent = text;
  }

  document.addEventListener("htmx:wsClose", function (e) {
    var code = e.detail && e.detail.event ? e.detail.event.code : 1006;
    if (RETRIED.indexOf(code) >= 0) setConnection("lost", uiText("reconnecting", "Reconnecting…"));
    else setConnection("lost", uiText("disconnected", "Disconnected — reload the page"));
  });
})();
