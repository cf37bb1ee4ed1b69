// Clicking a mark (or Enter on it) shows that claim's provenance in its finding's panel.
(function () {
  "use strict";
  var store = document.getElementById("provenance");

  function article(key) {
    var all = store.querySelectorAll("article[data-for]");
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute("data-for") === key) { return all[i]; }
    }
    return null;
  }

  function show(mark) {
    var finding = mark.closest(".finding");
    var panel = finding.querySelector(".panel");
    var found = article(mark.getAttribute("data-claim"));
    if (!found) { return; }
    panel.replaceChildren(found.cloneNode(true));
    finding.querySelectorAll(".mark").forEach(function (m) {
      m.classList.remove("selected");
      m.setAttribute("aria-pressed", "false");
    });
    mark.classList.add("selected");
    mark.setAttribute("aria-pressed", "true");
  }

  document.querySelectorAll(".mark[data-claim]").forEach(function (mark) {
    mark.addEventListener("click", function () { show(mark); });
    mark.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); show(mark); }
    });
  });

  // The claims column of the table: the same panel, its chart scrolled into view.
  document.querySelectorAll("button[data-show]").forEach(function (button) {
    button.addEventListener("click", function () {
      var finding = document.getElementById(button.getAttribute("data-finding"));
      if (!finding) { return; }
      var key = button.getAttribute("data-show");
      finding.querySelectorAll(".mark[data-claim]").forEach(function (mark) {
        if (mark.getAttribute("data-claim") === key) { show(mark); mark.focus({ preventScroll: true }); }
      });
      finding.scrollIntoView({ behavior: "smooth", block: "start" });
    });
  });
})();
