// Nothing typed in the business plan may be lost. While the resident types:
//  - every keystroke is copied to localStorage (survives a closed browser or a lost network);
//  - every 20 seconds, if something changed, the form is sent to the draft endpoint;
//  - on leaving the page (or hiding it on a phone) it is sent with sendBeacon.
// The server keeps the draft apart from the saved part; only "Save" saves. Once the server has
// exactly what is typed, the local copy is removed (shared computers keep no plan text).
// The local copy is kept per user (the prefix on <body>): when the session ended while the
// resident was away, it waits for the same user to log in again, and nobody else sees it.
// Logging out sends the typing first and then removes this user's copies (session.js).
"use strict";
(function () {
  const form = document.getElementById("plan-section");
  if (!form || !window.fetch || !window.FormData) return;
  const url = form.dataset.autosaveUrl;
  const prefix = document.body.dataset.draftPrefix;
  const key = prefix && form.dataset.storageKey ? prefix + form.dataset.storageKey : null;
  const status = document.getElementById("autosave-status");
  const versionInput = form.elements.namedItem("version");
  const baseVersion = versionInput ? Number(versionInput.value || 0) : 0;
  const INTERVAL = 20000;
  let dirty = false;
  let submitting = false;
  let inFlight = null; // the request under way, so that logging out can wait for it

  function snapshot() {
    const values = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") values[name] = String(value);
    });
    return values;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function storage() {
    if (!key) return null;
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function keepLocally() {
    const store = storage();
    if (!store) return;
    try {
      store.setItem(key, JSON.stringify({ version: baseVersion, at: Date.now(), values: snapshot() }));
    } catch (error) {
      /* storage full or disabled: the server draft still works */
    }
  }

  function forgetLocally() {
    const store = storage();
    if (store) store.removeItem(key);
  }

  function restoreLocally() {
    const store = storage();
    if (!store) return;
    let entry = null;
    try {
      entry = JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      entry = null;
    }
    if (!entry || !entry.values) return;
    if (entry.version < baseVersion) {
      forgetLocally(); // typed on an older version that has since been saved
      return;
    }
    const current = snapshot();
    if (same(current, entry.values)) return;
    const rows = window.OndernemerspuntPlanRows;
    Object.keys(entry.values).forEach(function (name) {
      let field = form.elements.namedItem(name);
      const match = /^(\w+)-(\d+)-/.exec(name);
      while (!field && match && rows && rows.addRow(match[1])) {
        field = form.elements.namedItem(name);
      }
      if (field && field.type !== "hidden" && "value" in field) field.value = entry.values[name];
    });
    const notice = document.querySelector("[data-restored-local]");
    if (notice) notice.hidden = false;
    dirty = true;
    form.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function say(message) {
    if (status && message) status.textContent = message;
  }

  function send() {
    if (submitting) return Promise.resolve();
    if (inFlight) return inFlight;
    dirty = false;
    const sent = snapshot();
    inFlight = fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        // Redirected to the login page: the session has ended; the local copy stays.
        if (!response.ok || response.redirected) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        say(data.message);
        if (same(snapshot(), sent)) forgetLocally();
        // The server says how long the session has left (session.js warns in time).
        document.dispatchEvent(
          new CustomEvent("ondernemerspunt:session-used", { detail: data.seconds_left })
        );
      })
      .catch(function () {
        dirty = true;
        say(status && status.dataset.offlineText);
      })
      .finally(function () {
        inFlight = null;
      });
    return inFlight;
  }

  function sendOnLeave() {
    if (!dirty || submitting || !navigator.sendBeacon) return;
    if (navigator.sendBeacon(url, new FormData(form))) dirty = false;
  }

  // For session.js: send what is typed before logging out; stop before the session ends.
  window.OndernemerspuntAutosave = {
    // Resolves to whether everything typed has reached the server (a save under way is
    // waited for first, so logging out cannot cut it off).
    flush: function () {
      return (inFlight || Promise.resolve())
        .then(function () {
          return dirty ? send() : null;
        })
        .then(function () {
          return !dirty;
        });
    },
    stop: function () {
      submitting = true;
    },
  };

  restoreLocally();
  form.addEventListener("input", function () {
    dirty = true;
    keepLocally();
  });
  form.addEventListener("change", function () {
    dirty = true;
    keepLocally();
  });
  form.addEventListener("submit", function () {
    submitting = true;
    keepLocally();
  });
  window.setInterval(function () {
    if (dirty) send();
  }, INTERVAL);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") sendOnLeave();
  });
  window.addEventListener("pagehide", sendOnLeave);
})();
