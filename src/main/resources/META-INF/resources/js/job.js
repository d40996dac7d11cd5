// The job page, live: follows the log over Server-Sent Events, pages back through older lines, filters and
// searches them, and keeps the progress grid and status badge current. The page works without this file; it only
// adds what needs a live connection. Log text is user output: it is only ever inserted with textContent.
(function () {
  'use strict';

  var MAX_LINES = 20000; // more DOM lines than this make the page sluggish; the raw log has everything
  var PAGE = 1000;

  var box = document.getElementById('log');
  if (!box) {
    return;
  }
  var jobId = box.dataset.job;
  var list = document.getElementById('log-lines');
  var follow = document.getElementById('follow');
  var hostFilter = document.getElementById('host-filter');
  var search = document.getElementById('log-search');
  var earlier = document.getElementById('load-earlier');
  var note = document.getElementById('log-note');
  var count = document.getElementById('log-count');

  var firstSeq = 0;
  var lastSeq = 0;
  var dropped = 0;
  var pending = [];
  var flushScheduled = false;
  var query = '';
  var knownHosts = {};

  Array.prototype.forEach.call(hostFilter.options, function (o) { knownHosts[o.value] = true; });
  if (list.firstElementChild) {
    firstSeq = Number(list.firstElementChild.dataset.seq);
    lastSeq = Number(list.lastElementChild.dataset.seq);
  }
  if (box.dataset.earlier === 'true') {
    earlier.hidden = false;
  }
  scrollToEnd();

  // ---- rendering lines ----

  function where(line) {
    if (!line.host) {
      return '';
    }
    return line.component ? line.host + '/' + line.component : line.host;
  }

  function clock(iso) {
    var d = new Date(iso);
    return isNaN(d) ? '' : d.toISOString().substring(11, 23);
  }

  function span(cls, text) {
    var s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    return s;
  }

  function render(line) {
    var div = document.createElement('div');
    div.className = 'line ' + line.stream;
    div.dataset.seq = line.seq;
    div.dataset.host = line.host || '';
    div.appendChild(span('at', clock(line.at)));
    div.appendChild(span('where', where(line)));
    div.appendChild(span('stream', line.stream));
    div.appendChild(span('text', line.line));
    applyFilter(div);
    return div;
  }

  function rememberHost(host) {
    if (host && !knownHosts[host]) {
      knownHosts[host] = true;
      var option = document.createElement('option');
      option.value = host;
      option.textContent = host;
      hostFilter.appendChild(option);
    }
  }

  // ---- filter and search ----

  // Lines without a host are job-wide messages; they stay visible under a host filter.
  function applyFilter(div) {
    var host = hostFilter.value;
    var text = div.querySelector('.text');
    var value = text.textContent;
    var hostOk = !host || !div.dataset.host || div.dataset.host === host;
    var at = query ? value.toLowerCase().indexOf(query) : 0;
    div.hidden = !hostOk || at < 0;
    highlight(text, value, query && at >= 0 ? at : -1);
  }

  function highlight(text, value, at) {
    if (at < 0) {
      if (text.firstElementChild) {
        text.textContent = value;
      }
      return;
    }
    var mark = document.createElement('mark');
    mark.textContent = value.substring(at, at + query.length);
    text.textContent = '';
    text.appendChild(document.createTextNode(value.substring(0, at)));
    text.appendChild(mark);
    text.appendChild(document.createTextNode(value.substring(at + query.length)));
  }

  function refilter() {
    query = search.value.trim().toLowerCase();
    Array.prototype.forEach.call(list.children, applyFilter);
    scrollToEnd();
  }

  var searchTimer = null;
  search.addEventListener('input', function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(refilter, 150);
  });
  hostFilter.addEventListener('change', refilter);

  // ---- following the tail ----

  function scrollToEnd() {
    if (follow.checked) {
      box.scrollTop = box.scrollHeight;
    }
  }

  follow.addEventListener('change', scrollToEnd);
  box.addEventListener('scroll', function () {
    var fromBottom = box.scrollHeight - box.scrollTop - box.clientHeight;
    if (fromBottom > 40 && follow.checked) {
      follow.checked = false;
    }
  });

  function updateCount() {
    count.textContent = list.children.length + ' lines shown' + (dropped ? ' (' + dropped + ' older ones removed)' : '') + '.';
  }

  function showNote(text) {
    note.textContent = text;
    note.hidden = false;
  }

  function append(line) {
    if (line.seq <= lastSeq) {
      return; // already shown: a reconnect or the server-rendered tail
    }
    lastSeq = line.seq;
    if (!firstSeq) {
      firstSeq = line.seq;
    }
    rememberHost(line.host);
    pending.push(line);
    if (!flushScheduled) {
      flushScheduled = true;
      requestAnimationFrame(flush);
    }
  }

  function flush() {
    flushScheduled = false;
    var fragment = document.createDocumentFragment();
    pending.forEach(function (line) { fragment.appendChild(render(line)); });
    pending = [];
    list.appendChild(fragment);
    var excess = list.children.length - MAX_LINES;
    if (excess > 0) {
      for (var i = 0; i < excess; i++) {
        list.removeChild(list.firstElementChild);
      }
      dropped += excess;
      firstSeq = Number(list.firstElementChild.dataset.seq);
      earlier.hidden = true;
      showNote('This page shows at most ' + MAX_LINES + ' lines; older ones were removed while following. '
          + 'The raw log has every line.');
    }
    updateCount();
    scrollToEnd();
  }

  // ---- paging back ----

  earlier.addEventListener('click', function () {
    if (list.children.length >= MAX_LINES) {
      earlier.hidden = true;
      showNote('This page shows at most ' + MAX_LINES + ' lines; the raw log has every line.');
      return;
    }
    earlier.disabled = true;
    fetch('/api/jobs/' + jobId + '/log/lines?before=' + firstSeq + '&limit=' + PAGE, { headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.json();
      })
      .then(function (lines) {
        var fragment = document.createDocumentFragment();
        lines.forEach(function (line) {
          rememberHost(line.host);
          fragment.appendChild(render(line));
        });
        var height = box.scrollHeight;
        follow.checked = false;
        list.insertBefore(fragment, list.firstChild);
        box.scrollTop += box.scrollHeight - height; // keep the lines the reader was looking at in place
        if (lines.length) {
          firstSeq = lines[0].seq;
        }
        earlier.hidden = lines.length < PAGE || firstSeq <= 1;
        earlier.disabled = false;
        updateCount();
      })
      .catch(function (e) {
        earlier.disabled = false;
        showNote('Could not load earlier lines: ' + e.message);
      });
  });

  // ---- status and progress grid ----

  function stamp(iso) {
    return iso ? new Date(iso).toISOString().substring(0, 19).replace('T', ' ') + ' UTC' : 'not yet';
  }

  function setText(id, text) {
    var el = document.getElementById(id);
    if (el) {
      el.textContent = text;
    }
  }

  function showStatus(status, error) {
    var badge = document.getElementById('job-status');
    badge.className = 'badge ' + status;
    badge.textContent = status;
    var errorBox = document.getElementById('job-error');
    errorBox.textContent = error || '';
    errorBox.hidden = !error;
    if (status !== 'queued' && status !== 'running') {
      var cancel = document.getElementById('cancel-form');
      if (cancel) {
        cancel.remove();
      }
    }
  }

  function showJob(job) {
    showStatus(job.status, job.error);
    setText('job-started', stamp(job.startedAt));
    setText('job-finished', stamp(job.finishedAt));
    setText('job-phase', job.phase || '—');
  }

  function showGrid(detail) {
    var container = document.getElementById('grid');
    if (!detail.hosts.length) {
      return;
    }
    var cells = {};
    detail.grid.forEach(function (c) { cells[c.phase + '\n' + c.host] = c; });
    var table = document.createElement('table');
    table.className = 'grid';
    var head = table.createTHead().insertRow();
    head.appendChild(document.createElement('th')).textContent = 'Host';
    detail.phases.forEach(function (p) { head.appendChild(document.createElement('th')).textContent = p; });
    var body = table.createTBody();
    detail.hosts.forEach(function (h) {
      rememberHost(h);
      var row = body.insertRow();
      row.appendChild(document.createElement('th')).textContent = h;
      detail.phases.forEach(function (p) {
        var c = cells[p + '\n' + h] || { state: 'none', detail: null };
        var td = row.insertCell();
        td.className = 'cell ' + c.state;
        td.dataset.phase = p;
        td.dataset.host = h;
        td.title = c.detail || c.state;
        td.textContent = c.state;
      });
    });
    container.replaceChildren(table);
  }

  // ---- the live connection ----

  // EventSource resends the last event id when it reconnects, so the server resumes with no gap or duplicate.
  var source = new EventSource('/api/jobs/' + jobId + '/log?after=' + lastSeq);
  source.addEventListener('line', function (event) {
    append(JSON.parse(event.data));
  });
  source.addEventListener('progress', function (event) {
    var detail = JSON.parse(event.data);
    showJob(detail.job);
    showGrid(detail);
  });
  source.addEventListener('end', function (event) {
    var end = JSON.parse(event.data);
    source.close(); // otherwise the browser would reconnect to a finished stream forever
    showStatus(end.status, end.error);
  });
})();
