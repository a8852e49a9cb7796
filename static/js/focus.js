// Focus stays where the action was. A submitted form, or the panel it sits in, may be
// replaced by the answer or by the live update it causes (a commit form disappears once
// no unit is left to commit): focus would drop to the page's body. It goes back to the
// same control if it is still there, else to the card or panel the action was made in.
(function () {
  "use strict";
  var last = null; // {id, name, value, container} of the control that sent a request

  function describe(el) {
    if (!el || el === document.body) return null;
    var form = el.closest && el.closest("form");
    var container = el.closest && el.closest("[id].op-card, [id].coalition, .panel[id], section[id], [role=tabpanel]");
    return {
      id: el.id || null,
      formId: form && form.id ? form.id : null,
      kind: form ? (form.querySelector("input[name=kind]") || {}).value : null,
      containerId: container ? container.id : null,
    };
  }

  function restore() {
    if (!last) return;
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    var target = (last.id && document.getElementById(last.id)) ||
      (last.formId && document.querySelector("#" + CSS.escape(last.formId) + " [type=submit]")) ||
      (last.containerId && document.getElementById(last.containerId));
    if (!target) return;
    var container = last.containerId && document.getElementById(last.containerId);
    if (!last.id && container && container.contains(target) && target === container) {
      var control = container.querySelector("select, button, textarea, input:not([type=hidden])");
      if (control) target = control;
    }
    if (target.tabIndex < 0 && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }

  document.addEventListener("htmx:beforeRequest", function (e) {
    var active = document.activeElement;
    var elt = e.detail && e.detail.elt;
    // Only a request the player made (the focus is in the element that sent it).
    if (!elt || !active || active === document.body || !(elt === active || elt.contains(active))) return;
    last = describe(active);
  });
  document.addEventListener("htmx:afterSettle", restore);
  document.addEventListener("htmx:oobAfterSwap", function () { setTimeout(restore, 0); });
  document.addEventListener("focusin", function (e) {
    // A new choice of the player's own ends the watch.
    if (last && e.target !== document.body) {
      var d = describe(e.target);
      if (d && d.id !== last.id) last = null;
    }
  });
})();
