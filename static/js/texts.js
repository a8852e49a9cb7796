// The texts scripts write for a person, in the page's language: the server translates them
// into the page's JSON block (#ui-texts, templates/base.html; a data block, so the CSP has
// nothing to run). `uiText(key, fallback, values)` fills its %(name)s placeholders; the
// English fallback serves a page without the block.
(function () {
  "use strict";
  var texts = null;

  function load() {
    if (texts !== null) return texts;
    var block = document.getElementById("ui-texts");
    try { texts = block ? JSON.parse(block.textContent) : {}; } catch (e) { texts = {}; }
    return texts;
  }

  window.uiText = function (key, fallback, values) {
    var text = load()[key] || fallback;
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  };
})();
