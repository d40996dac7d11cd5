// Refreshes the books list and the archive status from the archive service,
// through the webview's /archive/ proxy. The server already rendered both,
// so the page also works without JavaScript.
(function () {
  "use strict";

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function showDown(message) {
    var books = document.getElementById("books");
    var status = document.getElementById("archive-status");
    books.replaceChildren(el("li", message, "down"));
    status.replaceChildren(el("span", "unavailable", "down"));
    document.getElementById("archive-version").textContent = "?";
  }

  function refresh() {
    fetch("archive/extras", { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("archive answered " + response.status); }
        return response.json();
      })
      .then(function (extras) {
        var books = document.getElementById("books");
        var items = extras.books.map(function (book) {
          var li = el("li");
          var link = el("a", book.title);
          link.href = "archive/contents/" + encodeURIComponent(book.id) + "@" + book.version + ".json";
          li.appendChild(link);
          li.appendChild(document.createTextNode(" (version " + book.version + ")"));
          return li;
        });
        books.replaceChildren.apply(books, items);
        document.getElementById("archive-version").textContent = extras.version;
        document.getElementById("archive-status").replaceChildren(
          el("span", "up, release " + extras.release, "up"));
      })
      .catch(function () {
        showDown("The archive is unavailable right now; books will be back shortly.");
      });
  }

  refresh();
  window.setInterval(refresh, 10000);
})();
