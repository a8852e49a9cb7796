// The scenario editor: clicking an error's line number selects that line in the text,
// and the caret's line and column are shown under it.
(function () {
  "use strict";

  function lineStart(text, line) {
    var index = 0;
    for (var n = 1; n < line && index !== -1; n++) {
      index = text.indexOf("\n", index);
      if (index !== -1) index += 1;
    }
    return index === -1 ? text.length : index;
  }

  function showPosition(area) {
    var out = document.getElementById("cursor-position");
    if (!out) return;
    var before = area.value.slice(0, area.selectionStart);
    var line = before.split("\n").length;
    var column = before.length - before.lastIndexOf("\n");
    out.textContent = "Line " + line + ", column " + column;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".line-link") : null;
    var area = document.getElementById("source");
    if (!button || !area) return;
    var line = Number(button.dataset.line);
    var start = lineStart(area.value, line);
    var end = area.value.indexOf("\n", start);
    if (end === -1) end = area.value.length;
    area.focus();
    area.setSelectionRange(start, end);
    var lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
    area.scrollTop = Math.max(0, (line - 4) * lineHeight);
    showPosition(area);
  });

  ["keyup", "click", "focus"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (event.target && event.target.id === "source") showPosition(event.target);
    }, true);
  });
})();
