// The SCORM player: the runtime API (scorm-again) lives here, with the learner's session.
// The package runs in a sandboxed iframe (opaque origin); its pages carry the
// CrossFrameAPI shim, which forwards every SCORM call here by postMessage
// (CrossFrameLMS). Commits are saved with PUT /api/v1/scorm/attempts/<id>.
(function () {
  "use strict";
  var root = document.getElementById("scorm-player");
  if (!root) return;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var frame = document.getElementById("scorm-frame");
  var state = document.getElementById("scorm-state");
  var v12 = root.dataset.edition === "1.2";
  var current = null;

  function request(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    });
  }

  function save(session, finished) {
    var data = session.api.renderCommitCMI(finished);
    var url = root.dataset.commit.replace(/0$/, String(session.attempt.id));
    session.saving = session.saving
      .then(function () { return request("PUT", url, { cmi: data.cmi, finished: finished }); })
      .then(function (saved) {
        state.textContent = root.dataset.saved;
        showStatus(saved);
        root.dispatchEvent(new CustomEvent("scorm:saved", { detail: saved }));
      })
      .catch(function () { state.textContent = root.dataset.failed; });
    return session.saving;
  }

  function showStatus(attempt) {
    var cell = root.querySelector('[data-status-for="' + CSS.escape(attempt.sco) + '"]');
    if (cell) cell.textContent = attempt.completion_status;
  }

  function runtime(attempt) {
    var Api = v12 ? window.Scorm12API : window.Scorm2004API;
    var api = new Api({ autocommit: false, logLevel: 5, lmsCommitUrl: false });
    api.loadFromFlattenedJSON(attempt.seed);
    var session = { api: api, attempt: attempt, saving: Promise.resolve() };
    api.on(v12 ? "LMSCommit" : "Commit", function () { save(session, false); });
    api.on(v12 ? "LMSFinish" : "Terminate", function () { save(session, true); });
    // Sandboxed frames have the opaque origin "null", which postMessage cannot target:
    // CrossFrameLMS answers with "*", and fromOurFrame() screens what it receives.
    session.lms = new window.CrossFrameLMS(api, "*");
    return session;
  }

  function launch(sco) {
    if (current && current.lms && current.lms.destroy) current.lms.destroy();
    request("POST", root.dataset.attempts, { sco: sco }).then(function (attempt) {
      current = runtime(attempt);
      root.dataset.attempt = String(attempt.id);
      frame.src = attempt.content_url;
    }).catch(function () { state.textContent = root.dataset.failed; });
  }

  // Registered before any CrossFrameLMS, so it runs first: only our frame (and the
  // frames inside it) may call the runtime.
  window.addEventListener("message", function (event) {
    if (event.origin !== "null" || !fromOurFrame(event.source)) {
      event.stopImmediatePropagation();
    }
  });

  function fromOurFrame(source) {
    var win = source;
    for (var depth = 0; win && depth < 10; depth++) {
      if (win === frame.contentWindow) return true;
      if (win === win.parent) return false;
      win = win.parent;
    }
    return false;
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-sco]");
    if (button) launch(button.dataset.sco);
  });
  var first = root.querySelector("[data-sco]");
  if (first) launch(first.dataset.sco);
})();
