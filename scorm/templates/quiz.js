// Offline quiz SCO: renders the questions, scores them with the rules of qti.scoring
// (RULES below is generated from them), and reports through the SCORM runtime API.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("quiz-data").textContent);
  var RULES = DATA.rules;

  // ---- scoring: the same rules as qti.scoring.score --------------------------------
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  function parseNumber(response) {
    if (typeof response === "boolean" || response === null || response === undefined) return null;
    if (typeof response === "number") return isFinite(response) ? response : null;
    if (typeof response !== "string") return null;
    var text = response.trim().replace(/ /g, "").replace(/,/g, ".");
    if (!NUMBER.test(text)) return null;
    var value = Number(text);
    return isFinite(value) ? value : null;
  }
  function sameSet(a, b) {
    var left = Array.from(new Set(a)).sort(), right = Array.from(new Set(b)).sort();
    return left.length === right.length && left.every(function (v, i) { return v === right[i]; });
  }
  var SCORERS = {
    single_choice: function (q, r) { return r === q.correct[0] ? 1 : 0; },
    true_false: function (q, r) { return r === q.correct[0] ? 1 : 0; },
    multiple_response: function (q, r) { return sameSet(r, q.correct) ? 1 : 0; },
    true_false_cluster: function (q, r) {
      var right = q.statements.filter(function (s) { return r[s.id] === s.correct; }).length;
      return RULES.cluster_credit[String(right)];
    },
    numeric: function (q, r) {
      var value = parseNumber(r);
      if (value === null) return 0;
      return Math.abs(value - q.numeric.value) <= q.numeric.tolerance + RULES.epsilon ? 1 : 0;
    },
  };
  function scoreItem(q, response, points) {
    if (response === null || response === undefined || response === "" ||
        (Array.isArray(response) && response.length === 0)) return 0;
    var fraction = SCORERS[q.type](q, response);
    return Math.round(fraction * points * 1e6) / 1e6;
  }
  window.quizScore = scoreItem;  // the tests compare it with qti.scoring

  // ---- the SCORM runtime API ----------------------------------------------------------
  function findApi(name) {
    var win = window;
    for (var depth = 0; win && depth < 10; depth++) {
      try { if (win[name]) return win[name]; } catch (e) { /* another origin */ }
      if (win === win.parent) break;
      win = win.parent;
    }
    try { if (window.opener && window.opener[name]) return window.opener[name]; } catch (e) {}
    return null;
  }
  var v12 = DATA.version === "1.2";
  var api = findApi(v12 ? "API" : "API_1484_11");
  function call(method12, method2004) {
    if (!api) return "";
    var args = Array.prototype.slice.call(arguments, 2);
    return api[v12 ? method12 : method2004].apply(api, args);
  }
  function set(element12, element2004, value) {
    call("LMSSetValue", "SetValue", v12 ? element12 : element2004, String(value));
  }

  // ---- the page -----------------------------------------------------------------------
  function el(tag, attrs, html) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (html !== undefined) node.innerHTML = html;  // our sanitised question HTML
    return node;
  }
  function option(type, name, value, label) {
    var wrap = el("label", { "class": "option" });
    wrap.appendChild(el("input", { type: type, name: name, value: value }));
    wrap.appendChild(el("span", {}, label));
    return wrap;
  }
  function render(q, index) {
    var box = el("fieldset", { "class": "question", "data-id": q.id });
    box.appendChild(el("legend", {}, DATA.labels.question + " " + (index + 1)));
    box.appendChild(el("div", { "class": "stem" }, q.stem));
    var name = "q" + index;
    if (q.type === "numeric") {
      box.appendChild(el("input", { type: "text", name: name, inputmode: "decimal" }));
    } else if (q.type === "true_false_cluster") {
      q.statements.forEach(function (s) {
        var row = el("div", { "class": "statement" });
        row.appendChild(el("span", {}, s.text));
        row.appendChild(option("radio", name + "-" + s.id, "true", DATA.labels.yes));
        row.appendChild(option("radio", name + "-" + s.id, "false", DATA.labels.no));
        box.appendChild(row);
      });
    } else {
      var type = q.type === "multiple_response" ? "checkbox" : "radio";
      q.choices.forEach(function (c) { box.appendChild(option(type, name, c.id, c.text)); });
    }
    return box;
  }
  function responseOf(q, index) {
    var form = document.getElementById("quiz"), name = "q" + index;
    if (q.type === "numeric") return form.elements[name].value;
    if (q.type === "true_false_cluster") {
      var answer = {};
      q.statements.forEach(function (s) {
        var picked = form.querySelector('input[name="' + name + "-" + s.id + '"]:checked');
        if (picked) answer[s.id] = picked.value === "true";
      });
      return Object.keys(answer).length ? answer : null;
    }
    var checked = Array.from(form.querySelectorAll('input[name="' + name + '"]:checked'))
      .map(function (i) { return i.value; });
    if (q.type === "multiple_response") return checked;
    return checked.length ? checked[0] : null;
  }

  function submit(event) {
    event.preventDefault();
    var earned = 0, total = 0;
    DATA.questions.forEach(function (q, index) {
      var points = scoreItem(q, responseOf(q, index), q.points);
      earned += points;
      total += q.points;
      var n = "cmi.interactions." + index + ".";
      set(n + "id", n + "id", q.id);
      set(n + "type", n + "type", q.type === "numeric" ? "numeric" : "choice");
      set(n + "result", n + "result", points >= q.points ? "correct" : (v12 ? "wrong" : "incorrect"));
    });
    var scaled = total ? Math.round(earned / total * 1e4) / 1e4 : 0;
    var passed = scaled >= DATA.passing;
    if (v12) {
      set("cmi.core.score.min", "", 0);
      set("cmi.core.score.max", "", 100);
      set("cmi.core.score.raw", "", Math.round(scaled * 10000) / 100);
      set("cmi.core.lesson_status", "", passed ? "passed" : "failed");
    } else {
      set("", "cmi.score.min", 0);
      set("", "cmi.score.max", total);
      set("", "cmi.score.raw", earned);
      set("", "cmi.score.scaled", scaled);
      set("", "cmi.completion_status", "completed");
      set("", "cmi.success_status", passed ? "passed" : "failed");
    }
    call("LMSCommit", "Commit", "");
    call("LMSFinish", "Terminate", "");
    var result = document.getElementById("result");
    result.textContent = DATA.labels.result.replace("{earned}", earned).replace("{total}", total) +
      " " + (passed ? DATA.labels.passed : DATA.labels.failed);
    result.setAttribute("data-scaled", String(scaled));
    document.getElementById("submit").disabled = true;
  }

  var form = document.getElementById("quiz");
  DATA.questions.forEach(function (q, i) { form.insertBefore(render(q, i), form.lastElementChild); });
  form.addEventListener("submit", submit);
  call("LMSInitialize", "Initialize", "");
  if (!v12) set("", "cmi.completion_status", "incomplete");
  else set("cmi.core.lesson_status", "", "incomplete");
})();
