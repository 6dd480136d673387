// Hearken: related earlier petitions under the registration form's content box.
// Optional: without this file the form registers exactly the same.
(function () {
  var box = document.getElementById("similar-cases");
  var content = document.getElementById("content");
  if (!box || !content || !window.fetch) return;
  var region = document.getElementById("region");
  var respondent = document.getElementById("respondent");
  var csrf = document.querySelector("input[name=csrf]");
  var list = box.querySelector("ul");
  var empty = box.querySelector(".empty");
  var label = box.getAttribute("data-score-label") || "{score}";
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
      list.appendChild(li);
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
      respondent: respondent ? respondent.value.trim() || null : null
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
  if (content.value.trim()) ask();
})();
