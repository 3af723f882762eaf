// Small keyboard and confirmation helpers. No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  // "/" focuses the page's search box; "g h" goes home.
  let lastG = 0;
  document.addEventListener("keydown", function (e) {
    const t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/") {
      const box = document.querySelector("[data-hotkey='/']");
      if (box) { e.preventDefault(); box.focus(); box.select(); }
    } else if (e.key === "g") {
      lastG = Date.now();
    } else if (e.key === "h" && Date.now() - lastG < 1000) {
      window.location.href = "/";
    }
  });
  // Buttons with data-confirm ask before submitting.
  document.addEventListener("click", function (e) {
    const b = e.target.closest("[data-confirm]");
    if (b && !window.confirm(b.getAttribute("data-confirm"))) e.preventDefault();
  });
})();
