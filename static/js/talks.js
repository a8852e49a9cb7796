// Negotiation: unread badges and the open channel's new messages.
// The live channel list carries each channel's message count (data-channel-total; a
// message re-sends its channel's line alone); the page keeps how many of them this seat
// has read or sent (#talk-reads, refreshed by every talks answer). Badges show the
// difference; the open channel fetches what it lacks.
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
    var target = e.detail && e.detail.target;
    var id = target && target.id;
    // The whole channel list, or one channel's line of it (a message: its new count).
    var list = id === "negotiation" || (!!target && !!target.hasAttribute && target.hasAttribute("data-channel-total"));
    if (id === "channel-view") scrollToEnd();
    if (list || id === "talk-reads" || id === "channel-view") showUnread();
    if (list) fetchNewer(false);
  });
  document.body.addEventListener("talks:newer", function () { fetchNewer(true); });
})();
