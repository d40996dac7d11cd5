// Keeps the dashboard's environment cards current from the event stream (/api/events/stream): deploys starting,
// committing, failing or rolling back, environments degrading. EventSource reconnects by itself and sends
// Last-Event-ID, so no event is missed across a dropped connection.
(function () {
  'use strict';
  if (!window.EventSource || !document.querySelector('article.card[data-environment]')) {
    return;
  }
  var STATUS = {
    'deploy.started': 'running',
    'deploy.succeeded': 'succeeded',
    'deploy.failed': 'failed',
    'deploy.rolled_back': 'rolled_back'
  };

  function card(name) {
    var cards = document.querySelectorAll('article.card[data-environment]');
    for (var i = 0; i < cards.length; i++) {
      if (cards[i].getAttribute('data-environment') === name) {
        return cards[i];
      }
    }
    return null;
  }

  function link(href, text) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    return a;
  }

  function showJob(target, data, status) {
    var dd = target.querySelector('dd.last-job');
    if (!dd || data.job == null) {
      return;
    }
    var badge = document.createElement('span');
    badge.className = 'badge ' + status;
    badge.textContent = status;
    dd.textContent = '';
    dd.appendChild(link('/jobs/' + data.job, '#' + data.job + ' ' + data.kind));
    dd.appendChild(document.createTextNode(' '));
    dd.appendChild(badge);
  }

  function showRelease(target, release) {
    var dd = target.querySelector('dd.release');
    if (dd && release != null) {
      dd.textContent = '';
      dd.appendChild(link('/releases/' + release, '#' + release));
    }
  }

  function showDegraded(target, name) {
    if (target.querySelector('.degraded-warning')) {
      return;
    }
    var p = document.createElement('p');
    p.className = 'error degraded-warning';
    p.appendChild(document.createTextNode('Degraded: a rollback could not finish. '));
    p.appendChild(link('/environments/' + encodeURIComponent(name) + '#degraded', 'Details'));
    target.insertBefore(p, target.querySelector('dl'));
  }

  function clearDegraded(target) {
    var warning = target.querySelector('.degraded-warning');
    if (warning) {
      warning.parentNode.removeChild(warning);
    }
  }

  var status = document.getElementById('live-status');
  var source = new EventSource('/api/events/stream?type=deploy.*,environment.*');
  source.onopen = function () {
    status.hidden = false;
    status.textContent = 'Live: statuses update as deploys happen.';
  };
  source.onerror = function () {
    status.hidden = false;
    status.textContent = 'Live updates interrupted; reconnecting…';
  };
  source.addEventListener('event', function (message) {
    var event;
    try {
      event = JSON.parse(message.data);
    } catch (e) {
      return;
    }
    var name = event.environment;
    var target = name ? card(name) : null;
    if (!target) {
      return;
    }
    var data = event.data || {};
    if (STATUS[event.type]) {
      showJob(target, data, STATUS[event.type]);
    }
    if (event.type === 'deploy.succeeded') {
      showRelease(target, data.release);
      clearDegraded(target);
    } else if (event.type === 'environment.degraded') {
      showDegraded(target, name);
    }
    target.setAttribute('data-last-event', event.type);
  });
})();
