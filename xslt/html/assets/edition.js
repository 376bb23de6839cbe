// Progressive enhancement: the site reads without JavaScript. With it, note
// calls show their note in a popup on hover or focus, and a switch toggles
// between the reading view and the view that highlights editorial interventions.
(function () {
  "use strict";
  var popup = null;

  function hide() {
    if (popup) { popup.remove(); popup = null; }
  }

  function show(call) {
    var id = call.getAttribute("href").slice(1);
    var note = document.getElementById(id);
    if (!note) { return; }
    hide();
    popup = document.createElement("div");
    popup.className = "note-popup";
    popup.setAttribute("role", "tooltip");
    popup.id = "popup-" + id;
    var body = note.cloneNode(true);
    body.removeAttribute("id");
    body.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    popup.appendChild(body);
    document.body.appendChild(popup);
    var box = call.getBoundingClientRect();
    popup.style.left = Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - popup.offsetWidth - 8)) + "px";
    popup.style.top = (window.scrollY + box.bottom + 6) + "px";
    call.setAttribute("aria-describedby", popup.id);
  }

  document.querySelectorAll("a.noteref").forEach(function (call) {
    call.addEventListener("mouseenter", function () { show(call); });
    call.addEventListener("focus", function () { show(call); });
    call.addEventListener("mouseleave", hide);
    call.addEventListener("blur", hide);
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });

  function setView(view) {
    document.body.classList.toggle("view-editorial", view === "editorial");
    document.body.classList.toggle("view-reading", view !== "editorial");
    document.querySelectorAll(".view-button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === view));
    });
    try { localStorage.setItem("edition-view", view); } catch (e) { /* private mode */ }
  }
  document.querySelectorAll(".view-button").forEach(function (b) {
    b.addEventListener("click", function () { setView(b.getAttribute("data-view")); });
  });
  try { var saved = localStorage.getItem("edition-view"); if (saved) { setView(saved); } } catch (e) { /* ignore */ }
})();
