// The texts scripts write for a person, in the page's language: the server translates them
// into the body's data-ui-texts attribute (JSON, templates/base.html: data, nothing for the
// CSP to refuse). `uiText(key, fallback, values)` fills its %(name)s placeholders; the
// English fallback serves a page without the block.
(function () {
  "use strict";
  var texts = null;

  function load() {
    if (texts !== null) return texts;
    var json = document.body ? document.body.dataset.uiTexts : null;
    try { texts = json ? JSON.parse(json) : {}; } catch (e) { texts = {}; }
    return texts;
  }

  window.uiText = function (key, fallback, values) {
    var text = load()[key] || fallback;
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  };
})();
