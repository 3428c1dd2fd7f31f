// Registration form: show only organisations of the chosen organisation type, and the fields for a new
// organisation only when "not in the list" is chosen. Without JavaScript the form works as it is; the
// server checks that organisation and type belong together.
(function () {
  "use strict";
  var form = document.querySelector("form[data-registration-form]");
  if (!form) { return; }
  var select = form.querySelector("#id_organisation");
  var typeInputs = form.querySelectorAll("input[name='organisation_type']");
  var newOrg = form.querySelector(".new-organisation");
  var allOptions = Array.prototype.slice.call(select.options).map(function (option) {
    return { value: option.value, text: option.text, type: option.getAttribute("data-type") };
  });

  function selectedType() {
    var checked = form.querySelector("input[name='organisation_type']:checked");
    return checked ? checked.value : null;
  }

  function filterOrganisations() {
    var type = selectedType();
    var current = select.value;
    while (select.options.length) { select.remove(0); }
    allOptions.forEach(function (item) {
      if (item.value === "" || !type || item.type === type) {
        var option = new Option(item.text, item.value);
        option.setAttribute("data-type", item.type || "");
        select.add(option);
      }
    });
    var stillThere = Array.prototype.some.call(select.options, function (o) { return o.value === current; });
    select.value = stillThere ? current : "";
    toggleNewOrganisation();
  }

  function toggleNewOrganisation() {
    if (newOrg) { newOrg.hidden = select.value !== ""; }
  }

  Array.prototype.forEach.call(typeInputs, function (input) { input.addEventListener("change", filterOrganisations); });
  select.addEventListener("change", toggleNewOrganisation);
  filterOrganisations();
})();
