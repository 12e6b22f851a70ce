// Quiz detail: start an attempt (students), publish or close (teachers).
"use strict";

(function () {
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
  const message = document.getElementById("quiz-message");

  for (const button of document.querySelectorAll("button[data-action]")) {
    button.addEventListener("click", async () => {
      button.disabled = true;
      const response = await fetch(button.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
      });
      const body = await response.json();
      if (!response.ok) {
        message.textContent = body.error.message;
        button.disabled = false;
      } else if (button.dataset.action === "start") {
        location.href = "/attempts/" + body.id;
      } else {
        location.reload();
      }
    });
  }
})();
