// The list at the door: tick someone present without reloading the page, and find a name as
// you type. Without this file the page works as it is: each tick is a small form that posts
// and comes back to the same row.
"use strict";

(function door() {
  const status = document.getElementById("door-status");
  const came = document.querySelector("[data-door-came]");

  function show(row, present) {
    row.classList.toggle("is-present", present);
    row.querySelector("input[name=attended]").value = present ? "0" : "1";
    // The button's label says what the next tap does; the state text whether she is ticked.
    row.querySelectorAll("[data-when]").forEach(function (part) {
      part.hidden = (part.dataset.when === "present") !== present;
    });
  }

  document.querySelectorAll("[data-door-toggle]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const row = form.closest("[data-door-row]");
      const button = form.querySelector("button");
      if (button.getAttribute("aria-busy") === "true") {
        return;
      }
      button.setAttribute("aria-busy", "true");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (answer) {
          show(row, answer.attended);
          if (came) {
            came.textContent = String(document.querySelectorAll(".door-row.is-present").length);
          }
          if (status) {
            const name = row.querySelector(".door-name").firstChild.textContent.trim();
            const said = answer.attended ? status.dataset.present : status.dataset.absent;
            status.textContent = name + ": " + said;
          }
        })
        .catch(function () {
          // Something went wrong in the background: send the form the ordinary way, so the
          // page says what happened.
          form.submit();
        })
        .finally(function () {
          button.removeAttribute("aria-busy");
        });
    });
  });

  const search = document.querySelector("[data-door-search]");
  if (search) {
    const input = search.querySelector("input");
    const rows = document.querySelectorAll("[data-door-row]");
    const none = document.querySelector("[data-door-none]");
    search.hidden = false;
    input.addEventListener("input", function () {
      const wanted = input.value.trim().toLowerCase();
      let shown = 0;
      rows.forEach(function (row) {
        const match = !wanted || row.dataset.name.indexOf(wanted) !== -1;
        row.hidden = !match;
        shown += match ? 1 : 0;
      });
      if (none) {
        none.hidden = shown > 0;
      }
    });
  }
})();
