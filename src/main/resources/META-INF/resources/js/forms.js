// Every page: destructive forms ask in a dialog before they post, and a refused form shows why next to itself with
// what was typed still in it. Without this file the same forms work: the server asks on a page of its own, and a
// refusal is an error page.
(function () {
  'use strict';

  // ---- confirmation ----

  var dialog = null;

  function confirmDialog() {
    if (dialog) {
      return dialog;
    }
    dialog = document.createElement('dialog');
    dialog.id = 'confirm-dialog';
    dialog.setAttribute('aria-labelledby', 'confirm-dialog-text');
    var text = document.createElement('p');
    text.id = 'confirm-dialog-text';
    var buttons = document.createElement('form');
    buttons.method = 'dialog';
    buttons.className = 'actions';
    var yes = document.createElement('button');
    yes.value = 'yes';
    yes.className = 'danger';
    yes.id = 'confirm-dialog-yes';
    var no = document.createElement('button');
    no.value = 'no';
    no.className = 'secondary';
    no.textContent = 'No, keep it';
    no.id = 'confirm-dialog-no';
    buttons.append(yes, no);
    dialog.append(text, buttons);
    document.body.appendChild(dialog);
    return dialog;
  }

  function ask(form, then) {
    var d = confirmDialog();
    d.querySelector('#confirm-dialog-text').textContent = form.dataset.confirm;
    var label = form.dataset.confirmButton || (form.querySelector('button[type=submit], button:not([type])') || {}).textContent;
    d.querySelector('#confirm-dialog-yes').textContent = label || 'Yes';
    d.returnValue = '';
    d.onclose = function () {
      if (d.returnValue === 'yes') {
        then();
      }
    };
    d.showModal();
    d.querySelector('#confirm-dialog-no').focus();
  }

  // ---- refusals next to the form ----

  function showRefusal(form, message, fields) {
    var box = form.querySelector('.form-error');
    if (!box) {
      box = document.createElement('p');
      box.className = 'error form-error';
      box.setAttribute('role', 'alert');
      form.insertBefore(box, form.firstChild);
    }
    box.textContent = message;
    Array.prototype.forEach.call(form.querySelectorAll('[aria-invalid]'), function (el) {
      el.removeAttribute('aria-invalid');
    });
    // Problem details name fields as "name: what was expected"; mark the inputs they name.
    (fields || []).concat([message]).forEach(function (text) {
      var name = String(text).split(':')[0].trim();
      var input = name && form.querySelector('[name="' + name.replace(/"/g, '') + '"]');
      if (input) {
        input.setAttribute('aria-invalid', 'true');
      }
    });
    var invalid = form.querySelector('[aria-invalid]');
    (invalid || box).focus && (invalid || box).focus();
  }

  function problemOf(response) {
    return response.text().then(function (html) {
      var doc = new DOMParser().parseFromString(html, 'text/html');
      var detail = doc.querySelector('#problem-detail');
      var errors = Array.prototype.map.call(doc.querySelectorAll('#problem-errors li'), function (li) {
        return li.textContent;
      });
      return { message: detail ? detail.textContent : response.status + ' ' + response.statusText, errors: errors };
    });
  }

  function post(form, submitter, confirmed) {
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    if (confirmed) {
      data.set('confirmed', 'yes');
    }
    var action = submitter && submitter.hasAttribute('formaction') ? submitter.formAction : form.action;
    var busy = form.querySelectorAll('button');
    Array.prototype.forEach.call(busy, function (b) { b.disabled = true; });
    fetch(action, {
      method: 'POST',
      body: new URLSearchParams(data),
      // Says a script sent it: a refusal then answers with the error page this script reads, not a redirect.
      headers: { Accept: 'text/html', 'X-Requested-With': 'fetch' },
      credentials: 'same-origin'
    }).then(function (response) {
      if (response.ok && response.redirected) {
        location.assign(response.url);
        return;
      }
      Array.prototype.forEach.call(busy, function (b) { b.disabled = false; });
      if (response.status >= 400 && response.status < 500 && response.status !== 401) {
        return problemOf(response).then(function (p) { showRefusal(form, p.message, p.errors); });
      }
      // Anything else (a page rendered in answer, a server error): let the browser show it as a plain post would.
      return response.text().then(function (html) {
        document.open();
        document.write(html);
        document.close();
      });
    }).catch(function (e) {
      Array.prototype.forEach.call(busy, function (b) { b.disabled = false; });
      showRefusal(form, 'Could not reach Conveyor: ' + e.message);
    });
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var method = (event.submitter && event.submitter.getAttribute('formmethod')) || form.getAttribute('method') || 'get';
    if (method.toLowerCase() !== 'post' || form.dataset.plain !== undefined || form.enctype === 'multipart/form-data') {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    if (form.dataset.confirm) {
      ask(form, function () { post(form, submitter, true); });
    } else {
      post(form, submitter);
    }
  });
})();
