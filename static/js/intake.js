// Intake forms: show a part of the form only when it applies (the partner who referred, the
// reason for dropping out, the intake conversation). Without this file every part is shown.
"use strict";

(function () {
  function currentValue(form, name) {
    var field = form.elements[name];
    if (!field) {
      return "";
    }
    // Radio buttons come as a RadioNodeList whose value is the checked one.
    return field.value;
  }

  document.querySelectorAll("[data-show-if]").forEach(function (part) {
    var rule = part.getAttribute("data-show-if").split("=");
    var form = part.closest("form");
    if (!form || part.hasAttribute("data-keep-open")) {
      return;
    }
    function update() {
      part.hidden = currentValue(form, rule[0]) !== rule[1];
    }
    form.addEventListener("change", update);
    update();
  });

  // After a refused save, bring the summary of what needs attention into view and focus.
  var problems = document.getElementById("form-problems");
  if (problems) {
    problems.focus();
  }
})();
