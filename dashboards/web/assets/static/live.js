// Earshot live updates: listens to /api/v1/events (Server-Sent Events) and
// updates the page in place. Every text taken from an event is inserted
// with textContent, never as HTML. Without this script the pages still
// work; they refresh once a minute instead.
(function () {
  'use strict';
  var root = document.querySelector('[data-live]');
  if (!root || !window.EventSource || !window.JSON) {
    return;
  }
  var incident = root.getAttribute('data-incident') || '';
  var darkAfter = parseInt(root.getAttribute('data-dark-after') || '0', 10);
  var status = document.getElementById('live-status');
  var feed = document.getElementById('live-feed');
  var maxFeed = 30;

  function setStatus(text, cls) {
    if (status) {
      status.textContent = text;
      status.className = 'live-status ' + cls;
    }
  }

  function hhmm(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) {
      return '';
    }
    var p = function (n) { return (n < 10 ? '0' : '') + n; };
    return p(d.getUTCHours()) + ':' + p(d.getUTCMinutes());
  }

  function pct(x) {
    return Math.round(100 * x) + '%';
  }

  function addFeed(kind, text, at) {
    if (!feed) {
      return;
    }
    var empty = feed.querySelector('li.none');
    if (empty) {
      feed.removeChild(empty);
    }
    var li = document.createElement('li');
    li.setAttribute('data-kind', kind);
    var k = document.createElement('span');
    k.className = 'kind';
    k.textContent = kind;
    var t = document.createElement('time');
    t.className = 'dim';
    t.textContent = hhmm(at) + ' UTC';
    var body = document.createElement('span');
    body.textContent = ' ' + text + ' ';
    li.appendChild(k);
    li.appendChild(body);
    li.appendChild(t);
    feed.insertBefore(li, feed.firstChild);
    while (feed.children.length > maxFeed) {
      feed.removeChild(feed.lastChild);
    }
  }

  function bump(name, n) {
    var els = document.querySelectorAll('[data-live-count="' + name + '"]');
    for (var i = 0; i < els.length; i++) {
      var v = parseInt((els[i].textContent || '0').replace(/[^0-9]/g, ''), 10) || 0;
      els[i].textContent = String(v + n);
    }
  }

  function field(name, text) {
    var els = document.querySelectorAll('[data-live-field="' + name + '"]');
    for (var i = 0; i < els.length; i++) {
      els[i].textContent = text;
    }
    return els;
  }

  // The time since the last public update, ticking.
  var last = document.getElementById('last-update');
  function since() {
    if (!last) {
      return;
    }
    var at = new Date(last.getAttribute('datetime'));
    if (isNaN(at.getTime())) {
      return;
    }
    var mins = Math.max(0, Math.floor((Date.now() - at.getTime()) / 60000));
    var words = mins < 60 ? mins + ' min' : Math.floor(mins / 60) + 'h ' + (mins % 60 < 10 ? '0' : '') + (mins % 60) + 'm';
    last.textContent = words + ' ago';
    var card = document.getElementById('since-card');
    var active = root.getAttribute('data-active') !== 'false';
    if (card && darkAfter > 0) {
      var dark = active && mins * 60 >= darkAfter;
      card.className = card.className.replace(/ ?\bdark\b/g, '') + (dark ? ' dark' : '');
      var note = document.getElementById('dark-note');
      if (note) {
        note.textContent = dark ? 'Going dark: customers are telling the story for you.' : '';
      }
    }
  }

  function publicUpdate(at, what, text, by, told) {
    if (told && last && at) {
      var prev = new Date(last.getAttribute('datetime'));
      if (isNaN(prev.getTime()) || new Date(at) > prev) {
        last.setAttribute('datetime', at);
        since();
      }
    }
    var list = document.getElementById('updates');
    if (!list) {
      return;
    }
    var empty = list.querySelector('li.none');
    if (empty) {
      list.removeChild(empty);
    }
    var li = document.createElement('li');
    var head = document.createElement('div');
    head.className = 'post-head';
    var s = document.createElement('span');
    s.className = 'status';
    s.textContent = what;
    var t = document.createElement('time');
    t.setAttribute('datetime', at);
    t.textContent = ' ' + hhmm(at) + ' UTC';
    head.appendChild(s);
    head.appendChild(t);
    if (by) {
      var b = document.createElement('span');
      b.className = 'dim';
      b.textContent = ' by ' + by;
      head.appendChild(b);
    }
    var p = document.createElement('p');
    p.className = 'text';
    p.textContent = text;
    li.appendChild(head);
    li.appendChild(p);
    list.insertBefore(li, list.firstChild);
  }

  // Follow-up states, to move counts when one moves.
  var fuStates = {};
  var fuEl = document.getElementById('fu-states');
  if (fuEl) {
    try {
      fuStates = JSON.parse(fuEl.getAttribute('data-states') || '{}') || {};
    } catch (e) {
      fuStates = {};
    }
  }
  function followUp(f) {
    if (!f || !f.id) {
      return;
    }
    var before = fuStates[f.id];
    fuStates[f.id] = f.state;
    var cell = function (state) { return document.querySelector('[data-fu-state="' + state + '"]'); };
    var add = function (state, n) {
      var c = cell(state);
      if (c) {
        c.textContent = String((parseInt(c.textContent, 10) || 0) + n);
      }
    };
    if (before) {
      add(before, -1);
    }
    add(f.state, 1);
    var total = 0, done = 0;
    for (var id in fuStates) {
      if (Object.prototype.hasOwnProperty.call(fuStates, id)) {
        total++;
        if (fuStates[id] === 'resolved' || fuStates[id] === 'dismissed') {
          done++;
        }
      }
    }
    field('fu-done', String(done));
    field('fu-total', String(total));
    var meter = document.getElementById('fu-meter');
    if (meter && total > 0) {
      meter.setAttribute('width', String(100 * done / total));
    }
  }

  var seenUpdates = {};
  function handle(e) {
    var d = e.data || {};
    switch (e.type) {
      case 'posts':
        var n = 0, neg = 0;
        for (var i = 0; i < d.length; i++) {
          n += d[i].posts || 0;
          neg += d[i].negative || 0;
        }
        bump('posts', n);
        bump('negative', neg);
        break;
      case 'spike':
        var where = d.scope && d.scope.value ? d.scope.value : 'all posts';
        var m = d.metric === 'negative_share' ? pct(d.observed) + ' negative against ' + pct(d.expected) + ' expected'
          : d.metric === 'net_sentiment' ? 'mean ' + Number(d.observed).toFixed(2) + ' against ' + Number(d.expected).toFixed(2) + ' expected'
            : Math.round(d.observed) + ' posts against ' + Math.round(d.expected) + ' expected';
        addFeed('spike', String(d.metric || '').replace('_', ' ') + ' on ' + where + ': ' + m + (d.end ? ' (over)' : ''), e.at);
        break;
      case 'alert':
        addFeed('alert', d.summary || d.kind || '', e.at);
        break;
      case 'incident':
        addFeed('incident', (d.title || d.id || '') + ': ' + (d.status || ''), e.at);
        if (incident && d.id === incident) {
          var st = field('status', d.status || '');
          for (var j = 0; j < st.length; j++) {
            st[j].className = 'status s-' + String(d.status || '').replace(/[^a-z]/g, '');
          }
          field('title', d.title || d.id);
          root.setAttribute('data-active', d.resolved_at ? 'false' : 'true');
          var ups = d.updates || [];
          for (var k = 0; k < ups.length; k++) {
            var key = ups[k].at + '|' + ups[k].status + '|' + ups[k].body;
            if (!seenUpdates[key] && (!last || new Date(ups[k].at) > new Date(last.getAttribute('datetime')))) {
              seenUpdates[key] = true;
              publicUpdate(ups[k].at, ups[k].status, ups[k].body || '', '', true);
            }
          }
        }
        break;
      case 'followup':
        addFeed('follow-up', 'moved to ' + (d.state || ''), e.at);
        if (incident && d.incident_id === incident) {
          followUp(d);
        }
        break;
      case 'publication':
        addFeed('published', (d.channel || '') + ', ' + (d.state || ''), e.at);
        if (incident && d.incident_id === incident) {
          publicUpdate(d.published_at || d.created_at, (d.channel || '') + ', ' + (d.state || ''), d.text || '', d.by || '', d.state === 'published');
        }
        break;
    }
  }

  function onMessage(m) {
    var e;
    try {
      e = JSON.parse(m.data);
    } catch (err) {
      return;
    }
    if (incident && e.incident_id && e.incident_id !== incident && e.type !== 'posts') {
      return;
    }
    handle(e);
  }

  // EventSource reconnects by itself after a dropped stream, resuming
  // from the last event; after a refusal (too many live pages, signed
  // out) it gives up, so try again later.
  function connect() {
    var es = new EventSource('/api/v1/events');
    es.onopen = function () { setStatus('live', 'on'); };
    es.onerror = function () {
      if (es.readyState === EventSource.CLOSED) {
        setStatus('not live: retrying in a minute', 'off');
        window.setTimeout(connect, 60000);
      } else {
        setStatus('reconnecting…', 'off');
      }
    };
    es.addEventListener('reset', function () {
      // Events were missed: what the page shows may be stale.
      window.location.reload();
    });
    es.onmessage = onMessage;
  }
  connect();
  since();
  window.setInterval(since, 30000);
})();
