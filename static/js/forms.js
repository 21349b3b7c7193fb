/* Small progressive enhancements of the site's forms (loaded on every page; the CSP allows only
   scripts from this origin). Every form works without this file:
   - [data-shown-when="ID"]: shown only while the checkbox #ID is ticked (each role's part of the
     onboarding form); without JS every part shows.
   - textarea[maxlength] (but not one with its own counter, data-counter): a live "123 / 8,000 characters" counter, and a warning when a paste was
     cut at the limit (the browser cuts it silently).
   - textarea[data-date-adder]: a date picker and an "Add date" button that append YYYY-MM-DD to
     the list; typing dates still works. */
(function () {
  "use strict";

  function showWhenTicked() {
    document.querySelectorAll("[data-shown-when]").forEach(function (part) {
      var box = document.getElementById(part.getAttribute("data-shown-when"));
      if (!box) { return; }
      var update = function () { part.hidden = !box.checked; };
      box.addEventListener("change", update);
      update();
    });
  }

  var number = new Intl.NumberFormat("en-US");

  function countCharacters() {
    document.querySelectorAll("textarea[maxlength]:not([data-counter])").forEach(function (area) {
      var limit = parseInt(area.getAttribute("maxlength"), 10);
      if (!limit) { return; }
      var counter = document.createElement("div");
      counter.className = "form-text text-end char-counter";
      counter.id = area.id + "_counter";
      var warning = document.createElement("div");
      warning.className = "form-text text-danger";
      warning.setAttribute("role", "status");
      area.insertAdjacentElement("afterend", warning);
      area.insertAdjacentElement("afterend", counter);
      var described = area.getAttribute("aria-describedby");
      area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
      var update = function () {
        counter.textContent = number.format(area.value.length) + " / " + number.format(limit) + " characters";
        counter.classList.toggle("text-danger", area.value.length >= limit);
        if (area.value.length < limit) { warning.textContent = ""; }
      };
      area.addEventListener("input", update);
      area.addEventListener("paste", function (event) {
        var pasted = (event.clipboardData || window.clipboardData).getData("text");
        var selected = area.selectionEnd - area.selectionStart;
        if (area.value.length - selected + pasted.length > limit) {
          warning.textContent = "Your paste was cut at the limit of " + number.format(limit) +
            " characters: shorten the text or keep the rest elsewhere.";
        }
      });
      update();
    });
  }

  function addDatePickers() {
    document.querySelectorAll("textarea[data-date-adder]").forEach(function (area) {
      var row = document.createElement("div");
      row.className = "d-flex flex-wrap gap-2 align-items-center mt-2 date-adder";
      var picker = document.createElement("input");
      picker.type = "date";
      picker.className = "form-control form-control-sm w-auto";
      picker.id = area.id + "_picker";
      picker.setAttribute("aria-label", "Pick a date to skip");
      if (area.dataset.min) { picker.min = area.dataset.min; }
      if (area.dataset.max) { picker.max = area.dataset.max; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary";
      button.textContent = "Add date";
      button.addEventListener("click", function () {
        if (!picker.value) { picker.focus(); return; }
        var dates = area.value.split(/[\s,]+/).filter(Boolean);
        if (dates.indexOf(picker.value) === -1) { dates.push(picker.value); }
        dates.sort();
        area.value = dates.join(", ");
        area.dispatchEvent(new Event("input"));
        picker.value = "";
        picker.focus();
      });
      row.appendChild(picker);
      row.appendChild(button);
      area.insertAdjacentElement("afterend", row);
    });
  }

  function start() {
    showWhenTicked();
    countCharacters();
    addDatePickers();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
