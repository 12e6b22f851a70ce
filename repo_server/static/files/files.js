// Resumable uploads of material files (the /api/v1/uploads API) and file deletion.
// Chunks of chunkSize bytes are PUT with Content-Range; a failed chunk is retried with
// backoff after asking the server how much arrived; upload ids are kept in localStorage
// so that, after a reload, choosing the same file again continues where it stopped.
"use strict";

(function () {
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
  const STORE = "khls-uploads";
  const MAX_RETRIES = 10; // about five minutes of backoff before giving up (resumable later)

  function saved() {
    try {
      return JSON.parse(localStorage.getItem(STORE) || "{}");
    } catch (error) {
      return {};
    }
  }

  function remember(key, value) {
    const all = saved();
    if (value === null) delete all[key];
    else all[key] = value;
    localStorage.setItem(STORE, JSON.stringify(all));
  }

  function fileKey(materialId, file) {
    return [materialId, file.name, file.size, file.lastModified].join("|");
  }

  async function api(method, url, body, headers) {
    const response = await fetch(url, {
      method,
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json", ...headers },
    });
    const data = await response.json().catch(() => ({}));
    return { status: response.status, data };
  }

  function errorText(result, fallback) {
    return (result.data && result.data.error && result.data.error.message) || fallback;
  }

  // PUT one chunk with XMLHttpRequest, which reports upload progress.
  function putChunk(url, blob, start, total, onProgress) {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", url);
      xhr.setRequestHeader("X-CSRFToken", csrf());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      const end = start + blob.size - 1;
      xhr.setRequestHeader("Content-Range", `bytes ${start}-${end}/${total}`);
      xhr.upload.onprogress = (event) => onProgress(start + event.loaded);
      xhr.onload = () => {
        let data = {};
        try {
          data = JSON.parse(xhr.responseText);
        } catch (error) {
          data = {};
        }
        resolve({ status: xhr.status, data });
      };
      xhr.onerror = xhr.ontimeout = () => resolve({ status: 0, data: {} });
      xhr.send(blob);
    });
  }

  class FileUpload {
    constructor(settings, file, list) {
      this.settings = settings;
      this.file = file;
      this.key = fileKey(settings.materialId, file);
      this.row = document.createElement("li");
      this.label = document.createElement("span");
      this.bar = document.createElement("progress");
      this.bar.max = file.size;
      this.bar.value = 0;
      this.row.append(`${file.name} `, this.bar, " ", this.label);
      list.append(this.row);
      this.say(settings.messages.waiting);
    }

    say(text, failed) {
      this.label.textContent = text;
      this.row.classList.toggle("files-failed", Boolean(failed));
    }

    show(offset) {
      this.bar.value = offset;
      const percent = Math.floor((100 * offset) / this.file.size);
      this.say(`${this.settings.messages.uploading} ${percent}%`);
    }

    // Reuse the upload of this very file if the server still has it, else start one.
    async open() {
      const known = saved()[this.key];
      if (known) {
        const found = await api("GET", known.url);
        if (found.status === 200) return found.data;
        remember(this.key, null);
      }
      const body = JSON.stringify({
        material_id: this.settings.materialId,
        filename: this.file.name,
        size: this.file.size,
      });
      const started = await api("POST", this.settings.startUrl, body, {
        "Content-Type": "application/json",
      });
      if (started.status !== 201) throw new Error(errorText(started, this.settings.messages.failed));
      remember(this.key, { url: started.data.url, name: this.file.name, size: this.file.size });
      return started.data;
    }

    async run() {
      const messages = this.settings.messages;
      if (this.file.size > this.settings.maxBytes) {
        const limit = Math.round(this.settings.maxBytes / 1024 ** 3) + " GB";
        return this.say(fill(messages.tooLarge, { n: limit }), true);
      }
      try {
        const upload = await this.open();
        await this.send(upload);
        remember(this.key, null);
        this.bar.value = this.file.size;
        this.say(messages.done);
        return true;
      } catch (error) {
        this.say(`${messages.failed}: ${error.message}`, true);
        return false;
      }
    }

    // Send every chunk from the server's offset; on failure wait, re-ask, go on.
    async send(upload) {
      let offset = upload.offset;
      let failures = 0;
      const chunk = upload.chunk_size;
      while (true) {
        this.show(offset);
        const blob = this.file.slice(offset, Math.min(offset + chunk, this.file.size));
        const result = offset < this.file.size
          ? await putChunk(upload.url, blob, offset, this.file.size, (n) => this.show(n))
          : await this.finish(upload.url);
        if (result.status === 201) return result.data;
        if (result.status === 200) {
          offset = result.data.offset;
          failures = 0;
          continue;
        }
        const refused = result.status >= 400 && result.status < 500 && result.status !== 409;
        if (refused && result.status !== 401) remember(this.key, null); // 401: log in, resume
        if (refused || failures >= MAX_RETRIES) {
          throw new Error(errorText(result, this.settings.messages.failed));
        }
        failures += 1;
        const wait = Math.min(30, 2 ** Math.min(failures, 5));
        this.say(fill(this.settings.messages.retrying, { s: wait }));
        await sleep(wait * 1000);
        const state = await api("GET", upload.url);
        if (state.status === 200) offset = state.data.offset;
        else if (state.status === 404) throw new Error(errorText(state, this.settings.messages.failed));
      }
    }

    // Every byte arrived but storing failed (e.g. storage was down): ask again.
    finish(url) {
      return api("PUT", url, null, { "Content-Range": `bytes */${this.file.size}` });
    }
  }

  function showPending(section, settings) {
    const list = section.querySelector(".files-pending");
    for (const [key, entry] of Object.entries(saved())) {
      if (!key.startsWith(`${settings.materialId}|`)) continue;
      api("GET", entry.url).then((state) => {
        if (state.status !== 200) return remember(key, null);
        const item = document.createElement("li");
        const percent = Math.floor((100 * state.data.offset) / state.data.size);
        item.textContent = fill(settings.messages.resume, { name: entry.name, p: percent });
        list.append(item);
      });
    }
  }

  function initUpload(section) {
    const settings = JSON.parse(section.dataset.settings);
    const form = section.querySelector(".files-form");
    const input = section.querySelector(".files-input");
    const list = section.querySelector(".files-progress");
    showPending(section, settings);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const files = Array.from(input.files);
      input.value = "";
      const jobs = files.map((file) => new FileUpload(settings, file, list));
      let done = 0;
      for (const job of jobs) if (await job.run()) done += 1;
      if (done) window.location.reload();
    });
  }

  function initDelete(button, confirmText) {
    button.addEventListener("click", async () => {
      if (!window.confirm(confirmText)) return;
      const result = await api("DELETE", button.dataset.url);
      if (result.status === 204) button.closest(".file-card").remove();
      else window.alert(errorText(result, result.status));
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const section = document.getElementById("files-upload");
    if (!section) return;
    initUpload(section);
    const confirmText = JSON.parse(section.dataset.settings).messages.confirmDelete;
    document.querySelectorAll(".file-delete").forEach((b) => initDelete(b, confirmText));
  });
})();
