// The desk's progressive enhancement: everything works without it.
// - a search box over long pickers (select[data-picker]) that filters the options as one types;
// - a live preview of Markdown (textarea[data-markdown]) rendered by the server's renderer;
// - the "English missing" mark follows what is typed;
// - a "select all" box over list rows.
(function () {
  "use strict";
  var lang = document.body.getAttribute("data-lang") || "nl";
  var csrf = document.body.getAttribute("data-csrf") || "";
  var words = {
    nl: { search: "Zoek in ", found: " gevonden" },
    en: { search: "Search ", found: " found" }
  }[lang === "en" ? "en" : "nl"];

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function labelOf(el) {
    var l = el.id && document.querySelector('label[for="' + el.id + '"]');
    return l ? l.textContent.replace(/\s+/g, " ").trim() : "";
  }

  document.querySelectorAll("select[data-picker]").forEach(function (sel, i) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-search";
    box.id = (sel.id || "picker" + i) + "-search";
    box.setAttribute("aria-controls", sel.id);
    box.setAttribute("aria-label", words.search + labelOf(sel));
    box.setAttribute("autocomplete", "off");
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    sel.parentNode.insertBefore(box, sel);
    sel.parentNode.insertBefore(status, sel);
    box.addEventListener("input", function () {
      var q = fold(box.value.trim()), n = 0;
      Array.prototype.forEach.call(sel.options, function (o) {
        var show = !q || o.selected || o.value === "" || fold(o.text).indexOf(q) >= 0;
        o.hidden = !show;
        o.disabled = !show && !o.selected;
        if (show && o.value !== "") n++;
      });
      status.textContent = q ? n + words.found : "";
    });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); sel.focus(); }
    });
  });

  document.querySelectorAll("textarea[data-markdown]").forEach(function (ta) {
    var out = document.getElementById(ta.getAttribute("data-markdown"));
    if (!out) return;
    var timer = null, seq = 0;
    function render() {
      var mine = ++seq;
      var body = new URLSearchParams();
      body.set("text", ta.value);
      fetch("/desk/markdown", {
        method: "POST", credentials: "same-origin", body: body,
        headers: { "X-CSRF-Token": csrf }
      }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
        if (mine === seq) out.innerHTML = html;
      }).catch(function () {});
    }
    ta.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(render, 300); });
    render();
  });

  document.querySelectorAll("[data-en-of]").forEach(function (en) {
    var nl = document.getElementById(en.getAttribute("data-en-of"));
    var box = en.closest(".lang");
    if (!nl || !box) return;
    function update() {
      var missing = nl.value.trim() !== "" && en.value.trim() === "";
      box.classList.toggle("missing", missing);
      var mark = box.querySelector(".missing-mark");
      if (mark) mark.hidden = !missing;
    }
    nl.addEventListener("input", update);
    en.addEventListener("input", update);
  });

  document.querySelectorAll("input.select-all").forEach(function (all) {
    var form = all.closest("form");
    all.hidden = false;
    all.addEventListener("change", function () {
      form.querySelectorAll('input[name="id"]').forEach(function (c) { c.checked = all.checked; });
    });
  });
})();
