// Quiz builder: parts with fixed questions and blueprint cells; shows what the bank
// holds per cell, then saves the draft through the API.
"use strict";

(function () {
  const form = document.getElementById("quiz-form");
  if (!form) return;
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
  const parts = document.getElementById("parts");
  const message = document.getElementById("builder-message");
  const clone = (id) => document.getElementById(id).content.firstElementChild.cloneNode(true);

  function addCell(part) {
    part.querySelector(".cells").appendChild(clone("cell-template"));
  }

  function addPart() {
    const part = clone("part-template");
    parts.appendChild(part);
    addCell(part);
  }

  function cellsOf(part) {
    return [...part.querySelectorAll(".cell")].map((row) => ({
      topic: row.querySelector('[name="topic"]').value.trim() || null,
      level: row.querySelector('[name="level"]').value || null,
      type: row.querySelector('[name="type"]').value || null,
      count: Number(row.querySelector('[name="count"]').value),
    }));
  }

  function payload() {
    const value = (name) => form.elements[name].value || null;
    const checked = (name) => form.elements[name].checked;
    const iso = (name) => (value(name) ? value(name) + ":00" : null);
    return {
      title: value("title"),
      subject: value("subject"),
      grade: value("grade"),
      time_limit_minutes: value("time_limit_minutes") ? Number(value("time_limit_minutes")) : null,
      opens_at: iso("opens_at"),
      closes_at: iso("closes_at"),
      max_attempts: Number(value("max_attempts") || 1),
      shuffle_questions: checked("shuffle_questions"),
      shuffle_options: checked("shuffle_options"),
      draw_per_student: checked("draw_per_student"),
      review: value("review"),
      show_explanations: checked("show_explanations"),
      school_ids: checked("my_school") ? [Number(form.elements.my_school.value)] : [],
      class_ids: [...form.querySelectorAll('[name="class_ids"]:checked')].map((i) => Number(i.value)),
      parts: [...parts.querySelectorAll(".part")].map((part) => ({
        title: part.querySelector('[name="part_title"]').value,
        points: Number(part.querySelector('[name="part_points"]').value || 1),
        question_ids: part.querySelector('[name="question_ids"]').value
          .split(",").map((s) => s.trim()).filter(Boolean).map(Number),
        blueprint: cellsOf(part).filter((c) => c.count > 0),
      })),
    };
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    });
    return { ok: response.ok, body: await response.json() };
  }

  async function refresh() {
    const data = payload();
    const query = new URLSearchParams({ subject: data.subject || "", grade: data.grade || "" });
    const grid = await (await fetch(`${form.dataset.grid}?${query}`)).json();
    const body = document.querySelector("#grid tbody");
    body.replaceChildren(...(grid.items || []).map((c) => {
      const row = document.createElement("tr");
      for (const text of [c.topic || "—", c.level || "—", c.type, c.available]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.appendChild(cell);
      }
      return row;
    }));
    for (const part of parts.querySelectorAll(".part")) {
      const cells = cellsOf(part);
      const check = await post(form.dataset.check, { subject: data.subject, grade: data.grade, cells });
      if (!check.ok) continue;
      part.querySelectorAll(".cell .available").forEach((td, i) => {
        const cell = check.body.items[i];
        td.textContent = cell.available;
        td.classList.toggle("short", cell.available < cell.count);
      });
    }
  }

  form.addEventListener("click", (event) => {
    if (event.target.classList.contains("add-cell")) addCell(event.target.closest(".part"));
    if (event.target.classList.contains("remove-cell")) event.target.closest(".cell").remove();
  });
  form.addEventListener("change", refresh);
  document.getElementById("add-part").addEventListener("click", addPart);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = await post(form.dataset.api, payload());
    if (result.ok) {
      location.href = "/quizzes/" + result.body.id;
      return;
    }
    message.hidden = false;
    const fields = result.body.error.fields || {};
    const details = Object.values(fields).flat().filter((x) => typeof x === "string");
    message.textContent = [result.body.error.message, ...details].join(" — ");
  });
  addPart();
})();
