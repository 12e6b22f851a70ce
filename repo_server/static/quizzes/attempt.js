// Taking a quiz: every change is kept in localStorage and saved at once with a
// sequence number; unsent answers are resent when the network returns or the page
// reloads. The timer counts down from the server's remaining time.
"use strict";

(function () {
  const root = document.getElementById("attempt");
  if (!root || root.dataset.state !== "in_progress") return;
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
  const storeKey = "khls-attempt-" + root.dataset.id;
  const netState = document.getElementById("net-state");
  const refusedBox = document.getElementById("refused");
  let closed = false;

  /** Unacknowledged answers: slot → {response, seq}. */
  function pending() {
    try {
      return JSON.parse(localStorage.getItem(storeKey) || "{}");
    } catch (_error) {
      return {};
    }
  }

  function keep(slot, entry) {
    const all = pending();
    if (entry) all[slot] = entry;
    else delete all[slot];
    localStorage.setItem(storeKey, JSON.stringify(all));
  }

  function box(slot) {
    return root.querySelector(`.quiz-q[data-slot="${slot}"]`);
  }

  function mark(slot, state) {
    const label = box(slot).querySelector(".save-state");
    label.dataset.state = state;
    label.textContent = root.dataset["t" + state[0].toUpperCase() + state.slice(1)] || "";
  }

  /** The response shown by a question's inputs (null when blank). */
  function readResponse(fieldset) {
    const type = fieldset.dataset.type;
    const checked = [...fieldset.querySelectorAll("input:checked")];
    if (type === "multiple_response") return checked.map((i) => i.value);
    if (type === "true_false_cluster") {
      const out = {};
      for (const input of checked) out[input.dataset.statement] = input.value === "true";
      return Object.keys(out).length ? out : null;
    }
    if (type === "numeric") {
      const text = fieldset.querySelector("input").value.trim();
      return text === "" ? null : text;
    }
    return checked.length ? checked[0].value : null;
  }

  function showResponse(fieldset, response) {
    const type = fieldset.dataset.type;
    for (const input of fieldset.querySelectorAll("input")) {
      if (type === "numeric") input.value = response == null ? "" : response;
      else if (type === "true_false_cluster")
        input.checked = !!response && String(response[input.dataset.statement]) === input.value;
      else if (type === "multiple_response") input.checked = (response || []).includes(input.value);
      else input.checked = response === input.value;
    }
  }

  /** A sequence number above everything this slot has seen, in any tab. */
  function nextSeq(fieldset) {
    const seq = Math.max(Date.now(), Number(fieldset.dataset.seq) + 1);
    fieldset.dataset.seq = seq;
    return seq;
  }

  async function send(slot, entry) {
    const url = `${root.dataset.api}/answers/${slot}`;
    let response;
    try {
      response = await fetch(url, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(entry),
      });
    } catch (_error) {
      mark(slot, "offline");
      showNet(false);
      return false;
    }
    showNet(true);
    if (response.status === 409) return refused(slot, await response.json());
    if (!response.ok) {
      mark(slot, "offline");
      return false;
    }
    acknowledged(slot, entry, await response.json());
    return true;
  }

  function acknowledged(slot, entry, body) {
    const fieldset = box(slot);
    fieldset.dataset.seq = Math.max(Number(fieldset.dataset.seq), body.seq);
    const current = pending()[slot];
    if (current && current.seq === entry.seq) keep(slot, null);
    if (!body.applied && body.seq > entry.seq && !pending()[slot]) {
      showResponse(fieldset, body.response); // another tab saved a newer answer
    }
    if (!pending()[slot]) mark(slot, "saved");
  }

  function refused(slot, body) {
    keep(slot, null);
    mark(slot, "refused");
    refusedBox.hidden = false;
    refusedBox.textContent = body.error.message;
    timeUp();
    return true;
  }

  function showNet(online) {
    netState.textContent = online ? "" : root.dataset.tOffline;
  }

  let flushing = false;
  async function flush() {
    if (flushing || closed) return;
    flushing = true;
    try {
      for (const [slot, entry] of Object.entries(pending())) {
        if (!box(slot)) continue;
        if (!(await send(slot, entry))) break;
      }
    } finally {
      flushing = false;
    }
  }

  function changed(event) {
    const fieldset = event.target.closest(".quiz-q");
    if (!fieldset || closed) return;
    const slot = fieldset.dataset.slot;
    const entry = { response: readResponse(fieldset), seq: nextSeq(fieldset) };
    keep(slot, entry);
    mark(slot, "pending");
    send(slot, entry);
  }

  function timeUp() {
    if (closed) return;
    closed = true;
    for (const fieldset of root.querySelectorAll(".quiz-q")) fieldset.disabled = true;
    const button = document.getElementById("submit-attempt");
    if (button) button.disabled = true;
    netState.textContent = root.dataset.tTimeup;
  }

  function startTimer() {
    const remaining = Number(root.dataset.remaining);
    if (root.dataset.remaining === "" || Number.isNaN(remaining)) return;
    const end = performance.now() + remaining * 1000;
    const timer = document.getElementById("timer");
    const tick = () => {
      const left = Math.max(0, Math.round((end - performance.now()) / 1000));
      const m = Math.floor(left / 60);
      timer.textContent = `${m}:${String(left % 60).padStart(2, "0")}`;
      if (left === 0) {
        timeUp();
        setTimeout(() => location.reload(), 3000); // the server has closed the attempt
      } else setTimeout(tick, 1000);
    };
    tick();
  }

  /** Answers the server has not acknowledged yet win over what the page shows. */
  function restorePending() {
    for (const [slot, entry] of Object.entries(pending())) {
      const fieldset = box(slot);
      if (!fieldset) continue;
      if (entry.seq <= Number(fieldset.dataset.seq)) {
        keep(slot, null); // the server already holds this answer or a newer one
        continue;
      }
      showResponse(fieldset, entry.response);
      mark(slot, "pending");
    }
  }

  async function submit() {
    if (!window.confirm(root.dataset.tConfirm)) return;
    await flush();
    if (Object.keys(pending()).length) {
      showNet(false);
      return; // never submit while answers are still unsent
    }
    const response = await fetch(root.dataset.submit, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf() },
    });
    if (response.ok || response.status === 409) {
      localStorage.removeItem(storeKey);
      location.reload();
    }
  }

  root.addEventListener("change", changed);
  root.addEventListener("input", (event) => {
    if (event.target.inputMode === "decimal") changed(event);
  });
  window.addEventListener("online", flush);
  setInterval(flush, 5000);
  document.getElementById("submit-attempt").addEventListener("click", submit);
  restorePending();
  startTimer();
  flush();
})();
