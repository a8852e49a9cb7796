// Small page behaviour: the phase countdown and the live-connection badge.
(function () {
  "use strict";
  var endsAt = null;

  function armCountdown() {
    var el = document.querySelector(".countdown[data-remaining]");
    endsAt = el ? Date.now() + Number(el.dataset.remaining) * 1000 : null;
  }

  function tick() {
    var el = document.querySelector(".countdown[data-remaining]");
    if (!el || endsAt === null) return;
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    el.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
  }

  function setConnection(cls, text) {
    var el = document.getElementById("connection");
    if (!el) return;
    el.className = "connection connection-" + cls;
    el.textContent = text;
  }

  document.addEventListener("DOMContentLoaded", function () {
    armCountdown();
    setInterval(tick, 1000);
  });
  document.addEventListener("htmx:oobAfterSwap", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "clock") armCountdown();
  });
  // htmx-ext-ws retries only after these close codes; any other close is final.
  var RETRIED = [1006, 1011, 1012, 1013];
  document.addEventListener("htmx:wsClose", function (e) {
    var code = e.detail && e.detail.event ? e.detail.event.code : 1006;
    if (RETRIED.indexOf(code) >= 0) setConnection("lost", "Reconnecting…");
    else setConnection("lost", "Disconnected — reload the page");
  });
})();

// --- negotiation: unread badges and the open channel's new messages ---------------------
// The live channel list carries each channel's message count (data-channel-total); the
// page keeps how many of them this seat has read or sent (#talk-reads, refreshed by every
// talks answer). Badges show the difference; the open channel fetches what it lacks.
(function () {
  "use strict";
  var fetching = false;
  var again = false;

  function seenCounts() {
    var el = document.getElementById("talk-reads");
    if (!el || !el.dataset.seen) return null;
    try { return JSON.parse(el.dataset.seen); } catch (e) { return null; }
  }

  function openChannel() {
    return document.getElementById("channel-cursor");
  }

  function liveTotal(channelId) {
    var items = document.querySelectorAll("#negotiation [data-channel]");
    for (var i = 0; i < items.length; i++) {
      if (items[i].dataset.channel === channelId) return Number(items[i].dataset.channelTotal);
    }
    return null;
  }

  function showUnread() {
    var seen = seenCounts();
    var open = openChannel();
    document.querySelectorAll("#negotiation [data-channel-total]").forEach(function (item) {
      var id = item.dataset.channel;
      var isOpen = !!open && open.dataset.channel === id;
      var unread = seen && !isOpen ? Math.max(0, Number(item.dataset.channelTotal) - (seen[id] || 0)) : 0;
      var badge = item.querySelector(".unread");
      if (badge) {
        badge.hidden = unread === 0;
        badge.querySelector(".unread-n").textContent = unread ? String(unread) : "";
      }
      var button = item.querySelector(".channel-link");
      if (button) {
        if (isOpen) button.setAttribute("aria-current", "true");
        else button.removeAttribute("aria-current");
      }
    });
  }

  // Append the open channel's messages after the last one shown: one request at a time,
  // and again afterwards if more arrived meanwhile.
  function fetchNewer(force) {
    var cursor = openChannel();
    if (!cursor || !window.htmx) return;
    var total = liveTotal(cursor.dataset.channel);
    if (!force && (total === null || total <= Number(cursor.dataset.total))) return;
    if (fetching) { again = true; return; }
    fetching = true;
    var done = function () {
      fetching = false;
      if (again) { again = false; fetchNewer(false); }
    };
    htmx.ajax("GET", cursor.dataset.url + "?after=" + encodeURIComponent(cursor.dataset.lastSeq),
      { target: "#message-list", swap: "beforeend" }).then(done, done);
  }

  function scrollToEnd() {
    var list = document.getElementById("message-list");
    if (list) list.scrollTop = list.scrollHeight;
  }

  var stick = false;
  var olderFrom = null;
  document.addEventListener("htmx:beforeSwap", function (e) {
    var list = document.getElementById("message-list");
    var target = e.detail && e.detail.target;
    if (!list || !target) return;
    if (target === list) stick = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
    if (target.classList && target.classList.contains("older")) olderFrom = list.scrollHeight - list.scrollTop;
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    var target = e.detail && e.detail.target;
    var list = document.getElementById("message-list");
    if (target && target.id === "channel-view") {
      scrollToEnd();
      // A view answered before a message was stored may land after that message's own
      // answer: if the live count is ahead of the view, fetch what it lacks.
      fetchNewer(false);
    } else if (list && target === list && stick) scrollToEnd();
    else if (list && olderFrom !== null) list.scrollTop = list.scrollHeight - olderFrom;
    olderFrom = null;
    showUnread();
  });
  document.addEventListener("htmx:oobAfterSwap", function (e) {
    var id = e.detail && e.detail.target && e.detail.target.id;
    if (id === "channel-view") scrollToEnd();
    if (id === "negotiation" || id === "talk-reads" || id === "channel-view") showUnread();
    if (id === "negotiation") fetchNewer(false);
  });
  document.body.addEventListener("talks:newer", function () { fetchNewer(true); });
})();

// --- the proposal composer's terms follow its kind and its parties ----------------------
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

// --- a message being written survives its channel view being replaced ------------------
// Opening a channel again (or an answer that shows it anew) replaces the whole channel
// view, and with it the message box. Its draft is kept per channel, in this page only:
// the same channel's new view gets the text back (with the caret and focus, so typing
// goes on where it was); another channel's draft comes back when that channel is shown.
(function () {
  "use strict";
  var VIEW_ID = "channel-view";
  var drafts = {}; // channel id -> {text, start, end, focused}
  var replacing = null; // the channel whose view is being replaced

  function box(view) { return view ? view.querySelector("#message-text") : null; }
  function channelOf(view) {
    var input = view ? view.querySelector("#message-form input[name=channel_id]") : null;
    return input ? input.value : null;
  }
  function isView(e) {
    var target = e.detail && e.detail.target;
    return !!target && target.id === VIEW_ID;
  }

  function keep(e) {
    if (!isView(e)) return;
    var view = e.detail.target;
    var text = box(view);
    var channel = channelOf(view);
    replacing = channel;
    if (!text || channel === null) return;
    // A message on its way is not a draft: the answer to its sending would land on the
    // old, replaced form, and the new box would offer the sent text again.
    var form = view.querySelector("#message-form");
    var sending = !!form && form.classList.contains("htmx-request");
    if (!text.value || sending) { delete drafts[channel]; return; }
    drafts[channel] = {
      text: text.value,
      start: text.selectionStart,
      end: text.selectionEnd,
      focused: document.activeElement === text,
    };
  }

  function giveBack(e) {
    if (!isView(e)) return;
    var view = document.getElementById(VIEW_ID);
    var text = box(view);
    var channel = channelOf(view);
    var draft = channel === null ? null : drafts[channel];
    var same = channel !== null && channel === replacing;
    replacing = null;
    if (!text || !draft) return;
    delete drafts[channel];
    if (text.value) return; // the new box came with text of its own
    text.value = draft.text;
    if (draft.focused && same) {
      text.focus({ preventScroll: true });
      text.setSelectionRange(draft.start, draft.end);
    }
  }

  document.addEventListener("htmx:beforeSwap", keep);
  document.addEventListener("htmx:oobBeforeSwap", keep);
  document.addEventListener("htmx:afterSwap", giveBack);
  document.addEventListener("htmx:oobAfterSwap", giveBack);
})();

// --- live panels keep what the player chose -------------------------------------------
// A panel replaced by a live update would lose a choice not yet sent (a unit picked in a
// select, a half-typed field) and the keyboard focus. The server sends only panels whose
// HTML changed; for those, choices made in fields with an id are carried over when the
// new panel still offers them, and focus returns to the element with the same id.
(function () {
  "use strict";
  var FIELDS = "select[id], input[id]:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea[id]";
  var carried = null;

  function changedByPlayer(el) {
    if (el.tagName === "SELECT") {
      var option = el.options[el.selectedIndex];
      return !!option && !option.defaultSelected && el.selectedIndex !== 0;
    }
    return el.value !== el.defaultValue;
  }

  document.addEventListener("htmx:oobBeforeSwap", function (e) {
    var target = e.detail && e.detail.target;
    if (!target || !target.querySelectorAll) return;
    var values = {};
    target.querySelectorAll(FIELDS).forEach(function (el) {
      if (changedByPlayer(el)) values[el.id] = el.value;
    });
    var active = document.activeElement;
    carried = {
      target: target.id,
      values: values,
      focus: active && active.id && target.contains(active) ? active.id : null,
    };
  });

  document.addEventListener("htmx:oobAfterSwap", function (e) {
    var target = e.detail && e.detail.target;
    if (!carried || !target || target.id !== carried.target) return;
    Object.keys(carried.values).forEach(function (id) {
      var el = document.getElementById(id);
      if (!el) return;
      if (el.tagName === "SELECT") {
        var offered = Array.prototype.some.call(el.options, function (o) { return o.value === carried.values[id]; });
        if (offered) el.value = carried.values[id];
      } else {
        el.value = carried.values[id];
      }
    });
    if (carried.focus) {
      var focus = document.getElementById(carried.focus);
      if (focus) focus.focus({ preventScroll: true });
    }
    carried = null;
  });
})();

// --- the middle column's tabs: map & operations, negotiation, review -------------------
// An ARIA tablist: click or arrow keys choose a view; the choice survives a reload (per
// seat, for this browser tab). A badge on a hidden view says something there needs a look.
(function () {
  "use strict";
  function tabs() { return Array.prototype.slice.call(document.querySelectorAll('.tabs [role="tab"]')); }
  function storageKey() { return "entente-view:" + location.pathname; }

  function select(tab, focus) {
    tabs().forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      var view = document.getElementById(t.getAttribute("aria-controls"));
      if (view) view.hidden = !on;
    });
    if (focus) tab.focus();
    if (tab.id === "tab-review") { var badge = document.getElementById("review-badge"); if (badge) badge.hidden = true; }
    try { sessionStorage.setItem(storageKey(), tab.id); } catch (e) { /* private mode */ }
    updateNegotiationBadge();
  }

  function selected(id) {
    var tab = document.getElementById(id);
    return !!tab && tab.getAttribute("aria-selected") === "true";
  }

  // What waits in the negotiation view: unread messages and proposals to answer.
  function updateNegotiationBadge() {
    var badge = document.getElementById("negotiation-badge");
    if (!badge) return;
    var count = 0;
    document.querySelectorAll("#negotiation .unread:not([hidden]) .unread-n").forEach(function (n) {
      count += Number(n.textContent) || 0;
    });
    var agreements = document.getElementById("agreements");
    if (agreements) count += Number(agreements.dataset.awaiting) || 0;
    badge.hidden = count === 0;
    badge.textContent = count ? String(count) : "";
    badge.title = count ? count + " unread message(s) or proposal(s) to answer" : "";
  }

  document.addEventListener("click", function (e) {
    var tab = e.target.closest && e.target.closest('.tabs [role="tab"]');
    if (tab) select(tab, false);
  });
  document.addEventListener("keydown", function (e) {
    var tab = e.target.closest && e.target.closest('.tabs [role="tab"]');
    if (!tab) return;
    var all = tabs();
    var i = all.indexOf(tab);
    var next = null;
    if (e.key === "ArrowRight") next = all[(i + 1) % all.length];
    else if (e.key === "ArrowLeft") next = all[(i - 1 + all.length) % all.length];
    else if (e.key === "Home") next = all[0];
    else if (e.key === "End") next = all[all.length - 1];
    if (next) { e.preventDefault(); select(next, true); }
  });
  // A map link to an operation card opens the operations view first.
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest('a[href^="#op-"]');
    if (link) { var tab = document.getElementById("tab-operations"); if (tab) select(tab, false); }
  }, true);

  var shownResults = null;
  function resultsHeading() {
    var h = document.querySelector("#results h2");
    return h ? h.textContent : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    shownResults = resultsHeading();
    var saved = null;
    try { saved = sessionStorage.getItem(storageKey()); } catch (e) { saved = null; }
    var tab = saved && document.getElementById(saved);
    if (tab) select(tab, false);
  });
  document.addEventListener("htmx:oobAfterSwap", function (e) {
    var id = e.detail && e.detail.target && e.detail.target.id;
    if (id === "results") {
      // A reconnect re-sends the same results: only a newly resolved turn is news.
      var heading = resultsHeading();
      var badge = document.getElementById("review-badge");
      if (badge && heading !== shownResults && !selected("tab-review")) badge.hidden = false;
      shownResults = heading;
    }
    if (id === "negotiation" || id === "agreements" || id === "talk-reads") updateNegotiationBadge();
  });
  document.addEventListener("htmx:afterSettle", updateNegotiationBadge);
})();

// --- a refusal is seen where the player is looking ------------------------------------
// The order status line sits above the operations board; a refused order from a card
// further down brings it into view (and to a screen reader, through role="status").
document.addEventListener("htmx:afterSwap", function (e) {
  "use strict";
  var target = e.detail && e.detail.target;
  if (!target || target.id !== "order-status") return;
  var status = document.getElementById("order-status");
  if (status && status.classList.contains("rejected")) status.scrollIntoView({ block: "center" });
});

// --- behaviour that once lived in attributes the CSP forbids (onclick, trigger filters) --
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-print]");
    if (button) window.print();
  });
  // Control's live status is polled: skip a poll while the instructor is working in it
  // (a redraw would take the focus and a half-made choice away).
  document.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail && e.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-poll-unless-focused") &&
        elt.contains(document.activeElement)) e.preventDefault();
  });
})();
