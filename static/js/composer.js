// The proposal composer's terms follow its kind and its parties.
// Choosing a kind or ticking a party asks the server for the terms' fields again (the
// nations they name are offered among the parties only). What the player picks or types
// while that answer is on its way is carried into the new fields, when they are for the
// same kind and still offer the choice; so is the keyboard focus.
(function () {
  "use strict";
  var FIELDS_ID = "proposal-fields";
  var CONTROLS = "select[name], input[name]:not([type=hidden]), textarea[name]";
  var sent = null; // the fields as the request for new ones left
  var carried = null;

  function isBox(el) { return el.type === "checkbox" || el.type === "radio"; }
  function keyOf(el) { return isBox(el) ? el.name + "=" + el.value : el.name; }
  function valueOf(el) { return isBox(el) ? el.checked : el.value; }

  function snapshot(root) {
    var values = {};
    root.querySelectorAll(CONTROLS).forEach(function (el) { values[keyOf(el)] = valueOf(el); });
    return values;
  }

  function isFields(e) {
    var target = e.detail && e.detail.target;
    return !!target && target.id === FIELDS_ID;
  }

  document.addEventListener("htmx:beforeRequest", function (e) {
    if (isFields(e)) sent = snapshot(e.detail.target);
  });
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (!isFields(e)) return;
    var target = e.detail.target;
    var now = snapshot(target);
    var changed = {};
    Object.keys(now).forEach(function (key) {
      if (sent && sent[key] !== now[key]) changed[key] = now[key];
    });
    var active = document.activeElement;
    carried = {
      kind: target.dataset.kind,
      values: changed,
      focus: active && active.name && target.contains(active) ? keyOf(active) : null,
    };
    sent = null;
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    if (!isFields(e) || !carried) return;
    var fields = document.getElementById(FIELDS_ID);
    var was = carried;
    carried = null;
    if (!fields || fields.dataset.kind !== was.kind) return;
    fields.querySelectorAll(CONTROLS).forEach(function (el) {
      var key = keyOf(el);
      if (key === was.focus) el.focus({ preventScroll: true });
      if (!(key in was.values)) return;
      var value = was.values[key];
      if (isBox(el)) el.checked = value;
      else if (el.tagName !== "SELECT") el.value = value;
      else if (Array.prototype.some.call(el.options, function (o) { return o.value === value; })) el.value = value;
    });
  });
})();
