// Live panels come over the websocket as morph swaps (hx-swap-oob="morph", idiomorph):
// the page's elements are updated in place rather than replaced, so the one the player is
// using keeps its focus and caret. What the player chose or typed and has not sent yet is
// kept too: a field whose value is no longer the one the server drew keeps it, while the
// rest of the panel (its options, its other fields) follows the server. A choice the new
// panel no longer offers goes with its option.
(function () {
  "use strict";
  if (!window.Idiomorph) return;

  function chosenByPlayer(field) {
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") {
      var option = field.options[field.selectedIndex];
      return !!option && !option.defaultSelected && field.selectedIndex !== 0;
    }
    return field.value !== field.defaultValue;
  }

  // Returning false leaves the attribute (and the live value it drives) as it is.
  window.Idiomorph.defaults.callbacks.beforeAttributeUpdated = function (name, element) {
    if (name === "value" && (element.tagName === "INPUT" || element.tagName === "TEXTAREA")) {
      return !chosenByPlayer(element);
    }
    if (name === "checked" && element.tagName === "INPUT") return !chosenByPlayer(element);
    if (name === "selected" && element.tagName === "OPTION") {
      var select = element.closest("select");
      return !(select && chosenByPlayer(select));
    }
    return true;
  };
  // A form's answer ("Clock paused.", "Committed to …", or why not) is the page's, not the
  // server's: the live morphs, which draw every slot empty, leave it as it is (control.js
  // and moments.js clear it when its moment has passed).
  window.Idiomorph.defaults.callbacks.beforeNodeMorphed = function (oldNode) {
    return !(oldNode.classList && oldNode.classList.contains("form-answer"));
  };
})();
