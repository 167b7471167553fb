// biaogan serve: reloads the page when the site has been rebuilt, and shows
// build errors over it until they are fixed. Added to pages by `biaogan serve`
// as they are served; never part of what `biaogan build` writes.
(function () {
  "use strict";
  var me = document.currentScript;
  // Which build of the site this page comes from (0: the error page shown
  // while no build has succeeded yet).
  var shown = Number(me && me.getAttribute("data-build")) || 0;
  var overlay = null;

  function el(tag, text, css) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (css) e.style.cssText = css;
    return e;
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  // Built from text nodes only: messages quote the content, which must never
  // become markup.
  function show(errors) {
    hide();
    overlay = el("div", null,
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;box-sizing:border-box;" +
      "padding:24px;background:rgba(24,24,24,.94);color:#f5f5f5;text-align:left;" +
      "font:14px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,'Noto Sans Mono CJK SC',monospace;");
    overlay.id = "biaogan-overlay";
    overlay.setAttribute("role", "alert");
    var close = el("button", "×",
      "position:absolute;top:12px;right:16px;font-size:24px;line-height:1;background:none;" +
      "border:0;color:inherit;cursor:pointer;");
    close.setAttribute("aria-label", "关闭");
    close.addEventListener("click", hide);
    overlay.appendChild(close);
    overlay.appendChild(el("h2", "网站生成失败（" + errors.length + " 个错误）",
      "margin:0 0 4px;font-size:20px;color:#ff8a80;"));
    overlay.appendChild(el("p",
      "仍在显示上一次成功生成的网站。修正并保存后，此提示自动消失。",
      "margin:0 0 16px;color:#bdbdbd;"));
    errors.forEach(function (d) {
      var box = el("section", null,
        "margin:0 0 16px;padding:12px 16px;border-left:4px solid #ff5252;background:#2b2b2b;");
      box.className = "biaogan-error";
      box.appendChild(el("div", d.location, "font-weight:bold;color:#80d8ff;"));
      box.appendChild(el("div", (d.field ? "字段 " + d.field + "：" : "") + d.message,
        "white-space:pre-wrap;"));
      if (d.source) {
        box.appendChild(el("pre", (d.line ? d.line + " | " : "") + d.source,
          "margin:8px 0 0;padding:4px 8px;background:#1e1e1e;white-space:pre-wrap;"));
      }
      if (d.help) box.appendChild(el("div", "建议：" + d.help, "margin-top:8px;color:#b9f6ca;"));
      overlay.appendChild(box);
    });
    (document.body || document.documentElement).appendChild(overlay);
  }

  function update(event) {
    var state;
    try {
      state = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    // A newer good site exists: show it (the errors, if any, come back on reconnecting).
    if (state.site !== 0 && state.site !== shown) {
      location.reload();
      return;
    }
    if (state.errors && state.errors.length) show(state.errors);
    else hide();
  }

  if (!window.EventSource) return;
  var source = new EventSource("/__biaogan/events");
  ["hello", "reload", "error", "ok"].forEach(function (name) {
    source.addEventListener(name, update);
  });
  // Browsers allow a handful of connections per server: a page being left
  // frees its own, and a page restored from the back/forward cache starts over.
  window.addEventListener("pagehide", function () { source.close(); });
  window.addEventListener("pageshow", function (e) { if (e.persisted) location.reload(); });
})();
