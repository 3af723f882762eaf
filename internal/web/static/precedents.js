// 起草助手: the draft editor's precedents panel. "查找相似段落" (or Alt+Shift+P
// in the 正文) asks for paragraphs like the selected one, or like the one
// the cursor is in; "插入此段" inserts a precedent's paragraph at the cursor
// and adds where it came from to the version's note, which the revision
// history keeps and the issued document does not print.
(function () {
  "use strict";
  const list = document.getElementById("precedent-list");
  const more = document.getElementById("precedent-more");
  if (!list || !more) return;
  const body = document.querySelector("textarea[name=body]");
  const note = document.querySelector("input[name=version_note]");
  const status = document.getElementById("precedent-status");
  const csrf = document.querySelector("input[name=csrf]");
  const say = function (s) { status.textContent = s; };
  // The selection, or the paragraph (line) the cursor is in.
  const current = function () {
    const v = body.value, a = body.selectionStart, b = body.selectionEnd;
    if (a !== b) return v.slice(a, b).trim();
    const s = v.lastIndexOf("\n", a - 1) + 1;
    let e = v.indexOf("\n", a);
    if (e < 0) e = v.length;
    return v.slice(s, e).trim();
  };
  const ask = function () {
    const p = current();
    if (!p) { say("请先在正文中选中一段文字，或把光标放在一段上。"); return; }
    say("");
    htmx.ajax("GET", "/precedents?doc=" + encodeURIComponent(list.dataset.doc) + "&para=" + encodeURIComponent(Array.from(p).slice(0, 1000).join("")),
      { target: list, swap: "innerHTML" });
  };
  more.addEventListener("click", ask);
  body.addEventListener("keydown", function (e) {
    if (e.altKey && e.shiftKey && (e.key === "P" || e.key === "p" || e.code === "KeyP")) { e.preventDefault(); ask(); }
  });
  // The paragraph goes in at the cursor as a paragraph of its own.
  const insert = function (text) {
    const v = body.value, a = body.selectionStart, b = body.selectionEnd;
    const pre = v.slice(0, a), post = v.slice(b);
    const t = (pre && !pre.endsWith("\n") ? "\n" : "") + text + (post && !post.startsWith("\n") ? "\n" : "");
    body.value = pre + t + post;
    const at = pre.length + t.length;
    body.setSelectionRange(at, at);
    body.dispatchEvent(new Event("input", { bubbles: true }));
  };
  list.addEventListener("click", function (e) {
    const btn = e.target.closest(".precedent-insert");
    if (!btn) return;
    btn.disabled = true;
    fetch("/api/v1/precedents/insert", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf ? csrf.value : "" },
      body: JSON.stringify({ document: list.dataset.doc, source: btn.dataset.source, paragraph: Number(btn.dataset.paragraph) })
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, j: j }; });
    }).then(function (x) {
      btn.disabled = false;
      if (!x.ok) { say(x.j.error || "插入失败，请重试。"); return; }
      insert(x.j.text);
      if (note && note.value.indexOf(x.j.note) < 0) note.value = note.value ? note.value + "；" + x.j.note : x.j.note;
      say("已在光标处插入，来源" + x.j.note + "已记入本次修改说明，保存后留在版本记录中，不印入正式文件。");
      body.focus();
    }).catch(function () { btn.disabled = false; say("插入失败，请重试。"); });
  });
})();
