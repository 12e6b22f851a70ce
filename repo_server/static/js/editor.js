/* The question editor: type switching, options 2–8, and the live math preview. */
"use strict";

(function () {
  const LETTERS = "ABCDEFGH";
  // The HTML subset the server keeps (qti/text.py); anything else is unwrapped or dropped.
  const TAGS = new Set(
    ("p br b strong i em u sub sup span div img table thead tbody tr td th ul ol li code pre " +
      "math mi mn mo ms mtext mrow mfrac msqrt mroot msub msup msubsup munder mover " +
      "munderover mtable mtr mtd mspace mstyle mfenced menclose mpadded mphantom semantics " +
      "annotation").split(" ")
  );
  const DROP = new Set(["script", "style", "iframe", "object", "embed", "template", "svg"]);
  const ATTRS = new Set(["src", "alt", "width", "height", "colspan", "rowspan", "display",
    "encoding", "mathvariant", "displaystyle", "notation", "class"]);
  const BLOCK = /<(p|div|br|table|ul|ol|pre)\b/i;

  /** Keep only the allowed tags and attributes of parsed text (as the server will). */
  function clean(node) {
    for (const child of [...node.childNodes]) {
      if (child.nodeType === Node.TEXT_NODE) continue;
      if (child.nodeType !== Node.ELEMENT_NODE) { child.remove(); continue; }
      const tag = child.localName;
      if (DROP.has(tag)) { child.remove(); continue; }
      clean(child);
      if (!TAGS.has(tag)) { child.replaceWith(...child.childNodes); continue; }
      for (const attr of [...child.attributes]) {
        const url = attr.name === "src" && !/^(https?:|data:image\/)/i.test(attr.value);
        if (!ATTRS.has(attr.name) || url) child.removeAttribute(attr.name);
      }
    }
    return node;
  }

  /** Rich text as DOM nodes: the safe subset, plain newlines as line breaks. */
  function rich(text) {
    const html = BLOCK.test(text) ? text : text.replace(/\n/g, "<br>");
    const doc = new DOMParser().parseFromString("<body>" + html, "text/html");
    const holder = document.createElement("div");
    holder.append(...clean(doc.body).childNodes);
    return holder;
  }

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  }

  function init(form) {
    const preview = document.getElementById("preview");
    const labels = preview.dataset;
    const list = form.querySelector("#choices");
    const addButton = form.querySelector("#add-choice");
    const currentType = () => form.querySelector('input[name="type"]:checked').value;

    function showType() {
      const type = currentType();
      for (const section of form.querySelectorAll(".type-section")) {
        section.hidden = !section.dataset.types.split(" ").includes(type);
      }
      for (const hint of form.querySelectorAll("[data-for-type]")) {
        hint.hidden = hint.dataset.forType !== type;
      }
      const inputType = type === "multiple_response" ? "checkbox" : "radio";
      let seen = false;
      for (const mark of list.querySelectorAll('input[name="correct"]')) {
        if (inputType === "radio" && mark.checked) { mark.checked = !seen; seen = true; }
        mark.type = inputType;
      }
    }

    function renumber() {
      const rows = [...list.querySelectorAll(".choice")];
      rows.forEach((row, i) => {
        row.querySelector(".letter").textContent = LETTERS[i];
        row.querySelector('input[name="correct"]').value = LETTERS[i];
      });
      addButton.disabled = rows.length >= Number(list.dataset.max);
      for (const button of list.querySelectorAll("[data-remove-choice]")) {
        button.disabled = rows.length <= Number(list.dataset.min);
      }
    }

    function addChoice() {
      const rows = list.querySelectorAll(".choice");
      const row = rows[rows.length - 1].cloneNode(true);
      row.querySelector('input[name="choice_text"]').value = "";
      row.querySelector('input[name="correct"]').checked = false;
      list.append(row);
      renumber();
      row.querySelector('input[name="choice_text"]').focus();
      update();
    }

    function choicesPreview(type) {
      const items = [...list.querySelectorAll(".choice")].map((row) => {
        const correct = row.querySelector('input[name="correct"]').checked;
        const text = row.querySelector('input[name="choice_text"]').value;
        return el("li", "option" + (correct ? " is-correct" : ""),
          el("span", "letter", row.querySelector(".letter").textContent + "."),
          el("span", "option-text", rich(text)),
          correct ? el("span", "key-mark", "✓ " + labels.labelCorrect) : null);
      });
      return el("ol", "options", ...items);
    }

    function trueFalsePreview() {
      const chosen = form.querySelector('input[name="tf"]:checked');
      const items = ["true", "false"].map((value) => {
        const correct = chosen && chosen.value === value;
        return el("li", "option" + (correct ? " is-correct" : ""),
          el("span", "option-text", value === "true" ? labels.labelTrue : labels.labelFalse),
          correct ? el("span", "key-mark", "✓ " + labels.labelCorrect) : null);
      });
      return el("ul", "options tf", ...items);
    }

    function clusterPreview() {
      const rows = ["a", "b", "c", "d"].map((id) => {
        const text = form.querySelector("#statement_" + id).value;
        const truth = form.querySelector('input[name="truth_' + id + '"]:checked');
        const verdict = truth ? (truth.value === "true" ? labels.labelTrue : labels.labelFalse) : "";
        return el("tr", null, el("td", "letter", id + ")"), el("td", null, rich(text)),
          el("td", "key-mark", verdict));
      });
      return el("table", "grid statements", el("tbody", null, ...rows));
    }

    function numericPreview() {
      const value = form.querySelector("#numeric_value").value.trim();
      const tolerance = form.querySelector("#numeric_tolerance").value.trim();
      const text = labels.labelAnswer + ": " + (value || "…") +
        (tolerance ? " (" + labels.labelTolerance + " ± " + tolerance + ")" : "");
      return el("p", "key-mark", text);
    }

    const PARTS = {
      single_choice: choicesPreview,
      multiple_response: choicesPreview,
      true_false: trueFalsePreview,
      true_false_cluster: clusterPreview,
      numeric: numericPreview,
    };

    function update() {
      const stem = form.querySelector("#stem").value;
      const explanation = form.querySelector("#explanation").value;
      const parts = [stem.trim() ? el("div", "stem", rich(stem))
        : el("p", "muted", labels.labelEmpty), PARTS[currentType()](currentType())];
      if (explanation.trim()) {
        parts.push(el("div", "explanation", el("h3", null, labels.labelExplanation),
          rich(explanation)));
      }
      preview.replaceChildren(...parts);
      window.Kho.renderMath(preview);
    }

    let timer = null;
    const later = () => { clearTimeout(timer); timer = setTimeout(update, 150); };

    form.addEventListener("input", later);
    form.addEventListener("change", (event) => {
      if (event.target.name === "type") showType();
      update();
    });
    addButton.addEventListener("click", addChoice);
    list.addEventListener("click", (event) => {
      const button = event.target.closest("[data-remove-choice]");
      if (!button || button.disabled) return;
      button.closest(".choice").remove();
      renumber();
      update();
    });
    showType();
    renumber();
    update();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("question-editor");
    if (form) init(form);
  });
})();
