// The committee form: show only the cadence fields the chosen pattern uses. Without
// JavaScript every field stays visible and the server ignores the ones that do not apply.
(function () {
  var pattern = document.getElementById("id_pattern");
  if (!pattern) return;
  function field(name) {
    var input = document.getElementById("id_" + name);
    return input ? input.closest(".field") : null;
  }
  function update() {
    var value = pattern.value;
    var show = {
      weekday: value !== "custom",
      ordinal: value === "monthly" || value === "quarterly",
      custom_rrule: value === "custom",
    };
    Object.keys(show).forEach(function (name) {
      var el = field(name);
      if (el) el.hidden = !show[name];
    });
  }
  pattern.addEventListener("change", update);
  update();
})();
