// The publish page: load a draft, edit it, see each channel's text as it
// will go (with its length), publish, and see the publications. It talks
// to the publishing API (/api/v1/incidents/{id}/...) on this site only.
"use strict";

(function () {
  const root = document.getElementById("publish");
  if (!root) return;
  const incident = root.dataset.incident;
  const api = "/api/v1/incidents/" + encodeURIComponent(incident);
  const $ = (id) => document.getElementById(id);
  const form = $("compose");
  const message = $("message");
  const longText = $("text-long");
  const socialText = $("text-social");

  function say(text, kind) {
    if (!message) return;
    message.textContent = text;
    message.className = "message " + (kind || "");
  }

  function headers(json) {
    const h = {};
    if (json) h["Content-Type"] = "application/json";
    const tok = $("token") && $("token").value.trim();
    if (tok) h["Authorization"] = "Bearer " + tok;
    return h;
  }

  async function call(method, path, body) {
    const resp = await fetch(api + path, {
      method: method,
      headers: headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    let data = {};
    try { data = await resp.json(); } catch (e) { data = {}; }
    if (!resp.ok) {
      let msg = data.error || ("the server answered " + resp.status);
      if (resp.status === 401) msg += ". Sign in as comms or admin, or paste a write token below.";
      throw new Error(msg);
    }
    return data;
  }

  function chosen() {
    return Array.from(document.querySelectorAll("input[name=channel]:checked")).map((c) => ({ name: c.value, kind: c.dataset.kind }));
  }

  function request() {
    const texts = {};
    const chans = chosen();
    for (const c of chans) {
      const area = c.kind === "social" ? socialText : longText;
      texts[c.name] = area ? area.value : "";
    }
    return { phase: $("phase").value, text: "", texts: texts, channels: chans.map((c) => c.name) };
  }

  async function loadDraft() {
    const phase = $("phase").value;
    say("Loading the draft…");
    try {
      for (const [kind, area] of [["statuspage", longText], ["social", socialText]]) {
        if (!area) continue;
        const d = await call("GET", "/draft?" + new URLSearchParams({ phase: phase, channel: kind }));
        area.value = d.text;
      }
      say("Draft loaded. Edit it, replace [ETA], then publish.", "ok");
      preview();
    } catch (e) {
      say("Could not load the draft: " + e.message, "error");
    }
  }

  let timer = 0;
  function schedulePreview() {
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  }

  async function preview() {
    const list = $("previews");
    if (!list) return; // no channel to preview
    const req = request();
    if (req.channels.length === 0) {
      list.replaceChildren(item("Choose at least one channel."));
      return;
    }
    if (req.channels.every((c) => !req.texts[c].trim())) {
      list.replaceChildren(item("Previews appear here as you write."));
      return;
    }
    try {
      const d = await call("POST", "/previews", req);
      list.replaceChildren(...d.previews.map(previewItem));
    } catch (e) {
      list.replaceChildren(item(e.message));
    }
  }

  function item(text) {
    const li = document.createElement("li");
    li.className = "dim";
    li.textContent = text;
    return li;
  }

  function previewItem(p) {
    const li = document.createElement("li");
    li.className = "preview";
    li.dataset.channel = p.channel;
    const head = document.createElement("strong");
    head.textContent = titles[p.channel] || p.channel;
    const count = document.createElement("span");
    count.className = "count" + (p.cut ? " over" : "");
    count.textContent = p.count + " / " + p.limit + (p.cut ? " · cut to fit" : "");
    const text = document.createElement("p");
    text.className = "text";
    text.textContent = p.text;
    li.append(head, count, text);
    return li;
  }

  async function publish(ev) {
    ev.preventDefault();
    const req = request();
    if (req.channels.length === 0) {
      say("Choose at least one channel.", "error");
      return;
    }
    const button = $("publish-button");
    button.disabled = true;
    say("Publishing…");
    try {
      const d = await call("POST", "/publications", req);
      const failed = d.publications.filter((p) => p.state === "failed");
      const pending = d.publications.filter((p) => p.state === "pending");
      if (failed.length) {
        say("Published, except: " + failed.map((p) => (titles[p.channel] || p.channel) + " (" + p.error + ")").join("; "), "error");
      } else if (pending.length) {
        say("Waiting for another person's approval.", "ok");
      } else {
        say("Published to " + d.publications.map((p) => titles[p.channel] || p.channel).join(", ") + ".", "ok");
      }
      await refresh();
    } catch (e) {
      say("Not published: " + e.message, "error");
    } finally {
      button.disabled = false;
    }
  }

  const titles = { statuspage: "Status page", mastodon: "Mastodon", bluesky: "Bluesky", x: "X", slack: "Slack" };

  function cell(text, cls) {
    const td = document.createElement("td");
    if (cls) td.className = cls;
    if (text !== undefined) td.textContent = text;
    return td;
  }

  function row(p) {
    const tr = document.createElement("tr");
    tr.className = "pub st-" + p.state;
    tr.dataset.id = p.id;
    const at = new Date(p.published_at || p.created_at);
    const when = cell();
    const time = document.createElement("time");
    time.dateTime = at.toISOString();
    time.textContent = at.toISOString().slice(0, 16).replace("T", " ") + " UTC";
    when.append(time);
    const state = cell(p.state, "state");
    if (p.error) {
      const e = document.createElement("div");
      e.className = "error";
      e.textContent = p.error;
      state.append(e);
    }
    const by = cell(p.by);
    if (p.approved_by) {
      const a = document.createElement("div");
      a.className = "dim";
      a.textContent = "approved by " + p.approved_by;
      by.append(a);
    }
    const link = cell();
    if (/^https?:\/\//.test(p.url || "")) {
      const a = document.createElement("a");
      a.href = p.url;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      a.textContent = p.url;
      link.append(a);
    }
    if (p.state === "pending") {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "approve";
      b.dataset.id = p.id;
      b.textContent = "Approve";
      link.append(b);
    }
    tr.append(when, cell(titles[p.channel] || p.channel), cell(p.phase), state, by, cell(p.text, "text"), link);
    return tr;
  }

  async function refresh() {
    const d = await call("GET", "/publications");
    const body = $("publications");
    const rows = d.publications.slice().reverse().map(row);
    if (rows.length === 0) {
      const tr = document.createElement("tr");
      tr.className = "none";
      const td = cell("Nothing published about this incident yet.", "dim");
      td.colSpan = 7;
      tr.append(td);
      rows.push(tr);
    }
    body.replaceChildren(...rows);
  }

  async function approve(ev) {
    const b = ev.target.closest("button.approve");
    if (!b) return;
    b.disabled = true;
    try {
      const d = await call("POST", "/publications/" + encodeURIComponent(b.dataset.id) + "/approve");
      const p = d.publication;
      const name = titles[p.channel] || p.channel;
      say(p.state === "published" ? "Approved and published to " + name + "." : "Approved; " + name + " failed: " + p.error,
        p.state === "published" ? "ok" : "error");
      await refresh();
    } catch (e) {
      say("Not approved: " + e.message, "error");
      b.disabled = false;
    }
  }

  $("publications").addEventListener("click", approve);
  if (!form) return;
  $("load-draft").addEventListener("click", loadDraft);
  form.addEventListener("submit", publish);
  form.addEventListener("input", schedulePreview);
  form.addEventListener("change", schedulePreview);
})();
