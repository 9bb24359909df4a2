// Sorting, filtering and search over the server-rendered matrix. The page is complete without
// this script; it only reorders and hides rows. Rows are read once into an array, so a sort or a
// filter over 5,000 rows touches the DOM once.
(function () {
  "use strict";
  var table = document.getElementById("matrix");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rank = { w: 0, p: 1, b: 2, x: 3, n: 4 };
  var rows = Array.prototype.map.call(body.rows, function (tr, index) {
    var link = tr.cells[0].querySelector("a");
    var letters = tr.getAttribute("data-s") || "";
    var ready = 0;
    for (var i = 0; i < letters.length; i++) { if (letters[i] === "w") { ready++; } }
    return { tr: tr, name: link ? link.textContent : "", letters: letters, ready: ready, index: index };
  });
  var controls = document.getElementById("controls");
  var search = document.getElementById("search");
  var status = document.getElementById("status");
  var target = document.getElementById("target");
  var count = document.getElementById("count");
  controls.hidden = false;

  function matches(row, text, wanted, column) {
    if (text && row.name.indexOf(text) === -1) { return false; }
    if (!wanted) { return true; }
    var letters = column === "" ? row.letters : row.letters.charAt(Number(column));
    if (wanted === "-w") {
      // "not ready": some applicable cell (on the chosen target) is not wheels
      return /[pbx]/.test(letters);
    }
    return letters.indexOf(wanted) !== -1;
  }

  function filter() {
    var text = search.value.trim().toLowerCase();
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var ok = matches(rows[i], text, status.value, target.value);
      if (rows[i].tr.hidden === ok) { rows[i].tr.hidden = !ok; }
      if (ok) { shown++; }
    }
    count.textContent = shown + " of " + rows.length + " projects";
  }

  var current = { key: null, dir: 1 };
  function sortBy(key, header) {
    current.dir = current.key === key ? -current.dir : 1;
    current.key = key;
    var dir = current.dir;
    var compare;
    if (key === "name") {
      compare = function (a, b) { return dir * (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); };
    } else if (key === "ready") {
      compare = function (a, b) { return dir * (b.ready - a.ready) || a.index - b.index; };
    } else {
      var column = Number(key);
      compare = function (a, b) {
        return dir * (rank[a.letters.charAt(column)] - rank[b.letters.charAt(column)]) || a.index - b.index;
      };
    }
    rows.sort(compare);
    var fragment = document.createDocumentFragment();
    for (var i = 0; i < rows.length; i++) { fragment.appendChild(rows[i].tr); }
    body.appendChild(fragment);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var key = th.getAttribute("data-sort");
    if (key === null) { return; }
    th.tabIndex = 0;
    th.title = "Sort";
    th.addEventListener("click", function () { sortBy(key, th); });
    th.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(key, th); }
    });
  });
  search.addEventListener("input", filter);
  status.addEventListener("change", filter);
  target.addEventListener("change", filter);
  filter();
}());
