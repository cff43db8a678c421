// restage: small comforts on top of pages that work without JavaScript.
// No framework, no build step, nothing from other hosts.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // A permanent link given as a path (a service without --public-url)
  // becomes a full URL from the page's own address, so that Copy link
  // copies something another browser can open.
  var permalink = document.getElementById("permalink");
  if (permalink && permalink.value.charAt(0) === "/" && permalink.value.charAt(1) !== "/") {
    permalink.value = new URL(permalink.value, window.location.href).href;
  }

  // Copy buttons: data-copy="#selector" copies that element's text or value.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var text = "value" in source && source.tagName !== "PRE" ? source.value : source.textContent;
    var done = function () {
      var label = button.textContent;
      button.textContent = "Copied";
      button.setAttribute("aria-live", "polite");
      setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () {});
    } else {
      var area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* nothing */ }
      area.remove();
    }
  });

  // Ctrl/Cmd+Enter in the paste area submits the form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.id === "dockerfile") {
      event.preventDefault();
      event.target.form.requestSubmit();
    }
  });

  // A chosen Dockerfile file shows in the paste area, so it can be checked.
  var file = document.getElementById("dockerfile_file");
  var area = document.getElementById("dockerfile");
  if (file && area && window.FileReader) {
    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      if (!chosen || chosen.size > 1048576) return;
      var reader = new FileReader();
      reader.onload = function () {
        area.value = String(reader.result);
        var name = document.getElementById("name");
        if (name && !name.value) name.value = chosen.name;
      };
      reader.readAsText(chosen);
    });
  }

  // Tab is left to the browser everywhere, the paste area included: it
  // moves the focus on (WCAG 2.1.2, no keyboard trap). Indent by typing
  // spaces.
})();
