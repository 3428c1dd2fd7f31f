// Registration form, "Fragen zu diesem Praxisfachtag": a question asked only of some organisation types
// (data-question-types="<ids>") is shown only while one of them is chosen; hidden questions are disabled, so
// nothing of them is sent. Without JavaScript every question shows; the server keeps only the chosen type's answers.
(function () {
  "use strict";
  var form = document.querySelector("form[data-registration-form]");
  if (!form) { return; }
  var fieldset = form.querySelector(".event-questions");
  if (!fieldset) { return; }
  var questions = fieldset.querySelectorAll(".event-question");

  function selectedType() {
    var checked = form.querySelector("input[name='organisation_type']:checked");
    return checked ? checked.value : null;
  }

  function update() {
    var type = selectedType();
    var visible = 0;
    Array.prototype.forEach.call(questions, function (question) {
      var types = (question.getAttribute("data-question-types") || "").split(" ").filter(Boolean);
      var show = types.length === 0 || (type !== null && types.indexOf(type) !== -1);
      question.hidden = !show;
      Array.prototype.forEach.call(question.querySelectorAll("input, select, textarea"), function (control) {
        control.disabled = !show;
      });
      if (show) { visible += 1; }
    });
    fieldset.hidden = visible === 0;
  }

  Array.prototype.forEach.call(form.querySelectorAll("input[name='organisation_type']"), function (input) {
    input.addEventListener("change", update);
  });
  update();
})();
