// Hearken: related earlier petitions under the registration form's content box.
// Optional: without this file the form registers exactly the same.
(function () {
  var box = document.getElementById("similar-cases");
  var content = document.getElementById("content");
  if (!box || !content || !window.fetch) return;
  var region = document.getElementById("region");
  var respondent = document.getElementById("respondent");
  var received = document.getElementById("received_on");
  var unit = document.getElementById("unit");
  var csrf = document.querySelector("input[name=csrf]");
  var list = box.querySelector("ul");
  var empty = box.querySelector(".empty");
  var label = box.getAttribute("data-score-label") || "{score}";
  var concludedLabel = box.getAttribute("data-concluded-label") || "";
  var warning = box.querySelector(".concluded-warning");
  var choice = box.querySelector("select.link-choice");
  // What the clerk chose per suggestion survives a new list.
  var chosen = {};
  box.addEventListener("change", function (e) {
    var n = e.target.getAttribute && e.target.getAttribute("name");
    if (n && n.indexOf("link_") === 0) chosen[n] = e.target.value;
  });
  var timer = null;
  var asked = "";

  function show(items) {
    list.textContent = "";
    for (var i = 0; i < items.length; i++) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "/staff/cases/" + items[i].id;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = items[i].case_no;
      var s = document.createElement("span");
      s.className = "score";
      s.textContent = " " + label.replace("{score}", Number(items[i].score).toFixed(2));
      li.appendChild(a);
      li.appendChild(s);
      if (choice) {
        // Linked once the petition is registered (see views/register.rs).
        var sel = choice.cloneNode(true);
        sel.hidden = false;
        sel.name = "link_" + items[i].id;
        sel.setAttribute("data-testid", "link-choice");
        sel.value = chosen[sel.name] || "";
        li.appendChild(document.createTextNode(" "));
        li.appendChild(sel);
      }
      if (items[i].concluded) {
        var c = document.createElement("strong");
        c.className = "concluded";
        c.setAttribute("data-testid", "similar-concluded");
        c.textContent = " " + concludedLabel;
        li.appendChild(c);
      }
      list.appendChild(li);
    }
    // A new petition on a concluded matter: name the earlier case and the repeat rule
    // (Art. 36), so the clerk can apply it at once.
    var concluded = items.filter(function (it) { return it.concluded; });
    if (warning) {
      warning.hidden = concluded.length === 0;
      if (concluded.length) {
        var names = concluded.map(function (it) { return it.case_no; }).join("、");
        warning.querySelector("p").textContent =
          warning.getAttribute("data-template").replace("{case_no}", names);
      }
    }
    empty.hidden = items.length > 0;
    box.hidden = false;
  }

  function ask() {
    var text = content.value.trim();
    if (text.length < 8) return;
    var body = {
      content: text,
      region: region ? region.value.trim() || null : null,
      respondent: respondent ? respondent.value.trim() || null : null,
      received_on: received ? received.value || null : null,
      unit: unit ? unit.value || null : null
    };
    var key = JSON.stringify(body);
    if (key === asked) return;
    asked = key;
    var headers = { "Content-Type": "application/json" };
    if (csrf) headers["X-CSRF-Token"] = csrf.value;
    fetch("/api/v1/cases/similar", { method: "POST", headers: headers, body: key, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (page) { if (page && page.items) show(page.items); })
      .catch(function () {});
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, 700);
  }
  content.addEventListener("input", later);
  content.addEventListener("blur", ask);
  if (region) region.addEventListener("change", later);
  if (respondent) respondent.addEventListener("change", later);
  if (received) received.addEventListener("change", later);
  if (unit) unit.addEventListener("change", later);
  if (content.value.trim()) ask();
})();
