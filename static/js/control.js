// Control's live console (templates/control/): answers next to the button pressed, typed
// feedback kept through another instructor's release, the open channel kept up to date,
// and the exercise view's countdowns. Does nothing on a page without these elements.
(function () {
  "use strict";

  // A form's answer is left as it is by the live morphs (static/js/morph.js).

  function answers() {
    return document.querySelectorAll(".form-answer");
  }

  // Feedback typed and not yet saved stays on screen when no turn is held any more (the
  // turn was released by another instructor): the panel shows it, and says why.
  function keepUnsavedFeedback() {
    var panel = document.getElementById("control-adjudication");
    if (!panel || panel.dataset.held === "yes") return;
    var unsaved = Array.prototype.some.call(panel.querySelectorAll("textarea"), function (t) {
      return t.value.trim() !== "" && t.value !== t.defaultValue;
    });
    panel.hidden = !unsaved;
  }

  // The open channel: its messages read again when its count changes (not its form, so
  // what is being written stays).
  var openChannel = null;

  function refreshOpenChannel() {
    if (!openChannel || !window.htmx) return;
    var button = document.querySelector('#control-channels [data-channel="' + CSS.escape(openChannel.id) + '"]');
    if (!button || button.dataset.count === openChannel.count) return;
    openChannel.count = button.dataset.count;
    window.htmx.ajax("GET", openChannel.url, {
      target: "#control-channel .channel-messages", select: ".channel-messages", swap: "outerHTML"
    });
  }

  // The exercise view's time left, counted down between live updates.
  function tickGlances() {
    document.querySelectorAll(".glance-left[data-remaining]").forEach(function (el) {
      if (!el.dataset.armedAt) el.dataset.armedAt = String(Date.now());
      var left = Math.max(0, Number(el.dataset.remaining) - Math.round((Date.now() - Number(el.dataset.armedAt)) / 1000));
      el.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    });
  }

  // "Last action": how long ago, kept true between live updates (each redraw says how
  // many seconds it was when drawn; the words are the template's).
  function idleWords(seconds) {
    if (seconds < 60) return "just now";
    if (seconds < 3600) return Math.floor(seconds / 60) + " min ago";
    return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " min ago";
  }

  function tickLastActions() {
    document.querySelectorAll(".last-action[data-idle]").forEach(function (cell) {
      if (cell.dataset.idle !== cell.dataset.drawnIdle) {
        cell.dataset.drawnIdle = cell.dataset.idle;
        cell.dataset.drawnAt = String(Date.now());
      }
      var idle = Number(cell.dataset.idle) + Math.round((Date.now() - Number(cell.dataset.drawnAt)) / 1000);
      cell.textContent = idleWords(idle);
    });
  }

  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = e.detail && e.detail.elt;
    if (!form || !form.classList || !form.classList.contains("control-action")) return;
    // One answer on screen at a time: the newest, next to the button just pressed.
    answers().forEach(function (slot) { slot.textContent = ""; });
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    var elt = e.detail && e.detail.elt;
    if (!elt || !elt.classList) return;
    if (elt.classList.contains("control-action")) {
      var done = e.detail.successful && /control-message ok/.test(e.detail.xhr.responseText);
      if (done && (elt.hasAttribute("data-reset-when-done") || elt.id === "adjudication-form")) {
        elt.reset();
        keepUnsavedFeedback();
      }
    } else if (elt.classList.contains("channel-link") && e.detail.successful) {
      openChannel = { id: elt.dataset.channel, count: elt.dataset.count, url: elt.getAttribute("hx-get") };
    }
  });

  document.addEventListener("htmx:oobAfterSwap", function (e) {
    var target = e.detail && e.detail.target;
    if (!target) return;
    if (target.id === "control-adjudication") keepUnsavedFeedback();
    else if (target.id === "control-channels") refreshOpenChannel();
    else if (target.id && target.id.indexOf("glance-") === 0) {
      target.querySelectorAll(".glance-left").forEach(function (el) { delete el.dataset.armedAt; });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector(".glance-left")) setInterval(tickGlances, 1000);
    if (document.getElementById("control-seats")) setInterval(tickLastActions, 15000);
  });
})();
