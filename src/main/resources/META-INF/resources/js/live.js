// Parts of a page that follow the event stream: an element with data-live="promotion.*,deploy.*" (and an id) is
// replaced by the same element of the page fetched again whenever an event of those types arrives. The server renders
// both, so what the page shows live is what a reload would show. Regions hold no inputs, so nothing typed is lost.
(function () {
  'use strict';

  var regions = document.querySelectorAll('[data-live][id]');
  if (!regions.length || !window.EventSource) {
    return;
  }
  var types = {};
  Array.prototype.forEach.call(regions, function (r) {
    r.dataset.live.split(',').forEach(function (t) { types[t.trim()] = true; });
  });

  var pending = null;
  function refresh() {
    // Events come in bursts (a deploy starts and succeeds): one fetch for a burst.
    clearTimeout(pending);
    pending = setTimeout(function () {
      fetch(location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error('HTTP ' + r.status)); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, 'text/html');
          Array.prototype.forEach.call(document.querySelectorAll('[data-live][id]'), function (region) {
            var replacement = fresh.getElementById(region.id);
            if (replacement) {
              region.replaceWith(document.importNode(replacement, true));
            }
          });
        })
        .catch(function () { /* the next event tries again */ });
    }, 300);
  }

  var source = new EventSource('/api/events/stream?type=' + encodeURIComponent(Object.keys(types).join(',')));
  source.addEventListener('event', refresh);
  // What changed between the page's rendering and the stream's (re)connection came as no event: fetch once then.
  source.onopen = refresh;
})();
