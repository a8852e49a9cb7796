// The page's words in the reader's language: the editor carries them translated in a JSON
// block (#library-words), keyed by their English text; `%(name)s` is filled from `vars`.
// A text the block lacks is shown as written (English).
var ententeWords = null;
function ententeSay(text, vars) {
  if (ententeWords === null) {
    var block = document.getElementById("library-words");
    ententeWords = block ? JSON.parse(block.textContent) : {};
  }
  var said = Object.prototype.hasOwnProperty.call(ententeWords, text) ? ententeWords[text] : text;
  return said.replace(/%\((\w+)\)s/g, function (all, name) {
    return vars && Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : all;
  });
}

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
    out.textContent = ententeSay("Line %(line)s, column %(column)s", { line: line, column: column });
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

// The field help beside the editor: the YAML path of the line under the caret, looked up
// in the field reference the page carries (generated from the schema on the server).
(function () {
  "use strict";
  var data = document.getElementById("field-reference");
  var area = document.getElementById("source");
  var out = document.getElementById("field-help");
  if (!data || !area || !out) return;
  var reference = JSON.parse(data.textContent);
  var KEY = /^(\s*)(-\s+)?([A-Za-z_][\w-]*)\s*:(?:\s|$)/;

  function keyOf(line) {
    var m = KEY.exec(line);
    if (!m) return null;
    return { key: m[3], col: m[1].length + (m[2] ? m[2].length : 0) };
  }

  function indentOf(line) {
    var m = /^(\s*)(-\s+)?/.exec(line);
    return m[1].length;
  }

  // The pattern of the mapping the caret is in ("nations.units") and the field name.
  function cursorPath(text, position) {
    var lines = text.slice(0, position).split("\n");
    var current = lines[lines.length - 1];
    var rest = text.slice(position).split("\n")[0];
    var whole = current + rest;
    var chain = [];
    var field = null;
    var here = keyOf(whole);
    var flowOpen = current.lastIndexOf("{");
    if (flowOpen !== -1 && current.indexOf("}", flowOpen) === -1) {
      // Inside a flow mapping: the last "key:" before the caret names the field.
      // The caret may sit inside a key: read on to the end of its entry.
      var inner = current.slice(flowOpen + 1) + rest.split(/[,}]/)[0];
      var keys = inner.match(/([A-Za-z_][\w-]*)\s*:/g);
      field = keys ? keys[keys.length - 1].replace(/\s*:$/, "") : null;
      var owner = keyOf(current.slice(0, flowOpen));
      if (owner && current.slice(0, flowOpen).trim() !== "-") chain.push(owner.key);
      var level = owner ? owner.col : indentOf(current);
      collectParents(lines, level, chain);
    } else if (here) {
      field = here.key;
      collectParents(lines, here.col, chain);
    } else {
      collectParents(lines, indentOf(whole) + 1, chain);
    }
    return { pattern: chain.join("."), field: field };
  }

  // Adds to the front of `chain` every key above the caret that opens a block containing it.
  function collectParents(lines, level, chain) {
    var limit = level;
    var found = [];
    for (var i = lines.length - 2; i >= 0 && limit > 0; i--) {
      var line = lines[i];
      if (!line.trim() || /^\s*#/.test(line)) continue;
      var k = keyOf(line);
      var dash = /^(\s*)-\s/.exec(line);
      if (k && k.col < limit) { found.unshift(k.key); limit = k.col; }
      else if (dash && dash[1].length < limit && !k) { limit = dash[1].length + 1; }
    }
    for (var j = found.length - 1; j >= 0; j--) chain.unshift(found[j]);
  }

  function row(term, value) {
    if (!value) return "";
    var dt = document.createElement("dt"); dt.textContent = term;
    var dd = document.createElement("dd"); dd.textContent = value;
    return [dt, dd];
  }

  function show() {
    var where = cursorPath(area.value, area.selectionStart);
    var part = reference[where.pattern];
    if (!part && where.pattern) {
      // Inside a free mapping (requirements: {land: 2}): describe the mapping's own field.
      var cut = where.pattern.lastIndexOf(".");
      where = { pattern: cut === -1 ? "" : where.pattern.slice(0, cut), field: where.pattern.slice(cut + 1) };
      part = reference[where.pattern];
    }
    var doc = part && where.field ? part.fields[where.field] : null;
    var child = reference[(where.pattern ? where.pattern + "." : "") + where.field];
    out.textContent = "";
    var title = document.createElement("h3");
    if (!part) {
      var p = document.createElement("p"); p.className = "small muted";
      p.textContent = where.field ? ententeSay("No field “%(field)s” here in the schema: check its spelling and indentation.", { field: where.field }) : ententeSay("Put the cursor on a field.");
      out.appendChild(p);
      return;
    }
    title.textContent = (where.pattern ? where.pattern + "." : "") + (where.field || "");
    out.appendChild(title);
    if (!doc) {
      var unknown = document.createElement("p"); unknown.className = "small";
      unknown.textContent = (where.field ? ententeSay("“%(field)s” is not a field of %(part)s.", { field: where.field, part: part.title }) + " " : "") + ententeSay("Its fields: %(fields)s.", { fields: Object.keys(part.fields).join(", ") });
      out.appendChild(unknown);
      return;
    }
    var list = document.createElement("dl");
    [
      row(ententeSay("Type"), doc.type + (doc.allowed.length ? ": " + doc.allowed.join(", ") : "")),
      row(ententeSay("Required"), doc.required ? ententeSay("yes") : ententeSay("no")),
      row(ententeSay("Default"), doc.required ? "" : doc.default),
      row(ententeSay("Meaning"), doc.description || (child ? child.description : "")),
      row(ententeSay("Example"), doc.example),
      row(ententeSay("Contains"), child ? Object.keys(child.fields).join(", ") : "")
    ].forEach(function (pair) { if (pair) { list.appendChild(pair[0]); list.appendChild(pair[1]); } });
    out.appendChild(list);
    var link = document.createElement("a");
    link.href = "/scenarios/reference#ref-" + (where.pattern || "top");
    link.target = "_blank"; link.rel = "noopener"; link.className = "small";
    link.textContent = ententeSay("All of %(part)s", { part: part.title });
    out.appendChild(link);
  }

  ["keyup", "click", "focus"].forEach(function (name) { area.addEventListener(name, show); });
  window.EntenteFieldHelp = { cursorPath: cursorPath };
})();

// Guided forms and the map: they write valid YAML into the editor's text (block style,
// two-space indents), so an author who never typed YAML gets a file the check accepts.
(function () {
  "use strict";
  var area = document.getElementById("source");
  if (!area || !document.querySelector("[data-guided]")) return;

  var PLAIN = /^[A-Za-z0-9][A-Za-z0-9 .,'()\/-]*$/;
  var RESERVED = /^(true|false|yes|no|on|off|null|~|[-+]?[0-9.]+(e[0-9]+)?)$/i;
  function scalar(text) {
    text = String(text).trim();
    return PLAIN.test(text) && !RESERVED.test(text) && text.slice(-1) !== ":" ? text : JSON.stringify(text);
  }
  function spaces(n) { return new Array(n + 1).join(" "); }
  function indentOf(line) { return line.length - line.replace(/^\s+/, "").length; }
  function blank(line) { return !line.trim() || /^\s*#/.test(line); }

  // The end (exclusive) of the block opened by line `start` whose own indent is `indent`.
  function blockEnd(lines, start, indent) {
    var end = start + 1;
    for (var i = start + 1; i < lines.length; i++) {
      if (blank(lines[i])) continue;
      var here = indentOf(lines[i]);
      var dashAtSame = here === indent && /^\s*-\s/.test(lines[i]) && !/^\s*-\s/.test(lines[start]);
      if (here < indent || (here === indent && !dashAtSame)) break;
      end = i + 1;
    }
    return end;
  }
  function findKey(lines, key, from, to, indent) {
    var pattern = new RegExp("^" + spaces(indent) + key + ":\\s*(#.*)?$");
    for (var i = from; i < to; i++) if (pattern.test(lines[i])) return i;
    return -1;
  }
  function itemLines(pairs, indent) {
    return pairs.map(function (pair, n) {
      var head = n === 0 ? spaces(indent) + "- " : spaces(indent + 2);
      if (Array.isArray(pair[1])) {
        return [head + pair[0] + ":"].concat(pair[1].map(function (item) { return spaces(indent + 4) + "- " + item; })).join("\n");
      }
      return head + pair[0] + ": " + pair[1];
    });
  }
  function listIndent(lines, from, to, fallback) {
    for (var i = from; i < to; i++) { var m = /^(\s*)-\s/.exec(lines[i]); if (m) return m[1].length; }
    return fallback;
  }

  function setText(text) {
    area.value = text;
    area.dispatchEvent(new Event("keyup", { bubbles: true }));  // the check runs again
    refreshKnown();
  }

  // Appends an item to a top-level list (nations, operations, events), creating it if missing.
  function addTopItem(key, pairs) {
    var lines = area.value.replace(/\s+$/, "").split("\n");
    var at = findKey(lines, key, 0, lines.length, 0);
    if (at === -1) {
      setText(lines.join("\n") + "\n" + key + ":\n" + itemLines(pairs, 2).join("\n") + "\n");
      return null;
    }
    var end = blockEnd(lines, at, 0);
    var indent = listIndent(lines, at + 1, end, 2);
    lines.splice.apply(lines, [end, 0].concat(itemLines(pairs, indent)));
    setText(lines.join("\n") + "\n");
    return null;
  }

  // Appends an item to a list of one nation (units, objectives).
  function addNationItem(nationId, key, pairs) {
    var lines = area.value.replace(/\s+$/, "").split("\n");
    var top = findKey(lines, "nations", 0, lines.length, 0);
    if (top === -1) return ententeSay("There is no nations: list yet: add a nation first.");
    var end = blockEnd(lines, top, 0);
    var item = -1;
    var itemPattern = new RegExp("^(\\s*)-\\s+id:\\s*[\"']?" + nationId.replace(/[^a-z0-9-]/g, "") + "[\"']?\\s*$");
    for (var i = top + 1; i < end; i++) if (itemPattern.test(lines[i])) { item = i; break; }
    if (item === -1) return ententeSay("No nation with the id “%(id)s” written as “- id: %(id)s”.", { id: nationId });
    var dash = indentOf(lines[item]);
    var itemEnd = blockEnd(lines, item, dash);
    var keyCol = dash + 2;
    var at = findKey(lines, key, item + 1, itemEnd, keyCol);
    if (at === -1) {
      var block = [spaces(keyCol) + key + ":"].concat(itemLines(pairs, keyCol + 2));
      lines.splice.apply(lines, [itemEnd, 0].concat(block));
    } else {
      var subEnd = blockEnd(lines, at, keyCol);
      lines.splice.apply(lines, [subEnd, 0].concat(itemLines(pairs, listIndent(lines, at + 1, subEnd, keyCol + 2))));
    }
    setText(lines.join("\n") + "\n");
    return null;
  }

  function value(form, field) {
    var input = form.querySelector('[data-field="' + field + '"]');
    if (!input) return "";
    return input.type === "checkbox" ? input.checked : input.value.trim();
  }
  function invalid(form) {
    var inputs = form.querySelectorAll("input, select");
    for (var i = 0; i < inputs.length; i++) {
      if (!inputs[i].checkValidity()) {
        var label = form.querySelector('label[for="' + inputs[i].id + '"]');
        inputs[i].focus();
        return (label ? label.textContent.trim() : ententeSay("A field")) + ": " + inputs[i].validationMessage;
      }
    }
    return null;
  }
  function flow(pairs) {
    return "{" + pairs.filter(function (p) { return p[1] !== "" && p[1] !== null; }).map(function (p) { return p[0] + ": " + p[1]; }).join(", ") + "}";
  }
  function num(text) { return String(Number(text)); }

  var writers = {
    nation: function (f) {
      return addTopItem("nations", [
        ["id", value(f, "n-id")], ["name", scalar(value(f, "n-name"))],
        ["budget", num(value(f, "n-budget"))], ["domestic_support", num(value(f, "n-support"))],
        ["interoperability", scalar(value(f, "n-interop"))],
        ["public_objective", scalar(value(f, "n-public"))], ["secret_objective", scalar(value(f, "n-secret"))],
        ["units", [flow([["id", value(f, "u-id")], ["name", scalar(value(f, "u-name"))], ["capability", value(f, "u-capability")], ["strength", num(value(f, "u-strength"))], ["cost", num(value(f, "u-cost"))]])]]
      ]);
    },
    unit: function (f) {
      return addNationItem(value(f, "unit-nation"), "units", [
        ["id", value(f, "unit-id")], ["name", scalar(value(f, "unit-name"))], ["capability", value(f, "unit-capability")],
        ["strength", num(value(f, "unit-strength"))], ["cost", num(value(f, "unit-cost"))]
      ]);
    },
    operation: function (f) {
      return addTopItem("operations", [
        ["id", value(f, "o-id")], ["name", scalar(value(f, "o-name"))], ["region", value(f, "o-region")],
        ["power", value(f, "o-power")], ["difficulty", num(value(f, "o-difficulty"))],
        ["requirements", flow([[value(f, "o-capability"), num(value(f, "o-count"))]])],
        ["description", scalar(value(f, "o-description"))]
      ]);
    },
    event: function (f) {
      var pairs = [
        ["id", value(f, "e-id")], ["name", scalar(value(f, "e-name"))], ["text", scalar(value(f, "e-text"))],
        ["public", value(f, "e-public") ? "true" : "false"],
        ["trigger", flow([["kind", value(f, "e-trigger")], ["target", value(f, "e-trigger-target") && scalar(value(f, "e-trigger-target"))], ["value", num(value(f, "e-trigger-value"))]])]
      ];
      if (value(f, "e-effect")) {
        pairs.push(["effects", [flow([["kind", value(f, "e-effect")], ["target", value(f, "e-effect-target") && scalar(value(f, "e-effect-target"))], ["value", Number(value(f, "e-effect-value")) ? num(value(f, "e-effect-value")) : ""]])]]);
      }
      return addTopItem("events", pairs);
    },
    objective: function (f) {
      var pairs = [["id", value(f, "j-id")], ["text", scalar(value(f, "j-text"))], ["kind", value(f, "j-kind")]];
      if (value(f, "j-target")) pairs.push(["target", scalar(value(f, "j-target"))]);
      if (Number(value(f, "j-value"))) pairs.push(["value", num(value(f, "j-value"))]);
      pairs.push(["points", num(value(f, "j-points"))]);
      if (value(f, "j-secret")) pairs.push(["secret", "true"]);
      return addNationItem(value(f, "j-nation"), "objectives", pairs);
    },
    region: function (f) {
      var regions = Map.read();
      var id = value(f, "r-id");
      if (regions.items.some(function (r) { return r.id === id; })) return ententeSay("A region “%(id)s” is already on the map.", { id: id });
      regions.items.push({ id: id, name: scalar(value(f, "r-name")), x: 500, y: 300, adjacent: [], extra: [] });
      Map.write(regions);
      return null;
    }
  };

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest ? event.target.closest("[data-guided]") : null;
    if (toggle) {
      var panel = document.getElementById("guided-" + toggle.dataset.guided);
      var open = panel.hidden;
      document.querySelectorAll(".guided-form").forEach(function (other) { other.hidden = true; });
      document.querySelectorAll("[data-guided]").forEach(function (b) { b.setAttribute("aria-expanded", "false"); });
      panel.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      refreshKnown();
      if (open && toggle.dataset.guided === "map") Map.render();
      if (open) { var first = panel.querySelector("input, select"); if (first) first.focus(); }
      return;
    }
    var insert = event.target.closest ? event.target.closest("[data-insert]") : null;
    if (!insert) return;
    var form = insert.closest(".guided-form");
    var problemOut = form.querySelector("[data-problem]");
    var problem = invalid(form) || writers[insert.dataset.insert](form);
    problemOut.textContent = problem || "";
    if (!problem) {
      problemOut.textContent = "";
      var done = form.querySelector("[data-done]") || document.createElement("span");
      done.setAttribute("data-done", ""); done.className = "small check-ok"; done.setAttribute("role", "status");
      done.textContent = " " + ententeSay("Added to the text.");
      insert.parentNode.appendChild(done);
      if (insert.dataset.insert === "region") Map.render();
    }
  });

  // The ids the text defines, offered in the forms' lists.
  function idsUnder(key, nested) {
    var lines = area.value.split("\n");
    var top = findKey(lines, key, 0, lines.length, 0);
    if (top === -1) return [];
    var end = blockEnd(lines, top, 0);
    var dash = listIndent(lines, top + 1, end, 2);
    var found = [];
    var pattern = new RegExp("^" + spaces(nested ? dash : dash) + "-\\s+(?:\\{\\s*)?id:\\s*([a-z0-9][a-z0-9-]*)");
    for (var i = top + 1; i < end; i++) { var m = pattern.exec(lines[i]); if (m) found.push(m[1]); }
    return found;
  }
  function fill(listId, ids) {
    var list = document.getElementById(listId);
    if (!list) return;
    list.textContent = "";
    ids.forEach(function (id) { var o = document.createElement("option"); o.value = id; list.appendChild(o); });
  }
  function refreshKnown() {
    fill("known-nations", idsUnder("nations"));
    fill("known-operations", idsUnder("operations"));
    fill("known-regions", Map.read().items.map(function (r) { return r.id; }));
  }

  // The map: regions read from and written back to `map: regions:` of the text.
  var Map = {
    selected: null,
    read: function () {
      var lines = area.value.split("\n");
      var top = findKey(lines, "map", 0, lines.length, 0);
      var result = { lines: lines, start: -1, end: -1, indent: 4, items: [] };
      if (top === -1) return result;
      var mapEnd = blockEnd(lines, top, 0);
      var regionsAt = -1;
      for (var i = top + 1; i < mapEnd; i++) if (/^\s+regions:\s*(#.*)?$/.test(lines[i])) { regionsAt = i; break; }
      if (regionsAt === -1) return result;
      var keyCol = indentOf(lines[regionsAt]);
      var end = blockEnd(lines, regionsAt, keyCol);
      result.start = regionsAt + 1; result.end = end;
      result.indent = listIndent(lines, regionsAt + 1, end, keyCol + 2);
      var current = null;
      var listKey = null;
      for (var j = regionsAt + 1; j < end; j++) {
        var line = lines[j];
        if (blank(line)) continue;
        var item = /^(\s*)-\s+(.*)$/.exec(line);
        if (item && item[1].length === result.indent) {
          current = { id: "", name: "", x: 500, y: 300, adjacent: [], extra: [] };
          result.items.push(current);
          listKey = null;
          var body = item[2].trim();
          if (body.charAt(0) === "{") { Map.flowItem(current, body); continue; }
          line = body;
        } else if (item && listKey === "adjacent" && current) {
          current.adjacent.push(item[2].trim()); continue;
        }
        if (!current) continue;
        var kv = /^\s*([A-Za-z_]+):\s*(.*)$/.exec(line);
        if (kv) { listKey = kv[2] === "" ? kv[1] : null; Map.set(current, kv[1], kv[2]); }
      }
      return result;
    },
    set: function (region, key, raw) {
      raw = raw.replace(/\s+#.*$/, "").trim();
      if (key === "id") region.id = raw.replace(/^["']|["']$/g, "");
      else if (key === "name") region.name = raw;
      else if (key === "x" || key === "y") region[key] = Number(raw) || 0;
      else if (key === "adjacent") region.adjacent = raw ? raw.replace(/^\[|\]$/g, "").split(",").map(function (s) { return s.trim(); }).filter(Boolean) : [];
      else region.extra.push([key, raw]);
    },
    flowItem: function (region, body) {
      var inner = body.replace(/^\{|\}$/g, "");
      var parts = [], depth = 0, start = 0;
      for (var i = 0; i < inner.length; i++) {
        var c = inner.charAt(i);
        if (c === "[") depth++; else if (c === "]") depth--;
        else if (c === "," && depth === 0) { parts.push(inner.slice(start, i)); start = i + 1; }
      }
      parts.push(inner.slice(start));
      parts.forEach(function (part) { var kv = /^\s*([A-Za-z_]+):\s*(.*)$/.exec(part); if (kv) Map.set(region, kv[1], kv[2]); });
    },
    write: function (regions) {
      var lines = regions.lines;
      var out = [];
      regions.items.forEach(function (r) {
        var pairs = [["id", r.id], ["name", r.name], ["x", String(Math.round(r.x))], ["y", String(Math.round(r.y))]];
        if (r.adjacent.length) pairs.push(["adjacent", "[" + r.adjacent.join(", ") + "]"]);
        out = out.concat(itemLines(pairs.concat(r.extra), regions.indent));
      });
      if (regions.start === -1) {
        var text = area.value.replace(/\s+$/, "");
        var mapAt = findKey(lines, "map", 0, lines.length, 0);
        if (mapAt === -1) { setText(text + "\nmap:\n  regions:\n" + out.join("\n") + "\n"); return; }
        lines.splice.apply(lines, [mapAt + 1, 0, "  regions:"].concat(out));
      } else {
        lines.splice.apply(lines, [regions.start, regions.end - regions.start].concat(out));
      }
      setText(lines.join("\n").replace(/\s+$/, "") + "\n");
    },
    render: function () {
      var svg = document.getElementById("map-canvas");
      if (!svg || svg.closest("[hidden]")) return;
      var regions = Map.read();
      var NS = "http://www.w3.org/2000/svg";
      svg.textContent = "";
      var byId = {};
      regions.items.forEach(function (r) { byId[r.id] = r; });
      regions.items.forEach(function (r) {
        r.adjacent.forEach(function (other) {
          if (!byId[other] || other < r.id && byId[other].adjacent.indexOf(r.id) !== -1) return;
          var line = document.createElementNS(NS, "line");
          line.setAttribute("x1", r.x); line.setAttribute("y1", r.y);
          line.setAttribute("x2", byId[other].x); line.setAttribute("y2", byId[other].y);
          line.setAttribute("class", "link"); line.setAttribute("stroke", "#6b7a8c"); line.setAttribute("stroke-width", "4");
          svg.appendChild(line);
        });
      });
      regions.items.forEach(function (r) {
        var circle = document.createElementNS(NS, "circle");
        circle.setAttribute("cx", r.x); circle.setAttribute("cy", r.y); circle.setAttribute("r", "34");
        circle.setAttribute("fill", "#c9d8ea"); circle.setAttribute("stroke", "#2a4a6e"); circle.setAttribute("stroke-width", "2");
        circle.setAttribute("data-region", r.id);
        if (Map.selected === r.id) circle.setAttribute("class", "linking");
        var label = document.createElementNS(NS, "text");
        label.setAttribute("x", r.x); label.setAttribute("y", r.y + 56); label.setAttribute("text-anchor", "middle");
        label.setAttribute("font-size", "22");
        label.textContent = r.id;
        svg.appendChild(circle); svg.appendChild(label);
      });
      var status = document.getElementById("map-status");
      if (status) status.textContent = ententeSay(regions.items.length === 1 ? "%(count)s region" : "%(count)s regions", { count: regions.items.length }) + (Map.selected ? "; " + ententeSay("%(id)s selected: click another region to link or unlink it", { id: Map.selected }) : "") + ".";
    },
    point: function (svg, event) {
      var p = svg.createSVGPoint(); p.x = event.clientX; p.y = event.clientY;
      return p.matrixTransform(svg.getScreenCTM().inverse());
    },
    toggleLink: function (a, b) {
      var regions = Map.read();
      var ra = regions.items.filter(function (r) { return r.id === a; })[0];
      var rb = regions.items.filter(function (r) { return r.id === b; })[0];
      if (!ra || !rb) return;
      var linked = ra.adjacent.indexOf(b) !== -1 || rb.adjacent.indexOf(a) !== -1;
      [[ra, b], [rb, a]].forEach(function (pair) {
        var list = pair[0].adjacent.filter(function (id) { return id !== pair[1]; });
        if (!linked) list.push(pair[1]);
        pair[0].adjacent = list;
      });
      Map.write(regions);
    }
  };

  var drag = null;
  document.addEventListener("pointerdown", function (event) {
    var circle = event.target.closest ? event.target.closest("#map-canvas circle[data-region]") : null;
    if (!circle) return;
    var svg = document.getElementById("map-canvas");
    var start = Map.point(svg, event);
    drag = { id: circle.dataset.region, circle: circle, start: start, moved: false };
    circle.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  document.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var svg = document.getElementById("map-canvas");
    var p = Map.point(svg, event);
    if (Math.abs(p.x - drag.start.x) + Math.abs(p.y - drag.start.y) > 4) drag.moved = true;
    drag.circle.setAttribute("cx", Math.max(0, Math.min(1000, p.x)));
    drag.circle.setAttribute("cy", Math.max(0, Math.min(600, p.y)));
  });
  document.addEventListener("pointerup", function () {
    if (!drag) return;
    var done = drag; drag = null;
    if (done.moved) {
      var regions = Map.read();
      regions.items.forEach(function (r) {
        if (r.id === done.id) { r.x = Math.round(Number(done.circle.getAttribute("cx"))); r.y = Math.round(Number(done.circle.getAttribute("cy"))); }
      });
      Map.write(regions);
    } else if (Map.selected && Map.selected !== done.id) {
      var first = Map.selected; Map.selected = null;
      Map.toggleLink(first, done.id);
    } else {
      Map.selected = Map.selected === done.id ? null : done.id;
    }
    Map.render();
  });
  area.addEventListener("input", function () { Map.render(); });
  refreshKnown();
})();
