// The teaching record page: a live character counter for the experience description, and a copy button.
(function () {
  "use strict";
  var text = document.getElementById("id_text");
  var counter = document.getElementById("experience-count");
  if (text && counter) {
    var limit = parseInt(counter.getAttribute("data-limit"), 10);
    var update = function () {
      var used = text.value.replace(/\r\n/g, "\n").length;
      counter.textContent = used + " / " + limit + " characters" + (used > limit ? " (too long)" : "");
      counter.classList.toggle("text-danger", used > limit);
    };
    text.addEventListener("input", update);
    update();
  }
  var button = document.getElementById("copy-experience");
  var status = document.getElementById("copy-status");
  if (button && text) {
    button.addEventListener("click", function () {
      var done = function () { if (status) { status.textContent = "Copied to the clipboard."; } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text.value).then(done, function () { text.select(); });
      } else {
        text.select();
        if (document.execCommand("copy")) { done(); }
      }
    });
  }
})();
