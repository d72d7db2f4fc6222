// marsad — small enhancements only; every page reads fine without JavaScript.
(function () {
  "use strict";
  // Static report: filter the story cards of the page by a word (no server there).
  document.querySelectorAll("[data-filter]").forEach(function (input) {
    var box = input.closest(".client-filter");
    if (box) box.hidden = false;
    var selector = input.getAttribute("data-filter");
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      document.querySelectorAll(selector).forEach(function (card) {
        var text = card.textContent.toLowerCase();
        card.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
  });
  // Opening a link to an article inside a story opens its full text.
  function openTarget() {
    if (!location.hash) return;
    var el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (el) {
      var d = el.querySelector("details");
      if (d) d.open = true;
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
