// The live-connection badge when the websocket closes (the server sets "Live" itself).
(function () {
  "use strict";
  // htmx-ext-ws retries only after these close codes; any other close is final.
  var RETRIED = [1006, 1011, 1012, 1013];

  function setConnection(cls, text) {
    var el = document.getElementById("connection");
    if (!el) return;
    el.className = "connection connection-" + cls;
    el.textContent = text;
  }

  document.addEventListener("htmx:wsClose", function (e) {
    var code = e.detail && e.detail.event ? e.detail.event.code : 1006;
    if (RETRIED.indexOf(code) >= 0) setConnection("lost", "Reconnecting…");
    else setConnection("lost", "Disconnected — reload the page");
  });
})();
