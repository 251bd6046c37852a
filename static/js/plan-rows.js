// Tables of rows in the business plan (fixed assets): add a row, remove a row, at most N rows.
// An emptied row is ignored by the server, so "remove" clears and hides it.
"use strict";
(function () {
  function totalInput(prefix) {
    return document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  }

  function visibleRows(prefix) {
    const body = document.querySelector('[data-rows="' + prefix + '"]');
    return body ? body.querySelectorAll("tr[data-row]:not([hidden])").length : 0;
  }

  function addRow(prefix) {
    const body = document.querySelector('[data-rows="' + prefix + '"]');
    const template = document.getElementById(prefix + "-empty-row");
    const total = totalInput(prefix);
    const message = document.querySelector('[data-rows-message="' + prefix + '"]');
    if (!body || !template || !total) return null;
    if (visibleRows(prefix) >= Number(body.dataset.maxRows || 25)) {
      if (message) message.hidden = false;
      return null;
    }
    const index = Number(total.value);
    const holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index)).trim();
    const row = holder.querySelector("tr");
    body.appendChild(row);
    total.value = String(index + 1);
    return row;
  }

  function removeRow(row) {
    row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    row.hidden = true;
    const body = row.closest("[data-rows]");
    const message = body && document.querySelector('[data-rows-message="' + body.dataset.rows + '"]');
    if (message) message.hidden = true;
  }

  document.addEventListener("click", function (event) {
    const add = event.target.closest("[data-add-row]");
    if (add) {
      const row = addRow(add.dataset.addRow);
      if (row) row.querySelector("input").focus();
      add.form && add.form.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    const remove = event.target.closest("[data-remove-row]");
    if (remove) {
      const row = remove.closest("tr");
      const form = remove.form;
      removeRow(row);
      const addButton = document.querySelector("[data-add-row]");
      if (addButton) addButton.focus();
      if (form) form.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });

  window.OndernemerspuntPlanRows = { addRow: addRow };
})();
