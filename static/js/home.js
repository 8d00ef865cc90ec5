/* The home page's personal part: the visitor's Accept-Language list and why
 * / chose the language it chose. The page itself is the same for everyone
 * (proxies cache it), so this comes from /preferences.json, a private,
 * uncached answer about this visitor's own request. Without script, the
 * section stays hidden. */
(function () {
  "use strict";
  var section = document.querySelector("section.browser-preferences");
  var why = document.querySelector("p.why");
  if (!section || !why || !window.fetch) { return; }
  var page = document.documentElement.lang;

  function justSwitched() {
    try {
      var tag = sessionStorage.getItem("lang-switched");
      return tag !== null && tag === page;
    } catch (error) { return false; }
  }

  fetch("/preferences.json?lang=" + encodeURIComponent(page), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (data) {
      var list = section.querySelector("ol.preferences");
      data.preferences.forEach(function (entry) {
        var item = document.createElement("li");
        item.appendChild(document.createTextNode(entry.name + " "));
        var code = document.createElement("code");
        code.dir = "ltr";
        code.textContent = entry.tag;
        item.appendChild(code);
        item.appendChild(document.createTextNode(" "));
        var weight = document.createElement("span");
        weight.className = "weight";
        weight.textContent = entry.weight;
        item.appendChild(weight);
        list.appendChild(item);
      });
      section.querySelector("p.some").hidden = data.preferences.length === 0;
      section.querySelector("p.none").hidden = data.preferences.length !== 0;
      section.hidden = false;
      // Why this language: only when / would indeed have chosen it.
      if (justSwitched()) {
        why.textContent = why.dataset["switch"];
      } else if (data.chosen === page) {
        why.textContent = data.reason;
      }
      why.hidden = !why.textContent;
    })
    .catch(function (error) {
      console.warn("preferences unavailable:", error.message);
    });
})();
