/* Kho học liệu số: small enhancements every page shares (no framework, no CDN). */
"use strict";

window.Kho = (function () {
  const MATH_DELIMITERS = [
    { left: "$$", right: "$$", display: true },
    { left: "\\[", right: "\\]", display: true },
    { left: "\\(", right: "\\)", display: false },
    { left: "$", right: "$", display: false },
  ];

  /** Typeset the math of an element with KaTeX (if it is loaded). */
  function renderMath(element) {
    if (typeof window.renderMathInElement !== "function") return;
    window.renderMathInElement(element, {
      delimiters: MATH_DELIMITERS,
      throwOnError: false,
      ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code", "option"],
    });
  }

  /** GET JSON from our API with the session cookie. */
  async function getJSON(url) {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) throw new Error(url + " → " + response.status);
    return response.json();
  }

  function localName(entry) {
    const english = document.documentElement.lang === "en";
    return (english && entry.name_en) || entry.name_vi;
  }

  let taxonomyPromise = null;
  function taxonomy() {
    taxonomyPromise = taxonomyPromise || getJSON("/api/v1/taxonomy");
    return taxonomyPromise;
  }

  /** Chapters first, each followed by its lessons (as the server orders them). */
  function topicTree(items) {
    const ids = new Set(items.map((t) => t.id));
    const children = new Map();
    for (const t of items) {
      const key = ids.has(t.parent_id) ? t.parent_id : null;
      if (!children.has(key)) children.set(key, []);
      children.get(key).push(t);
    }
    const out = [];
    (function walk(parent, depth) {
      for (const t of children.get(parent) || []) {
        const series = depth === 0 && t.series ? " (" + t.series + ")" : "";
        out.push({ code: t.code, label: "— ".repeat(depth) + localName(t) + series });
        walk(t.id, depth + 1);
      }
    })(null, 0);
    return out;
  }

  /** Keep the grade and topic selects of a form in step with the chosen subject. */
  function linkTaxonomy(container) {
    const subject = container.querySelector('[data-role="subject"]');
    const grade = container.querySelector('[data-role="grade"]');
    const topic = container.querySelector('[data-role="topic"]');
    if (!subject || !grade) return;

    async function filterGrades() {
      const data = await taxonomy();
      const chosen = data.subjects.find((s) => s.code === subject.value);
      for (const option of grade.options) {
        if (!option.value) continue;
        const fits = !chosen || chosen.grades.includes(option.value);
        option.hidden = !fits;
        option.disabled = !fits;
      }
      if (grade.selectedOptions[0] && grade.selectedOptions[0].disabled) grade.value = "";
    }

    async function loadTopics() {
      if (!topic) return;
      const keep = topic.value;
      const empty = topic.options[0] ? topic.options[0].textContent : "";
      topic.replaceChildren(new Option(empty, ""));
      if (!subject.value || !grade.value) return;
      const query = new URLSearchParams({ subject: subject.value, grade: grade.value });
      const data = await getJSON("/api/v1/taxonomy/topics?" + query);
      for (const t of topicTree(data.items)) {
        topic.add(new Option(t.label, t.code, false, t.code === keep));
      }
    }

    subject.addEventListener("change", () => {
      filterGrades().then(loadTopics).catch(console.error);
    });
    grade.addEventListener("change", () => loadTopics().catch(console.error));
    filterGrades().catch(console.error);
  }

  /** Show the fields of the chosen role only (student class, curator subjects). */
  function linkRoleFields(form) {
    const select = form.querySelector("[data-role-select]");
    const update = () => {
      for (const block of form.querySelectorAll("[data-show-for-role]")) {
        block.hidden = block.dataset.showForRole !== select.value;
      }
    };
    select.addEventListener("change", update);
    update();
  }

  function askBeforeSubmit(form) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".math").forEach(renderMath);
    document.querySelectorAll("[data-taxonomy]").forEach(linkTaxonomy);
    document.querySelectorAll("[data-role-form]").forEach(linkRoleFields);
    document.querySelectorAll("form[data-confirm]").forEach(askBeforeSubmit);
  });

  return { renderMath };
})();
