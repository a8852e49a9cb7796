// A message being written survives its channel view being replaced, and a reload: the
// open channel and each channel's unsent text are kept for this browser tab
// (sessionStorage, per seat) until the message is sent.
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
    rememberOpen(view);
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

  // --- across a reload ---
  function storeKey(what) { return "entente-" + what + ":" + location.pathname; }
  function load(what) {
    try { return JSON.parse(sessionStorage.getItem(storeKey(what)) || "null"); } catch (e) { return null; }
  }
  function save(what, value) {
    try { sessionStorage.setItem(storeKey(what), JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function savedDraft(channel, text) {
    var all = load("drafts") || {};
    if (text) all[channel] = text; else delete all[channel];
    save("drafts", all);
  }

  document.addEventListener("input", function (e) {
    if (!e.target || e.target.id !== "message-text") return;
    var channel = channelOf(document.getElementById(VIEW_ID));
    if (channel !== null) savedDraft(channel, e.target.value);
  });
  // A message on its way is no longer a draft; one that did not get through (the form
  // keeps it) or that the server refused (its answer gives the text back) is one again.
  function sentFrom(e) {
    var form = e.detail && e.detail.elt;
    if (!form || form.id !== "message-form") return null;
    var input = form.querySelector("input[name=channel_id]");
    return input ? input.value : null;
  }
  document.addEventListener("htmx:beforeRequest", function (e) {
    var channel = sentFrom(e);
    if (channel !== null) savedDraft(channel, "");
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var channel = sentFrom(e);
    var box_ = document.getElementById("message-text");
    if (channel !== null && box_ && box_.value && channelOf(document.getElementById(VIEW_ID)) === channel) {
      savedDraft(channel, box_.value);
    }
  });
  // The first channel view the page asks for is the one that was open before the reload,
  // if this seat still has it.
  document.addEventListener("htmx:configRequest", function (e) {
    var elt = e.detail && e.detail.elt;
    if (!elt || elt.id !== VIEW_ID || elt.querySelector("#message-list")) return;
    var open = load("channel");
    if (!open) return;
    var listed = Array.prototype.some.call(document.querySelectorAll("#negotiation [data-channel]"),
      function (item) { return item.dataset.channel === open; });
    if (listed) e.detail.path = e.detail.path.replace(/[^/]+$/, encodeURIComponent(open));
  });
  // Kept as soon as the view is in the page (not at settle, 20 ms later): a reload
  // right after a channel opens must come back to it.
  function shownChannel(view) {
    var cursor = view ? view.querySelector("#channel-cursor") : null;
    return channelOf(view) || (cursor ? cursor.dataset.channel : null);
  }
  function rememberOpen(view) {
    var channel = shownChannel(view);
    if (channel) save("channel", channel);
  }
  document.addEventListener("htmx:afterSettle", function (e) {
    if (!isView(e)) return;
    var view = document.getElementById(VIEW_ID);
    var channel = shownChannel(view);
    var text = box(view);
    var draft = channel && (load("drafts") || {})[channel];
    if (text && draft && !text.value) text.value = draft;
  });

  document.addEventListener("htmx:beforeSwap", keep);
  document.addEventListener("htmx:oobBeforeSwap", keep);
  document.addEventListener("htmx:afterSwap", giveBack);
  document.addEventListener("htmx:oobAfterSwap", giveBack);
})();
