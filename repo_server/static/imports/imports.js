// Imports: upload with drag and drop and progress; preview to fix, deselect and commit.
"use strict";

(function () {
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
  const el = (tag, props = {}, children = []) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };
  const errorText = (body, fallback) => (body && body.error && body.error.message) || fallback;

  // --- Upload page -------------------------------------------------------------
  function uploadPage(form) {
    const input = document.getElementById("upload-files");
    const zone = document.getElementById("drop-zone");
    const list = document.getElementById("upload-list");
    const bar = document.getElementById("upload-progress");
    const status = document.getElementById("upload-status");
    let files = [];

    function choose(chosen) {
      files = Array.from(chosen);
      list.replaceChildren(...files.map((f) => el("li", { textContent: `${f.name} (${Math.ceil(f.size / 1024)} KB)` })));
    }
    input.addEventListener("change", () => choose(input.files));
    zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); choose(e.dataTransfer.files); });

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData();
      files.forEach((f) => data.append("files", f, f.name));
      for (const name of ["subject", "grade"]) data.append(name, form.elements[name].value);
      data.append("preview", "1");
      const request = new XMLHttpRequest();
      request.open("POST", form.dataset.api);
      request.setRequestHeader("X-CSRFToken", csrf());
      request.upload.addEventListener("progress", (e) => {
        bar.hidden = false;
        bar.max = e.total || 1;
        bar.value = e.loaded;
      });
      request.addEventListener("load", () => {
        let body = null;
        try { body = JSON.parse(request.responseText); } catch (err) { body = null; }
        if (request.status >= 400 || !body) {
          status.textContent = `${form.dataset.failed}: ${errorText(body, request.status)}`;
          return;
        }
        window.location.href = form.dataset.preview.replace(/0$/, String(body.id));
      });
      request.send(data);
    });
  }

  // --- Preview page ------------------------------------------------------------
  function previewPage(root) {
    const texts = JSON.parse(root.dataset.texts);
    const api = root.dataset.api;
    const rows = document.getElementById("preview-rows");
    const summary = document.getElementById("preview-summary");
    let record = null;

    async function send(url, method, body) {
      const response = await fetch(url, {
        method,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: body ? JSON.stringify(body) : undefined,
      });
      const data = await response.json();
      if (!response.ok) {
        summary.textContent = `${texts.failed}: ${errorText(data, response.status)}`;
        return null;
      }
      return data;
    }

    const change = async (entry) => { const data = await send(api, "PATCH", { entries: [entry] }); if (data) show(data); };

    function answerControl(entry) {
      const item = entry.data.item;
      const editable = record.status === "preview";
      if (item.type === "true_false_cluster") {
        return el("div", {}, (item.statements || []).map((s, i) => {
          const select = el("select", { disabled: !editable }, [
            el("option", { value: "true", textContent: `${s.id}) ${texts.true}`, selected: s.correct }),
            el("option", { value: "false", textContent: `${s.id}) ${texts.false}`, selected: !s.correct }),
          ]);
          select.addEventListener("change", () => {
            const statements = item.statements.map((t, j) => (j === i ? { ...t, correct: select.value === "true" } : t));
            change({ index: entry.index, item: { ...item, statements } });
          });
          return select;
        }));
      }
      if (item.type === "true_false") {
        const select = el("select", { disabled: !editable }, ["true", "false"].map((v) =>
          el("option", { value: v, textContent: texts[v], selected: (item.correct || [])[0] === v })));
        select.addEventListener("change", () => change({ index: entry.index, item: { ...item, correct: [select.value] } }));
        return select;
      }
      if (item.choices && item.choices.length) {
        return el("div", {}, item.choices.map((c) => {
          const box = el("input", { type: "checkbox", checked: (item.correct || []).includes(c.id), disabled: !editable });
          box.addEventListener("change", () => {
            const correct = item.choices.map((o) => o.id).filter((id) => (id === c.id ? box.checked : (item.correct || []).includes(id)));
            const type = correct.length > 1 ? "multiple_response" : "single_choice";
            change({ index: entry.index, item: { ...item, type, correct } });
          });
          return el("label", {}, [box, ` ${c.id} `]);
        }));
      }
      const input = el("input", { type: "text", size: 8, placeholder: texts.value, disabled: !editable,
        value: item.numeric ? String(item.numeric.value) : "" });
      input.addEventListener("change", () => {
        const value = Number(input.value.replace(",", "."));
        if (!Number.isFinite(value)) return;
        const numeric = { value, tolerance: (item.numeric && item.numeric.tolerance) || 0, base_type: "float" };
        change({ index: entry.index, item: { ...item, type: "numeric", numeric } });
      });
      return input;
    }

    function content(item) {
      const box = el("div");
      box.innerHTML = item.stem || "";  // sanitized by the server (safe HTML subset)
      const list = el("ol", { type: "A" });
      for (const c of item.choices || []) {
        const li = el("li");
        li.innerHTML = c.text;
        if ((item.correct || []).includes(c.id)) li.className = "correct";
        list.append(li);
      }
      for (const s of item.statements || []) {
        const li = el("li");
        li.innerHTML = `${s.id}) ${s.text}`;
        list.append(li);
      }
      box.append(list);
      return box;
    }

    function notes(entry) {
      const list = el("ul", {}, entry.problems.map((p) => el("li", { textContent: p })));
      for (const d of entry.duplicates) {
        if (d.url) {
          const label = d.similarity >= 1 ? texts.duplicate : texts.near;
          const text = label.replace("{id}", d.question).replace("{p}", Math.round(d.similarity * 100));
          list.append(el("li", {}, [el("a", { href: d.url, textContent: text, target: "_blank" })]));
        } else {
          list.append(el("li", { textContent: texts.same_file.replace("{n}", d.entry + 1) }));
        }
      }
      return list;
    }

    function row(entry) {
      const select = el("input", { type: "checkbox", checked: entry.selected, disabled: entry.blocking || record.status !== "preview" });
      select.addEventListener("change", () => change({ index: entry.index, selected: select.checked }));
      const tr = el("tr", { className: entry.blocking ? "blocking" : "" }, [
        el("td", {}, [select]),
        el("td", { textContent: `${entry.label} (${entry.file})` }),
        el("td", {}, [content(entry.data.item)]),
        el("td", {}, [answerControl(entry)]),
        el("td", {}, [notes(entry)]),
      ]);
      return tr;
    }

    function show(data) {
      record = data;
      const c = data.counts;
      summary.textContent = `${texts["status_" + data.status]} – ` + texts.summary
        .replace("{n}", c.entries).replace("{s}", c.selected).replace("{b}", c.blocking).replace("{d}", c.duplicates);
      if (data.status === "committed") summary.textContent += " " + texts.committed.replace("{n}", data.imported.length);
      rows.replaceChildren(...data.entries.map(row));
      const skipped = data.skipped.filter((s) => !data.entries.some((e) => e.label === s.item && e.file === s.file));
      document.getElementById("skipped-list").replaceChildren(...skipped.map((s) => el("li", { textContent: `${s.file} – ${s.item}: ${s.reason}` })));
      document.getElementById("skipped-section").hidden = !skipped.length;
      for (const id of ["commit", "discard"]) document.getElementById(id).disabled = data.status !== "preview";
    }

    document.getElementById("commit").addEventListener("click", async () => {
      const data = await send(`${api}/commit`, "POST");
      if (data) show(data);
    });
    document.getElementById("discard").addEventListener("click", async () => {
      const data = await send(api, "DELETE");
      if (data) show(data);
    });
    fetch(api).then((r) => r.json()).then(show);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("upload-form");
    if (form) uploadPage(form);
    const preview = document.getElementById("preview");
    if (preview) previewPage(preview);
  });
})();
