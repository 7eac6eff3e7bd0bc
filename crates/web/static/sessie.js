// A warning two minutes before the session ends for lack of use, with a
// button to stay logged in (WCAG 2.2.1). Without this script the session
// simply ends after the idle time, as the login page says.
(function () {
  "use strict";
  var box = document.getElementById("ww-sessie");
  var over = document.getElementById("ww-sessie-voorbij");
  if (!box || !window.fetch || !window.FormData || !window.URLSearchParams) {
    return;
  }
  var WARN_BEFORE = 120;
  var warnTimer = null;
  var endTimer = null;
  var form = box.querySelector("form");
  var before = null;

  function schedule(secondsLeft) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    if (!(secondsLeft > 0)) {
      return;
    }
    warnTimer = window.setTimeout(show, Math.max(0, secondsLeft - WARN_BEFORE) * 1000);
    endTimer = window.setTimeout(ended, secondsLeft * 1000);
  }

  function show() {
    before = document.activeElement;
    box.hidden = false;
    var button = box.querySelector("button");
    if (button) {
      button.focus();
    }
  }

  function hide() {
    box.hidden = true;
    // Back to where the person was.
    if (before && before.focus && document.contains(before)) {
      before.focus();
    }
  }

  function ended() {
    box.hidden = true;
    if (over) {
      over.hidden = false;
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    })
      .then(function (r) {
        if (!r.ok || r.redirected) {
          throw new Error("not extended: " + r.status);
        }
        return r.json();
      })
      .then(function (answer) {
        hide();
        schedule(answer.seconds_left);
      })
      .catch(function () {
        form.submit(); // the plain form still does it, or shows why not
      });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !box.hidden) {
      hide();
    }
  });

  schedule(parseInt(box.getAttribute("data-left"), 10));
})();
