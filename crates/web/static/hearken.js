// Hearken: small enhancements only; every page works without this file.
document.addEventListener("click", function (e) {
  var t = e.target;
  if (t && t.hasAttribute && t.hasAttribute("data-print")) {
    window.print();
  }
});
