/* The pages' behaviour: the search box's suggestions (a keyboard-friendly combobox over
   /api/search/suggest) and the busy indicator while a download is prepared. Text from the data is
   always set with textContent, never parsed as HTML. */
(function () {
  "use strict";

  // -- search suggestions ------------------------------------------------------------------
  var box = document.getElementById("q");
  var list = document.getElementById("q-list");
  if (box && list) {
    var items = [], active = -1, timer = null, asked = "";

    function close() {
      list.hidden = true;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function mark(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, k) {
        li.setAttribute("aria-selected", k === i ? "true" : "false");
      });
      if (i >= 0 && list.children[i]) {
        box.setAttribute("aria-activedescendant", list.children[i].id);
        list.children[i].scrollIntoView({block: "nearest"});
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }
    function render(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = "q-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.href = s.href;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = s.kind;
        li.appendChild(kind);
        li.appendChild(document.createTextNode(s.label));
        var ctx = document.createElement("small");
        ctx.textContent = s.context;
        li.appendChild(ctx);
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); window.location.href = s.href; });
        list.appendChild(li);
      });
      list.hidden = !found.length;
      box.setAttribute("aria-expanded", found.length ? "true" : "false");
      active = -1;
    }
    function ask() {
      var text = box.value.trim();
      if (!text) { render([]); return; }
      if (text === asked) { return; }
      asked = text;
      fetch("/api/search/suggest?q=" + encodeURIComponent(text), {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (found) { if (asked === text) render(found); })
        .catch(function () { render([]); });
    }
    box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 120); });
    box.addEventListener("focus", function () { if (items.length) { list.hidden = false; box.setAttribute("aria-expanded", "true"); } });
    box.addEventListener("blur", function () { setTimeout(close, 150); });
    box.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") {
        if (list.hidden && items.length) { list.hidden = false; box.setAttribute("aria-expanded", "true"); }
        mark(Math.min(active + 1, items.length - 1));
        ev.preventDefault();
      } else if (ev.key === "ArrowUp") {
        mark(Math.max(active - 1, -1));
        ev.preventDefault();
      } else if (ev.key === "Enter" && active >= 0 && items[active]) {
        ev.preventDefault();
        window.location.href = items[active].href;
      } else if (ev.key === "Escape") {
        close();
      }
    });
  }

  // -- downloads: a busy indicator while the file is prepared -----------------------------------
  var busy = document.getElementById("busy");
  var busyText = document.getElementById("busy-text");
  function fileName(disposition, fallback) {
    var m = /filename\*=UTF-8''([^;]+)/i.exec(disposition || "");
    if (m) { try { return decodeURIComponent(m[1]); } catch (e) { /* fall through */ } }
    m = /filename="?([^";]+)"?/i.exec(disposition || "");
    return m ? m[1] : fallback;
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.download");
    if (!a || !window.fetch || !busy || ev.ctrlKey || ev.metaKey || ev.shiftKey) { return; }
    ev.preventDefault();
    if (a.getAttribute("aria-busy") === "true") { return; }
    a.setAttribute("aria-busy", "true");
    busy.hidden = false;
    busyText.textContent = "正在准备" + (a.dataset.format || "").toUpperCase() + "文件，请稍候…";
    fetch(a.href).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      var name = fileName(r.headers.get("Content-Disposition"), "aidgraph." + (a.dataset.format || "bin"));
      return r.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var link = document.createElement("a");
        link.href = url;
        link.download = name;
        document.body.appendChild(link);
        link.click();
        setTimeout(function () { URL.revokeObjectURL(url); link.remove(); }, 60000);
        busyText.textContent = "已下载：" + name;
      });
    }).catch(function (e) {
      busyText.textContent = "下载失败（" + e.message + "），请重试";
    }).then(function () {
      a.removeAttribute("aria-busy");
      setTimeout(function () { busy.hidden = true; }, 2500);
    });
  });
})();

/* Phones: long lists start folded (a district's units, the table of a picture's nodes) so a page stays a
   few screens long; a tap on the heading opens them. */
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("screen and (max-width: 700px)").matches) return;
  document.querySelectorAll("details.fold[open], details.node-table[open]").forEach(function (d) {
    d.open = false;
  });
})();
