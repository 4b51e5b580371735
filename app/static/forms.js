// After a failed submit the page shows an error summary: move the focus to it, so that a screen
// reader reads it and the keyboard starts from it; its links then focus the field they name.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) {
      return;
    }
    event.preventDefault();
    target.focus();
    target.scrollIntoView({ block: "center" });
  });
});
