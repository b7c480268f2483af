// Easel console: the little htmx does not do itself.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) {
      // Problem answers (4xx) carry the form again with its errors: show them.
      htmx.config.responseHandling = [
        { code: "204", swap: false },
        { code: "[23]..", swap: true },
        { code: "[4]..", swap: true, error: false },
        { code: "[5]..", swap: true, error: true }
      ];
    }
  });

  // Copy buttons: <button data-copy="#id">.
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-copy]");
    if (!b) { return; }
    var el = document.querySelector(b.getAttribute("data-copy"));
    if (!el) { return; }
    var text = el.textContent.trim();
    var done = function () { b.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      var r = document.createRange(); r.selectNodeContents(el);
      var s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
      try { document.execCommand("copy"); done(); } catch (x) { /* selected for the user */ }
    }
  });

  // Bundle upload: the file goes as it is to the API (the same route any client uses), with
  // the bytes sent shown as they go; the upload's own progress is then polled by htmx.
  document.addEventListener("submit", function (e) {
    var form = e.target.closest("form[data-upload]");
    if (!form) { return; }
    e.preventDefault();
    var file = form.querySelector("input[type=file]").files[0];
    var registry = form.querySelector("[name=registry]").value;
    var bar = form.querySelector("progress");
    var status = form.querySelector("[data-upload-status]");
    if (!file) { status.textContent = "Choose a bundle file first."; return; }
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/registries/" + encodeURIComponent(registry) +
      "/bundles?filename=" + encodeURIComponent(file.name));
    Object.keys(headers).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = function (p) {
      if (p.lengthComputable) { bar.max = p.total; bar.value = p.loaded; }
      status.textContent = "Sent " + p.loaded + " of " + p.total + " bytes";
    };
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (x) { body = {}; }
      if (xhr.status >= 200 && xhr.status < 300 && body.id) {
        status.textContent = "Sent; checking and pushing.";
        var target = form.getAttribute("data-upload");
        htmx.ajax("GET", "/packs/uploads/" + encodeURIComponent(body.id), { target: target, swap: "innerHTML" });
      } else {
        status.textContent = "Refused (" + xhr.status + "): " + (body.detail || xhr.statusText);
        status.className = "error";
      }
    };
    xhr.onerror = function () { status.textContent = "The upload failed: the connection was lost."; };
    status.className = "";
    xhr.send(file);
  });
})();
