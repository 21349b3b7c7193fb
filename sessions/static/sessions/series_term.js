// Publishing a series: choosing a term (or another weekday once a term is chosen) presses
// "Fill from term", so the dates and skip dates come from the academic calendar. Without JS the
// button does the same, and empty dates are filled when the series is published.
(function () {
  "use strict";
  var term = document.getElementById("id_term");
  var button = document.getElementById("fill-from-term");
  if (!term || !button) { return; }
  function fill() {
    if (term.value && button.form.requestSubmit) { button.form.requestSubmit(button); }
  }
  term.addEventListener("change", fill);
  var weekday = document.getElementById("id_weekday");
  if (weekday) { weekday.addEventListener("change", fill); }
})();
