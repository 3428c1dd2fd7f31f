// Check-in on the day (participants/check_in_views.py). Without JavaScript every button is a normal form post that
// redirects back. With it:
// - typing in the search box filters the rows at once (name or organisation, case and accents ignored; Enter still
//   asks the server, for long lists);
// - a tap sends one small POST (fetch, CSRF token from the form) and updates the row and the counts from the JSON
//   answer, without reloading the page;
// - on a poor connection a tap that gets no answer is marked "pending" and sent again (after 1, 2, 4 … up to 20 s
//   and as soon as the browser is online again); sending the same action twice changes nothing on the server.
//   A refusal (e.g. the check-in window closed) or a lost session is shown as "failed" on the row.
// Texts come from data attributes of the page (translated there), so this file holds no language.
(function () {
  "use strict";
  var root = document.querySelector("[data-check-in]");
  if (!root) { return; }
  var texts = root.dataset;
  var queueStatus = root.querySelector("[data-check-in-queue]");
  var TIMEOUT_MS = 10000;
  var MAX_DELAY_MS = 20000;
  var waiting = []; // entries waiting for the connection

  function normalise(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // --- search ---------------------------------------------------------------------------------------------------
  var search = document.querySelector("#check-in-q");
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-check-in-list] [data-check-in-row]"));
  var noMatch = document.querySelector("[data-check-in-no-match]");
  rows.forEach(function (row) { row.searchText = normalise(row.getAttribute("data-search")); });

  function filterRows() {
    var words = normalise(search.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var match = words.every(function (word) { return row.searchText.indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    if (noMatch) { noMatch.hidden = shown > 0 || rows.length === 0; }
  }
  if (search) {
    search.addEventListener("input", filterRows);
    if (search.value) { filterRows(); }
  }

  // --- counts ---------------------------------------------------------------------------------------------------
  function setText(selector, value) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (node) { node.textContent = value; });
  }

  function updateCounts(counts) {
    if (!counts) { return; }
    setText("[data-count-total='attended']", counts.total.attended);
    setText("[data-count-total='expected']", counts.total.expected);
    counts.types.forEach(function (row) {
      setText("[data-count-type='" + row.type + "'][data-count-field='attended']", row.attended);
      setText("[data-count-type='" + row.type + "'][data-count-field='expected']", row.expected);
    });
  }

  function updateQueue() {
    if (!queueStatus) { return; }
    queueStatus.textContent = waiting.length ? texts.textQueue + " " + waiting.length : "";
    queueStatus.classList.toggle("is-waiting", waiting.length > 0);
  }

  // --- rows -----------------------------------------------------------------------------------------------------
  function rowParts(form) {
    var row = form.closest("[data-check-in-row]");
    return {
      row: row,
      button: form.querySelector("button"),
      action: form.querySelector("input[name='action']"),
      badge: row.querySelector("[data-check-in-badge]"),
      feedback: row.querySelector("[data-check-in-feedback]"),
      name: row.querySelector(".check-in-name").textContent
    };
  }

  function setState(parts, state, message) {
    parts.row.classList.remove("is-pending", "is-offline", "is-failed");
    if (state) { parts.row.classList.add("is-" + state); }
    parts.feedback.textContent = message || "";
    parts.button.disabled = state === "pending" || state === "offline";
    parts.row.setAttribute("aria-busy", state === "pending" || state === "offline" ? "true" : "false");
  }

  function applyAnswer(parts, answer) {
    parts.row.className = parts.row.className.replace(/\bcheck-in-\w+\b/g, "").trim() + " check-in-" + answer.status;
    parts.row.classList.add("check-in-row");
    parts.badge.className = "badge status-badge status-" + answer.status;
    parts.badge.textContent = answer.status_label;
    if (answer.action) {
      parts.action.value = answer.action;
      parts.button.textContent = answer.action === "attend" ? texts.textAttend : texts.textUndo;
      parts.button.classList.toggle("btn-primary", answer.action === "attend");
      parts.button.classList.toggle("btn-outline-secondary", answer.action !== "attend");
      parts.button.hidden = false;
    } else {
      parts.button.hidden = true;
    }
    updateCounts(answer.counts);
  }

  function send(entry) {
    var parts = entry.parts;
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    var body = new URLSearchParams();
    body.append("action", entry.action);
    body.append("csrfmiddlewaretoken", entry.csrf);
    setState(parts, entry.attempts ? "offline" : "pending", entry.attempts ? texts.textOffline : texts.textPending);
    fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Accept": "application/json", "X-CSRFToken": entry.csrf },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (timer) { window.clearTimeout(timer); }
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // A redirect to the login (session over), a CSRF refusal or a server error: nothing was saved.
        done(entry);
        setState(parts, "failed", response.status >= 500 ? texts.textFailed : texts.textReload);
        return null;
      }
      return response.json().then(function (answer) {
        done(entry);
        applyAnswer(parts, answer);
        if (answer.error) {
          setState(parts, "failed", texts.textFailed + " " + answer.error);
        } else {
          setState(parts, null, (entry.action === "attend" ? texts.textSavedAttend : texts.textSavedUndo) + " " + parts.name);
        }
      });
    }).catch(function () {
      // No answer (offline, timed out): keep the tap and send it again.
      if (timer) { window.clearTimeout(timer); }
      retryLater(entry);
    });
  }

  function done(entry) {
    var index = waiting.indexOf(entry);
    if (index !== -1) { waiting.splice(index, 1); }
    if (entry.timer) { window.clearTimeout(entry.timer); entry.timer = null; }
    updateQueue();
  }

  function retryLater(entry) {
    entry.attempts += 1;
    if (waiting.indexOf(entry) === -1) { waiting.push(entry); }
    updateQueue();
    setState(entry.parts, "offline", texts.textOffline);
    var delay = Math.min(1000 * Math.pow(2, entry.attempts - 1), MAX_DELAY_MS);
    if (entry.timer) { window.clearTimeout(entry.timer); }
    entry.timer = window.setTimeout(function () { entry.timer = null; send(entry); }, delay);
  }

  window.addEventListener("online", function () {
    waiting.slice().forEach(function (entry) {
      if (entry.timer) { window.clearTimeout(entry.timer); entry.timer = null; }
      send(entry);
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-check-in-form]")) { return; }
    event.preventDefault();
    var parts = rowParts(form);
    if (parts.button.disabled) { return; }
    send({
      // form.action would be the input named "action": read the attribute.
      url: form.getAttribute("action"),
      action: parts.action.value,
      csrf: form.querySelector("input[name='csrfmiddlewaretoken']").value,
      parts: parts,
      attempts: 0,
      timer: null
    });
  });
})();
