// For leads, on every page: the number of promotions waiting for their approval, in the navigation and (on the
// dashboard) as a list, kept current from the event stream. Without this file both are right when the page loads.
(function () {
  'use strict';

  var count = document.getElementById('approvals-count');
  if (!count || !window.EventSource) {
    return;
  }
  var section = document.getElementById('waiting-for-you');

  function link(href, text) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    return a;
  }

  function showList(promotions) {
    if (!section) {
      return;
    }
    var list = section.querySelector('ul');
    list.replaceChildren();
    promotions.forEach(function (p) {
      var li = document.createElement('li');
      li.dataset.promotion = p.id;
      li.append(link('/promotions/' + p.id, 'Promotion #' + p.id), ': release ',
          link('/releases/' + p.release, '#' + p.release), ' to ',
          link('/environments/' + encodeURIComponent(p.environment), p.environment),
          ' · ' + p.approvals + ' of ' + p.approvalsRequired + ' approvals · requested by ' + p.requestedBy);
      list.appendChild(li);
    });
    section.hidden = promotions.length === 0;
  }

  function refresh() {
    fetch('/api/promotions/waiting', { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status)); })
      .then(function (promotions) {
        count.textContent = promotions.length;
        count.hidden = promotions.length === 0;
        showList(promotions);
      })
      .catch(function () { /* the next event tries again */ });
  }

  var source = new EventSource('/api/events/stream?type=promotion.*');
  source.addEventListener('event', refresh);
  source.onopen = refresh; // catches what changed while the page loaded or the stream was down
})();
