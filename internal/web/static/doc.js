// Document pages: filter the assignee and unit pickers as one types, and
// capture a selection in the draft text as rune offsets for a 批注.
(function () {
  "use strict";
  document.addEventListener("input", function (e) {
    const box = e.target.closest(".pick-filter");
    if (!box) return;
    const q = box.value.trim();
    const list = box.parentElement.querySelector(".pick-list");
    if (!list) return;
    // A row matches on its label or its unit's name; a unit's heading
    // shows while any of its rows does.
    const shown = {};
    list.querySelectorAll(".pick-row").forEach(function (row) {
      const g = row.dataset.group || "";
      row.hidden = q !== "" && row.textContent.indexOf(q) < 0 && g.indexOf(q) < 0;
      if (!row.hidden) shown[g] = true;
    });
    list.querySelectorAll(".pick-group").forEach(function (h) {
      h.hidden = q !== "" && !shown[h.textContent];
    });
  });
  // Ctrl+Enter (⌘+Enter) in an opinion box submits its form with the main button.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey) || e.target.tagName !== "TEXTAREA") return;
    const form = e.target.form;
    if (!form) return;
    const main = form.querySelector("button.primary") || form.querySelector("button");
    e.preventDefault();
    form.requestSubmit(main || undefined);
  });
  const text = document.getElementById("ann-text");
  if (!text) return;
  // Offsets count Unicode code points, as the server does, not UTF-16 units.
  const runes = function (s) { return Array.from(s).length; };
  const capture = function () {
    const a = text.selectionStart, b = text.selectionEnd;
    if (a === b) return;
    const v = text.value;
    document.getElementById("ann-start").value = runes(v.slice(0, a));
    document.getElementById("ann-end").value = runes(v.slice(0, b));
    const quote = v.slice(a, b);
    document.getElementById("ann-quote").textContent = "“" + (quote.length > 30 ? quote.slice(0, 30) + "…" : quote) + "”";
  };
  text.addEventListener("select", capture);
  text.addEventListener("mouseup", capture);
  text.addEventListener("keyup", capture);
})();
