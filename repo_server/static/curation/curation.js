// The review queue: one box ticks every item for bulk approval.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.querySelector("[data-check-all]");
  if (!all) return;
  all.addEventListener("change", () => {
    for (const box of document.querySelectorAll('#bulk-form input[name="item"]')) {
      box.checked = all.checked;
    }
  });
});
