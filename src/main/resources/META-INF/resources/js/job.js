// The job page, live: follows the log over Server-Sent Events, pages back (and, on a jump, forward) through lines,
// filters the loaded ones and searches the whole log on the server as the user types, and keeps the progress grid and
// status badge current. The status comes from the job itself, asked for every two seconds while it is active, not
// from the log stream, which may be minutes behind a long log. The page works without this file (search, jumps and
// paging are links and forms the server answers); it only adds what needs a live connection. Log text is user
// output: it is only ever inserted with textContent.
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
  var later = document.getElementById('load-later');
  var results = document.getElementById('search-results');
  var resultCount = document.getElementById('search-count');
  var resultList = document.getElementById('search-list');
  var windowed = box.dataset.window === 'true';
  var finished = false;
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
  Array.prototype.forEach.call(lines(), function (div) {
    var seq = Number(div.dataset.seq);
    firstSeq = firstSeq ? Math.min(firstSeq, seq) : seq;
    lastSeq = Math.max(lastSeq, seq);
  });
  if (box.dataset.earlier === 'true') {
    earlier.hidden = false;
  }
  if (search.value.trim()) {
    // A page opened from a search result: mark the text in the loaded lines as typing it would.
    query = search.value.trim().toLowerCase();
    Array.prototype.forEach.call(lines(), applyFilter);
  }
  var target = box.dataset.target && document.getElementById('line-' + box.dataset.target);
  if (target) {
    follow.checked = false;
    box.scrollTop = target.offsetTop - box.offsetTop - 40;
  }
  scrollToEnd();

  // ---- the task log: a section per phase, in it one per host ----

  function lines() {
    return list.querySelectorAll('.line');
  }

  function sections() {
    return list.querySelectorAll('details.phase-section');
  }

  // The same rule as the server's: a line belongs to the phase whose first step started last before it was written.
  function sectionAt(iso) {
    var t = new Date(iso).getTime();
    var best = null;
    var bestSince = -1;
    Array.prototype.forEach.call(sections(), function (sec) {
      var since = Number(sec.dataset.since || NaN);
      if (!isNaN(since) && since <= t && since >= bestSince) {
        best = sec;
        bestSince = since;
      }
    });
    return best || sections()[0];
  }

  // A line arriving live belongs to the phase the job is in now.
  function sectionNow(line) {
    var phase = document.getElementById('job-phase').textContent.trim();
    var found = null;
    Array.prototype.forEach.call(sections(), function (sec) {
      if (sec.dataset.phase === phase) {
        found = sec;
      }
    });
    return found || sectionAt(line.at);
  }

  function hostLines(section, host) {
    var name = host || 'conveyor';
    var found = null;
    Array.prototype.forEach.call(section.querySelectorAll('details.host-section'), function (d) {
      if (d.dataset.host === name) {
        found = d;
      }
    });
    if (!found) {
      found = document.createElement('details');
      found.className = 'host-section';
      found.dataset.host = name;
      found.open = true;
      found.appendChild(document.createElement('summary')).textContent = name;
      var div = document.createElement('div');
      div.className = 'host-lines';
      found.appendChild(div);
      section.appendChild(found);
    }
    return found.querySelector('.host-lines');
  }

  // Places rendered lines into their sections, at the end or (older lines) at the start.
  function place(items, choose, atStart) {
    var groups = [];
    items.forEach(function (line) {
      var section = choose(line);
      var target = hostLines(section, line.host);
      var last = groups[groups.length - 1];
      if (!last || last.target !== target) {
        last = { target: target, fragment: document.createDocumentFragment(), section: section };
        groups.push(last);
      }
      last.fragment.appendChild(render(line));
    });
    if (atStart) {
      groups.reverse();
    }
    groups.forEach(function (g) {
      if (atStart) {
        g.target.insertBefore(g.fragment, g.target.firstChild);
      } else {
        g.target.appendChild(g.fragment);
      }
      countLines(g.section);
    });
    return groups;
  }

  function countLines(section) {
    var n = section.querySelectorAll('.line').length;
    var label = section.querySelector('.phase-count');
    if (label) {
      label.textContent = n ? n + (n === 1 ? ' line' : ' lines') : '';
    }
  }

  function openAround(div) {
    for (var d = div.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) {
      d.open = true;
    }
  }

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
    // After a jump the lines around the target are its context: the search marks them but hides none.
    div.hidden = !hostOk || (at < 0 && !windowed);
    highlight(text, value, query && at >= 0 ? at : -1);
    if (query && at >= 0) {
      openAround(div); // a match inside a closed section would be found but not seen
    }
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
    Array.prototype.forEach.call(lines(), applyFilter);
    scrollToEnd();
    searchWholeLog();
  }

  // The loaded lines are only part of a long log: the server searches all of it and says how many lines match.
  var asked = 0;
  function searchWholeLog() {
    var text = search.value.trim();
    var ticket = ++asked;
    if (!text) {
      results.hidden = true;
      return;
    }
    var url = '/api/jobs/' + jobId + '/log/search?limit=200&q=' + encodeURIComponent(text)
        + (hostFilter.value ? '&host=' + encodeURIComponent(hostFilter.value) : '');
    fetch(url, { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status)); })
      .then(function (found) {
        if (ticket !== asked) {
          return; // an answer to an older query
        }
        showResults(text, found);
      })
      .catch(function (e) { showNote('Could not search the log: ' + e.message); });
  }

  function showResults(text, found) {
    results.hidden = false;
    if (found.count === 0) {
      resultCount.textContent = 'No line of the log contains \u201c' + text + '\u201d.';
    } else {
      resultCount.textContent = found.count + (found.count === 1 ? ' line' : ' lines') + ' of the whole log contain \u201c'
          + text + '\u201d' + (found.count > found.lines.length ? '; the first ' + found.lines.length + ' are listed' : '') + '.';
    }
    var fragment = document.createDocumentFragment();
    found.lines.forEach(function (line) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '/jobs/' + jobId + '?at=' + line.seq + '&q=' + encodeURIComponent(text) + '#line-' + line.seq;
      a.dataset.seq = line.seq;
      a.textContent = 'line ' + line.seq;
      var code = document.createElement('code');
      code.textContent = line.line;
      li.append(a, ' ', span('where', where(line)), ' ', code);
      fragment.appendChild(li);
    });
    resultList.replaceChildren(fragment);
  }

  var searchTimer = null;
  search.addEventListener('input', function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(refilter, 250);
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
    count.textContent = lines().length + ' lines shown' + (dropped ? ' (' + dropped + ' older ones removed)' : '') + '.';
  }

  function showNote(text) {
    note.textContent = text;
    note.hidden = false;
  }

  function append(line) {
    if (windowed) {
      return; // the reader jumped back into the log; "Load later" and "End" bring the newer lines
    }
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
    var groups = place(pending, sectionNow, false);
    pending = [];
    if (follow.checked) {
      groups.forEach(function (g) { openAround(g.target); }); // the reader follows the phase that is running
    }
    var shown = lines();
    var excess = shown.length - MAX_LINES;
    if (excess > 0) {
      for (var i = 0; i < excess; i++) {
        shown[i].remove();
      }
      dropped += excess;
      firstSeq = Number(lines()[0].dataset.seq);
      earlier.hidden = true;
      showNote('This page shows at most ' + MAX_LINES + ' lines; older ones were removed while following. '
          + 'The raw log has every line.');
    }
    updateCount();
    scrollToEnd();
  }

  // ---- paging back ----

  earlier.addEventListener('click', function () {
    if (lines().length >= MAX_LINES) {
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
        lines.forEach(function (line) { rememberHost(line.host); });
        var height = box.scrollHeight;
        follow.checked = false;
        place(lines, function (line) { return sectionAt(line.at); }, true);
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

  // ---- paging forward, after a jump ----

  later.addEventListener('click', function () {
    later.disabled = true;
    fetch('/api/jobs/' + jobId + '/log/lines?after=' + lastSeq + '&limit=' + PAGE, { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status)); })
      .then(function (lines) {
        place(lines, function (line) { return sectionAt(line.at); }, false);
        if (lines.length) {
          lastSeq = lines[lines.length - 1].seq;
        }
        later.disabled = false;
        later.hidden = lines.length < PAGE && finished;
        updateCount();
      })
      .catch(function (e) {
        later.disabled = false;
        showNote('Could not load later lines: ' + e.message);
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

  function isActive(status) {
    return status === 'queued' || status === 'running';
  }

  function showStatus(status, error) {
    if (finished && isActive(status)) {
      return; // a late event of the log stream; the job itself already said it ended
    }
    finished = !isActive(status);
    var site = document.getElementById('site');
    if (site) {
      site.hidden = status !== 'succeeded'; // the link to the deployed site, once there is one
    }
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

  // The job's own state, independent of how far the log stream got.
  function pollStatus() {
    fetch('/api/jobs/' + jobId, { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status)); })
      .then(function (detail) {
        showJob(detail.job);
        showGrid(detail);
        if (!finished) {
          setTimeout(pollStatus, 2000);
        }
      })
      .catch(function () { setTimeout(pollStatus, 5000); });
  }

  function duration(from, to) {
    var s = Math.max(0, Math.round((new Date(to) - new Date(from)) / 1000));
    return s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min ' + s % 60 + ' s'
        : Math.floor(s / 3600) + ' h ' + Math.floor(s % 3600 / 60) + ' min';
  }

  function summary(job) {
    if (job.finishedAt) {
      return 'ended after ' + duration(job.startedAt || job.createdAt, job.finishedAt);
    }
    return job.startedAt ? 'running since ' + stamp(job.startedAt) : 'queued';
  }

  function showJob(job) {
    if (finished && isActive(job.status)) {
      return;
    }
    setText('job-summary', summary(job));
    showStatus(job.status, job.error);
    setText('job-started', stamp(job.startedAt));
    setText('job-finished', stamp(job.finishedAt));
    setText('job-phase', job.phase || '—');
  }

  // Sections before the job's phase are done, its own runs (or failed), later ones wait; steps give start times.
  function showPhases(detail) {
    var job = detail.job;
    var since = {};
    var failed = {};
    (detail.steps || []).forEach(function (s) {
      var t = s.startedAt ? new Date(s.startedAt).getTime() : NaN;
      if (!isNaN(t) && (!since[s.phase] || t < since[s.phase])) {
        since[s.phase] = t;
      }
      if (s.state === 'failed') {
        failed[s.phase] = true;
      }
    });
    var reached = false;
    var all = Array.prototype.slice.call(sections());
    var current = all.some(function (sec) { return sec.dataset.phase === job.phase; });
    all.slice().reverse().forEach(function (sec) {
      var phase = sec.dataset.phase;
      if (since[phase]) {
        sec.dataset.since = since[phase];
      }
      var state;
      if (failed[phase] || (job.status === 'failed' && phase === job.phase)) {
        state = 'failed';
      } else if (isActive(job.status) && phase === job.phase) {
        state = 'running';
      } else if (since[phase] || sec.querySelector('.line') || (current && phase === job.phase)) {
        state = 'done';
      } else if (reached) {
        state = 'skipped';
      } else {
        state = 'pending';
      }
      if (phase === job.phase) {
        reached = true;
      }
      if (state === 'failed' && !sec.classList.contains('failed')) {
        sec.open = true;
      }
      sec.className = 'phase-section ' + state;
      var label = sec.querySelector('.phase-state');
      if (label) {
        label.textContent = state;
      }
    });
  }

  function showGrid(detail) {
    showPhases(detail);
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

  finished = !isActive(document.getElementById('job-status').textContent.trim());
  if (!finished) {
    setTimeout(pollStatus, 2000);
  }

  // EventSource resends the last event id when it reconnects, so the server resumes with no gap or duplicate.
  var source = new EventSource('/api/jobs/' + jobId + '/log?after=' + lastSeq);
  source.addEventListener('line', function (event) {
    append(JSON.parse(event.data));
  });
  source.addEventListener('progress', function (event) {
    var detail = JSON.parse(event.data);
    if (finished && isActive(detail.job.status)) {
      return;
    }
    showJob(detail.job);
    showGrid(detail);
  });
  source.addEventListener('end', function (event) {
    var end = JSON.parse(event.data);
    source.close(); // otherwise the browser would reconnect to a finished stream forever
    showStatus(end.status, end.error);
  });
})();
