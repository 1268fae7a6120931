// VBP Workshop phone page. No framework, no external assets; text is set with textContent only.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const AGREE = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"];
  const FIST = ["Block", "Serious concerns", "Concerns", "Can live with it", "Support", "Full support"];
  let current = null;      // the poll on screen
  let answer = null;       // the answer being built
  let source = null;       // EventSource
  let groups = [];

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function show(id) { for (const s of ["join", "wait", "poll"]) $(s).hidden = s !== id; }
  function status(text, kind) { const s = $("status"); s.textContent = text; s.className = "status " + (kind || ""); }
  function uid() {
    const a = new Uint8Array(16); crypto.getRandomValues(a);
    return Array.from(a, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  const key = (p) => "vbp:" + p.id + ":" + p.round;

  async function api(path, body) {
    const res = await fetch(path, {
      method: body ? "POST" : "GET", credentials: "same-origin",
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    let data = {};
    try { data = await res.json(); } catch (e) { data = { error: "Unexpected reply from the laptop." }; }
    return { status: res.status, data };
  }

  // ---- joining --------------------------------------------------------------------------
  function fillGroups(selected) {
    const sel = $("group");
    sel.textContent = "";
    sel.appendChild(el("option", { value: "" }, "Prefer not to say"));
    for (const g of groups) {
      const o = el("option", { value: g.key }, g.label);
      if (g.key === selected) o.selected = true;
      sel.appendChild(o);
    }
  }
  async function join(ev) {
    ev.preventDefault();
    const code = $("code").value.trim().toUpperCase();
    if (!code) { $("join-error").textContent = "Enter the code shown on the screen."; $("code").focus(); return; }
    $("join-error").textContent = "";
    try {
      const r = await api("/api/join", { code, group: $("group").value });
      if (!r.data.ok) { $("join-error").textContent = r.data.error || "Could not join."; return; }
      start();
    } catch (e) { $("join-error").textContent = "Cannot reach the laptop. Check you are on the room's Wi-Fi."; }
  }

  // ---- following the room -----------------------------------------------------------------
  async function start() {
    let r;
    try { r = await api("/api/state"); } catch (e) { $("conn").textContent = "Offline — retrying…"; setTimeout(start, 3000); return; }
    groups = r.data.groups || [];
    if (!r.data.joined) {
      const params = new URLSearchParams(location.search);
      $("code").value = (params.get("c") || "").toUpperCase();
      fillGroups("");
      show("join");
      ($("code").value ? $("group") : $("code")).focus();
      return;
    }
    render(r.data);
    listen();
  }
  function listen() {
    if (source) source.close();
    source = new EventSource("/api/events");
    source.onopen = () => { $("conn").textContent = "● connected"; };
    source.onmessage = (m) => { try { render(JSON.parse(m.data)); } catch (e) { /* ignore a bad frame */ } };
    source.onerror = () => {
      $("conn").textContent = "Reconnecting…";
      if (source.readyState === EventSource.CLOSED) { setTimeout(start, 2000); }
    };
  }

  function render(snap) {
    const p = snap.poll;
    if (p) {
      if (!current || current.id !== p.id || current.round !== p.round) build(p);
      return;
    }
    current = null;
    show("wait");
    $("wait-title").textContent = snap.closed_poll ? "Voting has closed" : "You're in";
    $("wait-text").textContent = snap.closed_poll ? "Thank you. The next question will appear here." :
      "Waiting for the facilitator to open a question…";
    showResult(snap.result);
  }

  function showResult(result) {
    const box = $("result");
    box.textContent = "";
    box.hidden = !result;
    if (!result) return;
    box.appendChild(el("h2", {}, "Results: " + result.headline));
    box.appendChild(el("p", { class: "muted" }, result.respondents + (result.respondents === 1 ? " answer" : " answers")));
    for (const [label, pct] of result.bars || []) {
      const bar = el("div", { class: "bar" });
      const row = el("div", { class: "row" });
      row.appendChild(el("span", {}, label));
      row.appendChild(el("span", {}, Math.round(pct) + "%"));
      const track = el("div", { class: "track" });
      const fill = el("div", { class: "fill" });
      fill.style.width = Math.max(0, Math.min(100, pct)) + "%";
      track.appendChild(fill); bar.appendChild(row); bar.appendChild(track); box.appendChild(bar);
    }
    for (const [label, pt] of result.points || []) {
      if (pt) box.appendChild(el("p", {}, label + ": " + pt[0].toFixed(1) + " / " + pt[1].toFixed(1)));
    }
    for (const [word, n] of result.words || []) box.appendChild(el("p", {}, word + " (" + n + ")"));
  }

  // ---- building the answer form for each kind ------------------------------------------------------
  function build(p) {
    current = p;
    const saved = localStorage.getItem(key(p));
    answer = saved ? JSON.parse(saved) : null;
    show("poll");
    $("question").textContent = p.question;
    $("poll-meta").textContent = (p.round > 1 ? "Round " + p.round + " — vote again · " : "") + (p.privacy || "");
    const form = $("answer");
    form.textContent = "";
    const kinds = { single, multiple, agreement, scale: scaleKind, fist: scaleKind, ranking, points,
      matrix: pairs, importance: pairs, text };
    (kinds[p.kind] || (() => {}))(p, form);
    status(saved ? "Your answer is recorded. You can change it while voting is open." : "", saved ? "ok" : "");
    $("send").textContent = saved ? "Change my answer" : "Send answer";
    $("send").disabled = false;
  }

  function single(p, form) {
    p.options.forEach((o, i) => {
      const lab = el("label", { class: "choice" });
      const input = el("input", { type: "radio", name: "opt", value: String(i) });
      if (answer === i) input.checked = true;
      input.addEventListener("change", () => { answer = i; });
      lab.appendChild(input); lab.appendChild(el("span", {}, o)); form.appendChild(lab);
    });
  }
  function multiple(p, form) {
    const picked = new Set(Array.isArray(answer) ? answer : []);
    form.appendChild(el("p", { class: "muted" }, "Pick up to " + p.max_choices + "."));
    p.options.forEach((o, i) => {
      const lab = el("label", { class: "choice" });
      const input = el("input", { type: "checkbox", value: String(i) });
      input.checked = picked.has(i);
      input.addEventListener("change", () => {
        if (input.checked && picked.size >= p.max_choices) { input.checked = false; status("You can pick at most " + p.max_choices + ".", "bad"); return; }
        input.checked ? picked.add(i) : picked.delete(i);
        answer = Array.from(picked).sort((a, b) => a - b);
        status("");
      });
      lab.appendChild(input); lab.appendChild(el("span", {}, o)); form.appendChild(lab);
    });
    answer = Array.from(picked);
  }
  function buttons(values, labels, selected, onPick, name) {
    const row = el("div", { class: "scale", role: "group", "aria-label": name });
    values.forEach((v, i) => {
      const b = el("button", { type: "button", "aria-pressed": String(selected === v), "aria-label": labels ? labels[i] : String(v) }, String(v));
      b.addEventListener("click", () => {
        for (const x of row.children) x.setAttribute("aria-pressed", "false");
        b.setAttribute("aria-pressed", "true");
        onPick(v);
      });
      row.appendChild(b);
    });
    return row;
  }
  function ends(a, b) { const e = el("div", { class: "scale-ends" }); e.appendChild(el("span", {}, a)); e.appendChild(el("span", {}, b)); return e; }
  function range(lo, hi) { const r = []; for (let v = lo; v <= hi; v++) r.push(v); return r; }
  function agreement(p, form) {
    answer = answer && typeof answer === "object" ? answer : {};
    p.options.forEach((o, i) => {
      const box = el("div", { class: "item" });
      box.appendChild(el("div", { class: "item-title" }, o));
      box.appendChild(buttons([1, 2, 3, 4, 5], AGREE, answer[i], (v) => { answer[i] = v; }, o));
      box.appendChild(ends("Strongly disagree", "Strongly agree"));
      form.appendChild(box);
    });
  }
  function scaleKind(p, form) {
    const labels = p.kind === "fist" ? FIST.map((t, i) => i + " — " + t) : null;
    form.appendChild(buttons(range(p.min, p.max), labels, answer, (v) => { answer = v; }, p.question));
    form.appendChild(ends(p.kind === "fist" ? "0 block" : String(p.min), p.kind === "fist" ? "5 full support" : String(p.max)));
    if (p.kind === "fist") form.appendChild(el("p", { class: "fist-help" }, "3 or more means you can support it. Below 3: say what would change your mind."));
  }
  function ranking(p, form) {
    let order = Array.isArray(answer) && answer.length === p.options.length ? answer.slice() : p.options.map((_, i) => i);
    answer = order.slice();
    form.appendChild(el("p", { class: "muted" }, "Move your top choice to the top. Use the arrows."));
    const list = el("ol", { class: "ranklist" });
    form.appendChild(list);
    function draw(focusIdx, dir) {
      list.textContent = "";
      order.forEach((opt, pos) => {
        const li = el("li", { class: "rank" });
        li.appendChild(el("span", { class: "pos" }, String(pos + 1)));
        li.appendChild(el("span", { class: "label" }, p.options[opt]));
        const up = el("button", { type: "button", "aria-label": "Move up: " + p.options[opt] }, "↑");
        const down = el("button", { type: "button", "aria-label": "Move down: " + p.options[opt] }, "↓");
        up.disabled = pos === 0; down.disabled = pos === order.length - 1;
        up.addEventListener("click", () => { [order[pos - 1], order[pos]] = [order[pos], order[pos - 1]]; answer = order.slice(); draw(pos - 1, "up"); });
        down.addEventListener("click", () => { [order[pos + 1], order[pos]] = [order[pos], order[pos + 1]]; answer = order.slice(); draw(pos + 1, "down"); });
        li.appendChild(up); li.appendChild(down); list.appendChild(li);
        if (pos === focusIdx) (dir === "up" && !up.disabled ? up : down.disabled ? up : down).focus();
      });
    }
    draw(-1);
  }
  function points(p, form) {
    answer = answer && typeof answer === "object" ? answer : {};
    const budget = el("div", { class: "budget", "aria-live": "polite" });
    form.appendChild(budget);
    const used = () => Object.values(answer).reduce((a, b) => a + b, 0);
    const update = () => {
      const left = p.budget - used();
      budget.textContent = left >= 0 ? left + " of " + p.budget + " points left" : "Over budget by " + (-left);
      budget.classList.toggle("over", left < 0);
    };
    p.options.forEach((o, i) => {
      const row = el("div", { class: "item points" });
      row.appendChild(el("span", { class: "label" }, o));
      const minus = el("button", { type: "button", "aria-label": "One point less: " + o }, "−");
      const out = el("output", {}, String(answer[i] || 0));
      const plus = el("button", { type: "button", "aria-label": "One point more: " + o }, "+");
      minus.addEventListener("click", () => { if ((answer[i] || 0) > 0) { answer[i] = (answer[i] || 0) - 1; if (!answer[i]) delete answer[i]; out.textContent = String(answer[i] || 0); update(); } });
      plus.addEventListener("click", () => { if (used() < p.budget) { answer[i] = (answer[i] || 0) + 1; out.textContent = String(answer[i]); update(); } else status("No points left: take one from another option.", "bad"); });
      row.appendChild(minus); row.appendChild(out); row.appendChild(plus); form.appendChild(row);
    });
    update();
  }
  function pairs(p, form) {
    answer = answer && typeof answer === "object" ? answer : {};
    const [a, b] = p.kind === "importance" ? ["How important?", "How satisfied today?"] : [p.x_label || "Effort", p.y_label || "Impact"];
    p.options.forEach((o, i) => {
      const box = el("div", { class: "item" });
      box.appendChild(el("div", { class: "item-title" }, o));
      const cur = answer[i] || [null, null];
      box.appendChild(el("div", { class: "axis" }, a));
      box.appendChild(buttons(range(p.min, p.max), null, cur[0], (v) => { answer[i] = [v, (answer[i] || [null, null])[1]]; }, o + ": " + a));
      box.appendChild(el("div", { class: "axis" }, b));
      box.appendChild(buttons(range(p.min, p.max), null, cur[1], (v) => { answer[i] = [(answer[i] || [null, null])[0], v]; }, o + ": " + b));
      box.appendChild(ends("low", "high"));
      form.appendChild(box);
    });
  }
  function text(p, form) {
    const lab = el("label", { for: "text-answer" }, "Your answer");
    const area = el("textarea", { id: "text-answer", maxlength: "280" });
    area.value = typeof answer === "string" ? answer : "";
    const counter = el("div", { class: "counter" }, area.value.length + " / 280");
    area.addEventListener("input", () => { answer = area.value; counter.textContent = area.value.length + " / 280"; });
    form.appendChild(lab); form.appendChild(area); form.appendChild(counter);
  }

  function complete(p, a) {
    if (p.kind === "single" || p.kind === "scale" || p.kind === "fist") return typeof a === "number";
    if (p.kind === "matrix" || p.kind === "importance") {
      const keys = Object.keys(a || {}).filter((k) => a[k][0] !== null && a[k][1] !== null);
      return keys.length > 0;
    }
    if (p.kind === "text") return typeof a === "string" && a.trim().length > 0;
    if (Array.isArray(a)) return a.length > 0;
    return a && Object.keys(a).length > 0;
  }
  function clean(p, a) {
    if (p.kind === "matrix" || p.kind === "importance") {
      const out = {};
      for (const [k, v] of Object.entries(a)) if (v[0] !== null && v[1] !== null) out[k] = v;
      return out;
    }
    return a;
  }

  async function send() {
    const p = current;
    if (!p) return;
    if (!complete(p, answer)) { status("Answer first, then send.", "bad"); return; }
    const body = { poll_id: p.id, round: p.round, ballot_id: uid(), answer: clean(p, answer) };
    $("send").disabled = true;
    status("Sending…");
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        // The same ballot_id on every retry: the laptop stores it once however often it arrives.
        const r = await api("/api/vote", body);
        if (r.data.ok) {
          localStorage.setItem(key(p), JSON.stringify(answer));
          status("✓ Your answer is recorded. You can change it while voting is open.", "ok");
          $("send").textContent = "Change my answer";
          $("send").disabled = false;
          return;
        }
        if (r.status === 401) { status(r.data.error, "bad"); setTimeout(start, 1500); return; }
        if (r.status !== 429 && r.status < 500) { status(r.data.error || "Not recorded.", "bad"); $("send").disabled = false; return; }
      } catch (e) { /* network drop: retry below */ }
      await new Promise((res) => setTimeout(res, 700 * (attempt + 1)));
    }
    status("Not sent: the laptop cannot be reached. Check the Wi-Fi and try again.", "bad");
    $("send").disabled = false;
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("join-form").addEventListener("submit", join);
    $("send").addEventListener("click", send);
    $("change-group").addEventListener("click", () => { if (source) source.close(); current = null; fillGroups(""); $("code").value = ""; show("join"); $("code").focus(); });
    start();
  });
})();
