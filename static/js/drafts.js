// A message being written survives its channel view being replaced.
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
