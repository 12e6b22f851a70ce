// Export page: start an export job and follow it.
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

  document.addEventListener("DOMContentLoaded", () => {
    const exportForm = document.getElementById("export-form");
    if (exportForm) exportPage(exportForm);
  });
})();
