// Every request that does not reach the server, or that the server could not answer, says
// so where it was made, and loses nothing: htmx swaps nothing on a failure, so the form
// keeps what was typed; a note in the form says what happened until the next try.
// And a form htmx has not taken over yet (a view swapped in a moment ago) is not sent as
// a plain page load, which would throw the typed text away: it waits for htmx.
(function () {
  "use strict";
  var NOTE = "request-failure";

  function placeOf(elt) {
    if (!elt || !elt.closest) return null;
    return elt.closest("form") || elt;
  }

  function clear(place) {
    if (!place) return;
    var note = place.querySelector ? place.querySelector(":scope > ." + NOTE) : null;
    if (note) note.remove();
  }

  function say(place, text) {
    if (!place || !place.isConnected) return;
    clear(place);
    var note = document.createElement("p");
    note.className = NOTE;
    note.setAttribute("role", "alert");
    note.textContent = text;
    if (place.tagName === "FORM") place.appendChild(note);
    else place.insertAdjacentElement("afterend", note);
  }

  function kept(place) {
    var typed = place && place.querySelector && place.querySelector("textarea, input:not([type=hidden])");
    return " " + (typed ? uiText("kept", "What you entered is kept: try again.") : uiText("try_again", "Try again."));
  }

  document.addEventListener("htmx:beforeRequest", function (e) { clear(placeOf(e.detail.elt)); });
  document.addEventListener("htmx:sendError", function (e) {
    var place = placeOf(e.detail.elt);
    var offline = navigator.onLine === false;
    say(place, (offline ? uiText("offline", "Not sent: this browser is offline.")
      : uiText("unreachable", "Not sent: the server cannot be reached.")) + kept(place));
  });
  document.addEventListener("htmx:responseError", function (e) {
    var place = placeOf(e.detail.elt);
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    var said = status === 403
      ? uiText("expired", "Not done: this page's session has expired or the seat was reissued (reload the page).")
      : status >= 500 ? uiText("server_failed", "Not done: the server failed (%(status)s).", { status: status })
      : uiText("refused", "Not done: the server refused it (%(status)s).", { status: status });
    say(place, said + kept(place));
  });

  function taken(form) {
    var data = form["htmx-internal-data"];
    return !!(data && data.initHash);
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form || !form.hasAttribute || !(form.hasAttribute("hx-post") || form.hasAttribute("hx-get"))) return;
    if (taken(form)) return; // htmx has it: its own handler sends it
    e.preventDefault();
    if (!window.htmx) return; // htmx has not loaded yet: nothing is lost, press again
    htmx.process(form);
    if (taken(form)) form.requestSubmit(e.submitter || undefined);
  }, true);
})();
