// Hearken: small enhancements only; every page works without this file.
document.addEventListener("click", function (e) {
  var t = e.target;
  if (t && t.hasAttribute && t.hasAttribute("data-print")) {
    window.print();
  }
});

// The route form's preview: show the unit being chosen where the notice names it.
function hearkenPreviewUnit(select) {
  var form = select.form;
  if (!form) return;
  var opt = select.options[select.selectedIndex];
  var name = opt && opt.value ? opt.text.replace(/^(· )+/, "").replace(/ \([^)]*\).*$/, "") : "";
  var marks = form.querySelectorAll("[data-preview-unit]");
  for (var i = 0; i < marks.length; i++) {
    marks[i].textContent = name || marks[i].getAttribute("data-placeholder");
  }
}
document.addEventListener("change", function (e) {
  var t = e.target;
  if (t && t.id === "route-unit") hearkenPreviewUnit(t);
});
// A form shown again after an error keeps its choice: the preview names it too.
document.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("route-unit");
  if (select && select.value) hearkenPreviewUnit(select);
});
