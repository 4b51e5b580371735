// On a phone a ".table-stack" table shows each row as a card (small-screens.css). Label each cell
// with its column's heading, and state the table's roles, which "display: block" takes away.
document.addEventListener("DOMContentLoaded", function () {
  var each = function (list, work) { Array.prototype.forEach.call(list, work); };
  each(document.querySelectorAll(".table-stack table"), function (table) {
    var headings = [];
    each(table.querySelectorAll("thead tr:last-child th"), function (heading) {
      var copy = heading.cloneNode(true);
      each(copy.querySelectorAll(".visually-hidden"), function (hidden) { hidden.remove(); });
      for (var span = 0; span < heading.colSpan; span++) {
        headings.push(copy.textContent.trim());
      }
    });
    table.setAttribute("role", "table");
    each(table.querySelectorAll("thead, tbody"), function (group) { group.setAttribute("role", "rowgroup"); });
    each(table.querySelectorAll("tr"), function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      each(row.children, function (cell) {
        var isHeading = cell.tagName === "TH";
        var role = !isHeading ? "cell" : cell.getAttribute("scope") === "row" ? "rowheader" : "columnheader";
        cell.setAttribute("role", role);
        if (row.parentElement.tagName !== "THEAD" && headings[column]) {
          cell.setAttribute("data-label", headings[column]);
        }
        column += cell.colSpan;
      });
    });
  });
});
