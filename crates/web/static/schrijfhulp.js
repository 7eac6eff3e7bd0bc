// Schrijfhulp: the result follows the text while the person types. Without
// this script the form's button gives the same result; with it, the button
// still works. The answers come from /schrijfhulp/resultaat as HTML that the
// server escaped.
(function () {
  "use strict";
  var form = document.getElementById("schrijfhulp-form");
  var result = document.getElementById("resultaat");
  var status = document.getElementById("schrijfhulp-status");
  if (!form || !result || !window.fetch || !window.FormData || !window.URLSearchParams) {
    return;
  }
  var timer = null;
  var asked = 0;
  var shown = 0;
  var live = document.getElementById("schrijfhulp-live");
  if (live) {
    live.hidden = false;
  }

  function update() {
    var n = ++asked;
    fetch(form.getAttribute("data-live"), {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin"
    })
      .then(function (r) {
        // A lapsed session sends the login page: leave the result as it is.
        if (!r.ok || r.redirected) {
          throw new Error("no result: " + r.status);
        }
        return r.text();
      })
      .then(function (html) {
        if (n < shown) {
          return; // an older answer that arrived after a newer one
        }
        shown = n;
        result.innerHTML = html;
        var summary = result.querySelector("[data-summary]");
        var text = summary ? summary.getAttribute("data-summary") : "";
        // Screen readers hear the summary only when it changes.
        if (status && status.textContent !== text) {
          status.textContent = text;
        }
      })
      .catch(function () {
        // Say so, once: the button still checks the text.
        var failed = form.getAttribute("data-failed") || "";
        if (status && status.textContent !== failed) {
          status.textContent = failed;
        }
        if (live) {
          live.textContent = failed;
        }
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 400);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
