// Export and import pages: start an export job and follow it; upload QTI files.
"use strict";

(function () {
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

  function errorText(body, fallback) {
    return (body && body.error && body.error.message) || fallback;
  }

  // --- Export: POST the selection, poll the job, offer the download link -------
  function exportPage(form) {
    const box = document.getElementById("export-job");
    const bar = document.getElementById("export-progress");
    const status = document.getElementById("export-status");
    const link = document.getElementById("export-download");

    function show(job) {
      const { done, total } = job.progress;
      bar.max = Math.max(total, 1);
      bar.value = done;
      status.textContent = `${done} / ${total}`;
      if (job.status === "done") {
        status.textContent = form.dataset.ready.replace("{n}", job.result.count);
        link.href = job.download_url;
        link.hidden = false;
      } else if (job.status === "failed") {
        status.textContent = `${form.dataset.failed}: ${job.error}`;
      } else {
        setTimeout(() => poll(job.id), 1000);
      }
    }

    async function poll(id) {
      const response = await fetch(`${form.dataset.api.replace(/exports$/, "jobs")}/${id}`);
      show(await response.json());
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      Object.keys(data).forEach((key) => { if (!data[key]) delete data[key]; });
      box.hidden = false;
      link.hidden = true;
      const response = await fetch(form.dataset.api, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(data),
      });
      const body = await response.json();
      if (!response.ok) {
        status.textContent = `${form.dataset.failed}: ${errorText(body, response.status)}`;
        return;
      }
      show(body);
    });
  }

  // --- Import: drag and drop, upload with progress, the report table -----------
  function importPage(form) {
    const input = document.getElementById("import-files");
    const zone = document.getElementById("drop-zone");
    const list = document.getElementById("import-list");
    const bar = document.getElementById("import-progress");
    let files = [];

    function choose(chosen) {
      files = Array.from(chosen);
      list.replaceChildren(...files.map((file) => {
        const li = document.createElement("li");
        li.textContent = `${file.name} (${Math.ceil(file.size / 1024)} KB)`;
        return li;
      }));
    }

    input.addEventListener("change", () => choose(input.files));
    zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      choose(event.dataTransfer.files);
    });

    function row(file, item, note) {
      const tr = document.createElement("tr");
      for (const text of [file, item, note]) {
        const td = document.createElement("td");
        td.textContent = text || "";
        tr.append(td);
      }
      return tr;
    }

    function report(body) {
      const summary = document.getElementById("import-summary");
      summary.textContent = summary.dataset.template
        .replace("{n}", body.imported.length).replace("{s}", body.skipped.length);
      const rows = body.skipped.map((s) => row(s.file, s.item, s.reason))
        .concat(body.problems.map((p) => row(p.file, p.item, p.message)));
      document.getElementById("import-rows").replaceChildren(...rows);
      document.getElementById("import-report").hidden = false;
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData();
      files.forEach((file) => data.append("files", file, file.name));
      for (const name of ["subject", "grade"]) data.append(name, form.elements[name].value);
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
          const summary = document.getElementById("import-summary");
          summary.textContent = `${form.dataset.failed}: ${errorText(body, request.status)}`;
          document.getElementById("import-rows").replaceChildren();
          document.getElementById("import-report").hidden = false;
          return;
        }
        report(body);
      });
      request.send(data);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const exportForm = document.getElementById("export-form");
    if (exportForm) exportPage(exportForm);
    const importForm = document.getElementById("import-form");
    if (importForm) importPage(importForm);
  });
})();
