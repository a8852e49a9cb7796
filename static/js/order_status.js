// A refusal is seen where the player is looking: the order status line sits above the
// operations board; a refused order from a card further down brings it into view (and to
// a screen reader, through role="status").
document.addEventListener("htmx:afterSwap", function (e) {
  "use strict";
  var target = e.detail && e.detail.target;
  if (!target || target.id !== "order-status") return;
  var status = document.getElementById("order-status");
  if (status && status.classList.contains("rejected")) status.scrollIntoView({ block: "center" });
});
