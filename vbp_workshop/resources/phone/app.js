// VBP Workshop phone page. No framework, no external assets; text is set with textContent only.
"use strict";
// ---- the phone's memory belongs to one sitting of one workshop -------------------------------------
// Every workshop numbers its polls, ideas and activities from 1, and a phone meets many workshops
// on the same laptop address (a practice run, then the real one; yesterday's, then today's). The
// laptop says which workshop and sitting it serves; everything kept is kept under both, and what
// was kept for another is forgotten the moment the page hears of a new one.
const vbpMemory = (function () {
  let scope = "";  // "<workshop>.<sitting>": hex ids, so the separator never occurs inside them
  let where = { workshop: "", sitting: "" };
  const full = (at, name) => "vbp:" + at + ":" + name;
  return {
    // Called with every state the laptop sends; true when this is a different workshop or sitting.
    serve(workshop, sitting) {
      if (typeof workshop !== "string" || typeof sitting !== "string" || !workshop || !sitting) return false;
      const next = workshop + "." + sitting;
      if (next === scope) return false;
      scope = next;
      where = { workshop, sitting };
      try {
        for (const k of Object.keys(localStorage)) {
          if (k.startsWith("vbp:") && !k.startsWith(full(next, ""))) localStorage.removeItem(k);
        }
      } catch (e) { /* private mode: nothing kept */ }
      return true;
    },
    get scope() { return scope; },
    // What an answer, idea or +1 says it belongs to: the laptop refuses it for any other (409).
    stamp(at) { const [workshop, sitting] = at.split("."); return { workshop, sitting }; },
    here() { return Object.assign({}, where); },
    load(name, at) {
      const s = at === undefined ? scope : at;
      if (!s || s !== scope) return null;
      try { return JSON.parse(localStorage.getItem(full(s, name))); } catch (e) { return null; }
    },
    // Kept only while `at` is still the sitting served: an answer acknowledged by the last
    // workshop is never written into the memory of the next.
    keep(name, v, at) {
      const s = at === undefined ? scope : at;
      if (!s || s !== scope) return;
      try { if (v === null) localStorage.removeItem(full(s, name)); else localStorage.setItem(full(s, name), JSON.stringify(v)); } catch (e) { /* private mode */ }
    },
    names(prefix) {
      if (!scope) return [];
      const head = full(scope, prefix);
      try { return Object.keys(localStorage).filter((k) => k.startsWith(head)).map((k) => k.slice(full(scope, "").length)); } catch (e) { return []; }
    },
  };
})();

(function () {
  const $ = (id) => document.getElementById(id);
  const AGREE = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"];
  const FIST = ["Block", "Serious concerns", "Concerns", "Can live with it", "Support", "Full support"];
  const STALE_MS = 45000;    // the server pings every 15 s: three missed pings mean the stream is dead
  let current = null;        // the poll on screen
  let answer = null;         // the answer being built
  let groups = [];
  let joined = false;
  let stream = null;         // AbortController of the open event stream
  let lastData = 0;          // when the stream last delivered anything, a ping included
  let failures = 0;          // reconnect attempts since the stream last worked
  let retryTimer = 0;
  let sending = "";         // the poll whose ballot is in flight: one at a time, so an old one never overtakes a new one
  let focusAfterJoin = false;
  let waitShown = "";
  let problem = "";          // why the answer typed so far cannot be sent (a number out of range, …)

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
  function conn(on, text) { const c = $("conn"); c.textContent = text; c.className = "conn " + (on ? "on" : "off"); }
  function notice(text) { const n = $("notice"); n.textContent = text || ""; n.hidden = !text; }
  let announceTimer = 0;
  function announce(text) {
    // Emptied first so the same words twice (an item moved back and forth) are read twice.
    const a = $("announce");
    a.textContent = "";
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => { a.textContent = text; }, 60);
  }
  function landFocus(target, force) {
    // Focus moves only when asked (just joined) or when it was lost with a screen that went away.
    const a = document.activeElement;
    if (force || !a || a === document.body || a.closest("[hidden]")) target.focus();
  }
  function uid() {
    const a = new Uint8Array(16); crypto.getRandomValues(a);
    return Array.from(a, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  // Waits grow and are spread at random, so a hall of phones that lost the same Wi-Fi
  // does not come back in the same instant.
  function backoff(n, base, cap) { return 400 + Math.random() * Math.min(cap, base * 2 ** Math.min(n, 10)); }
  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
  // Kept under the workshop and sitting (vbpMemory): "ans:<poll>:<round>", "pending:<poll>:<round>".
  const key = (p) => "ans:" + p.id + ":" + p.round;
  const pendingKey = (p) => "pending:" + p.id + ":" + p.round;
  const load = (k, at) => vbpMemory.load(k, at);
  const store = (k, v, at) => vbpMemory.keep(k, v, at);
  function message(v, fallback) { return typeof v === "string" && v ? v.slice(0, 300) : fallback; }
  // The laptop's Retry-After, spread by up to half again: phones told the same second must not return together.
  function retryAfter(res) { const s = Number(res.headers.get("Retry-After")); return s > 0 ? Math.min(s, 60) * 1000 * (1 + Math.random() / 2) : 0; }

  async function api(path, body) {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 15000);
    try {
      const res = await fetch(path, {
        method: body ? "POST" : "GET", credentials: "same-origin", cache: "no-store", signal: ctl.signal,
        headers: body ? { "Content-Type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      let data = null;
      try { data = await res.json(); } catch (e) { /* not JSON: described below */ }
      if (!data || typeof data !== "object") data = {};
      if (!res.ok) data.error = message(data.error, "The laptop refused this (" + res.status + "). Try again in a moment.");
      return { status: res.status, data, wait: retryAfter(res) };
    } finally { clearTimeout(timer); }
  }

  // ---- joining --------------------------------------------------------------------------
  function fillGroups(selected) {
    const sel = $("group");
    sel.textContent = "";
    sel.appendChild(el("option", { value: "" }, "Prefer not to say"));
    for (const g of groups) {
      const o = el("option", { value: String(g.key) }, String(g.label));
      if (g.key === selected) o.selected = true;
      sel.appendChild(o);
    }
  }
  function showJoin(code) {
    joined = false; current = null; stopStream(); notice("");
    $("code").value = code;
    fillGroups("");
    show("join");
    ($("code").value ? $("group") : $("code")).focus();
  }
  function joinError(text, badCode) {
    $("join-error").textContent = text;
    if (badCode) { $("code").setAttribute("aria-invalid", "true"); $("code").focus(); }
  }
  async function join(ev) {
    ev.preventDefault();
    const button = $("join-button");
    if (button.disabled) return;
    const code = $("code").value.trim().toUpperCase();
    $("code").removeAttribute("aria-invalid");
    if (!code) { joinError("Enter the code shown on the screen.", true); return; }
    $("join-error").textContent = "";
    button.disabled = true;
    try {
      const r = await api("/api/join", { code, group: $("group").value });
      if (!r.data.ok) { joinError(message(r.data.error, "Could not join."), r.status === 403); return; }
      focusAfterJoin = true;
      await start();
    } catch (e) {
      joinError("Cannot reach the laptop. Check you are on the room's Wi-Fi.", false);
    } finally { button.disabled = false; }
  }

  // ---- following the room -----------------------------------------------------------------
  async function start() {
    clearTimeout(retryTimer);
    let r = null;
    try { r = await api("/api/state"); } catch (e) { /* offline: retried below */ }
    if (!r || r.status === 429 || r.status >= 500) {
      conn(false, "Offline — retrying…");
      if (r) notice(r.data.error);
      retryTimer = setTimeout(start, (r && r.wait) || backoff(failures++, 1000, 30000));
      return;
    }
    groups = Array.isArray(r.data.groups) ? r.data.groups : [];
    if (!r.data.joined) { showJoin((new URLSearchParams(location.search).get("c") || "").toUpperCase()); return; }
    joined = true;
    render(r.data);
    listen();
  }

  function stopStream() { const s = stream; stream = null; clearTimeout(retryTimer); if (s) s.abort(); }
  // The event stream is read with fetch rather than EventSource: it shows the server's reason when
  // a stream is refused, sees the pings (a dead Wi-Fi link is noticed), and reconnects on our
  // schedule with jitter instead of the browser's fixed delay.
  async function listen() {
    stopStream();
    const ctl = new AbortController();
    stream = ctl;
    lastData = Date.now();
    let wait = 0;
    let why = "";
    try {
      const res = await fetch("/api/events", { credentials: "same-origin", cache: "no-store", signal: ctl.signal,
        headers: { Accept: "text/event-stream" } });
      if (res.status === 401) { if (stream === ctl) { stream = null; start(); } return; }
      if (!res.ok || !res.body) {
        wait = retryAfter(res);
        try { why = message((await res.json()).error, ""); } catch (e) { /* no reason given */ }
        throw new Error("refused");
      }
      conn(true, "Connected");
      notice("");
      failures = 0;
      flush();  // connected: what this phone holds goes now, not at the next question or reveal
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done || stream !== ctl) break;
        lastData = Date.now();
        if (holding() && !sending) flush();  // a ping too: a connected phone that gave up tries again
        buf += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
        let cut;
        while ((cut = buf.indexOf("\n\n")) >= 0) { frame(buf.slice(0, cut)); buf = buf.slice(cut + 2); }
        if (buf.length > 262144) break; // no honest frame is this large: drop it and reconnect
      }
      ctl.abort();
    } catch (e) { /* a drop: reconnect below */ }
    if (stream !== ctl) return; // replaced or stopped on purpose
    stream = null;
    conn(false, "Reconnecting…");
    notice(why);
    // A phone holding an answer looks for the laptop more often, so it goes within seconds of
    // voting starting again (still spread at random, so a room does not return in one instant).
    retryTimer = setTimeout(listen, wait || backoff(failures++, 1000, holding() ? 4000 : 30000));
  }
  function frame(text) {
    const data = text.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).replace(/^ /, "")).join("\n");
    if (!data) return; // a ping
    let snap;
    try { snap = JSON.parse(data); } catch (e) { return; } // ignore a bad frame
    render(snap);
  }
  function reconnectSoon() {
    // Back from the lock screen or a Wi-Fi gap: catch up now (with a little jitter), not after the backoff.
    if (!joined || document.visibilityState === "hidden") return;
    flush();
    if (stream && Date.now() - lastData < 20000) return;
    stopStream();
    failures = 0;
    retryTimer = setTimeout(listen, Math.random() * 1000);
  }
  setInterval(() => {
    if (stream && Date.now() - lastData > STALE_MS) { stopStream(); conn(false, "Reconnecting…"); retryTimer = setTimeout(listen, backoff(failures++, 1000, 30000)); }
  }, 5000);

  function render(snap) {
    if (!snap || typeof snap !== "object") return;
    // The room's state this page last drew (a page's tests wait on it rather than on a clock).
    if (typeof snap.version === "number") document.documentElement.dataset.version = String(snap.version);
    // Another workshop, or a new sitting: what the phone kept for the last is forgotten, and a
    // question on screen is built again from this sitting's memory (none), never shown as answered.
    if (vbpMemory.serve(snap.workshop, snap.sitting)) current = null;
    const p = snap.poll;
    if (p && typeof p === "object") {
      if (!current || current.id !== p.id || current.round !== p.round) build(p);
      flush();
      return;
    }
    current = null;
    flush();
    const closed = !!snap.closed_poll;
    const title = closed ? "Voting has closed" : "You're in";
    const shown = [title, snap.closed_poll, snap.result ? message(snap.result.headline, "-") : ""].join(":");
    $("wait-title").textContent = title;
    $("wait-text").textContent = closed ? "Thank you. The next question will appear here." :
      "Waiting for the facilitator to open a question…";
    showResult(snap.result);
    show("wait");
    if (shown !== waitShown) {
      waitShown = shown;
      if (!focusAfterJoin) announce(snap.result ? "Results: " + message(snap.result.headline, "") : title);
    }
    landFocus($("wait-title"), focusAfterJoin);
    focusAfterJoin = false;
  }

  function showResult(result) {
    const box = $("result");
    box.textContent = "";
    box.hidden = !result;
    if (!result) return;
    box.appendChild(el("h2", {}, "Results: " + message(result.headline, "")));
    const n = Number(result.respondents);
    box.appendChild(el("p", { class: "muted" }, n + (n === 1 ? " answer" : " answers")));
    // Each figure sits on its own line's end and never wraps: a long label wraps beside it.
    for (const [label, pct] of result.bars || []) {
      const bar = el("div", { class: "bar" });
      const track = el("div", { class: "track" });
      const fill = el("div", { class: "fill" });
      fill.style.width = Math.max(0, Math.min(100, Number(pct) || 0)) + "%";
      track.appendChild(fill); bar.appendChild(figureRow(label, Math.round(pct) + "%")); bar.appendChild(track); box.appendChild(bar);
    }
    for (const [label, pt] of result.points || []) {
      if (pt) box.appendChild(figureRow(label, Number(pt[0]).toFixed(1) + " / " + Number(pt[1]).toFixed(1)));
    }
    for (const [word, n] of result.words || []) box.appendChild(figureRow(word, "(" + n + ")"));
  }
  function figureRow(label, figure) {
    const row = el("div", { class: "result-row" });
    row.appendChild(el("span", { class: "label" }, String(label)));
    row.appendChild(el("span", { class: "figure" }, figure));
    return row;
  }

  // ---- building the answer form for each kind ------------------------------------------------------
  function build(p) {
    current = p;
    waitShown = "";
    const saved = load(key(p));
    const pending = load(pendingKey(p));
    answer = pending && pending.draft !== undefined ? pending.draft : saved;
    show("poll");
    $("question").textContent = p.question;
    $("poll-meta").textContent = (p.round > 1 ? "Round " + p.round + " — vote again · " : "") + (p.privacy || "");
    const form = $("answer");
    form.textContent = "";
    // A consent poll: the statement the room is asked to consent to, above the answer.
    if (typeof p.statement === "string" && p.statement) form.appendChild(el("blockquote", { class: "statement", id: "statement" }, p.statement));
    problem = "";
    const kinds = { single, multiple, agreement, scale: scaleKind, fist: scaleKind, ranking, points,
      matrix: pairs, importance: pairs, text, number: numberKind };
    (kinds[p.kind] || (() => {}))(p, form);
    status(saved !== null ? "Your answer is recorded. You can change it while voting is open." : "", saved !== null ? "ok" : "");
    $("send").textContent = saved !== null ? "Change my answer" : "Send answer";
    $("send").disabled = sending === pendingKey(p);
    if (!focusAfterJoin) announce("New question: " + p.question);
    landFocus($("question"), focusAfterJoin);
    focusAfterJoin = false;
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
  // A row of toggle buttons. Each name starts with its visible number (WCAG 2.5.3), then the words.
  function buttons(values, labels, selected, onPick, name) {
    const row = el("div", { class: "scale", role: "group", "aria-label": name });
    values.forEach((v, i) => {
      const attrs = { type: "button", "aria-pressed": String(selected === v) };
      if (labels) attrs["aria-label"] = v + " — " + labels[i];
      const b = el("button", attrs, String(v));
      b.addEventListener("click", () => {
        for (const x of row.children) x.setAttribute("aria-pressed", "false");
        b.setAttribute("aria-pressed", "true");
        onPick(v);
      });
      row.appendChild(b);
    });
    return row;
  }
  function ends(a, b) { const e = el("div", { class: "scale-ends", "aria-hidden": "true" }); e.appendChild(el("span", {}, a)); e.appendChild(el("span", {}, b)); return e; }
  function range(lo, hi) { const r = []; for (let v = lo; v <= hi; v++) r.push(v); return r; }
  function agreement(p, form) {
    answer = answer && typeof answer === "object" ? answer : {};
    p.options.forEach((o, i) => {
      const box = el("div", { class: "item" });
      box.appendChild(el("div", { class: "item-title" }, o));
      box.appendChild(buttons([1, 2, 3, 4, 5], AGREE, answer[i], (v) => { answer[i] = v; }, o));
      box.appendChild(ends("1 Strongly disagree", "5 Strongly agree"));
      form.appendChild(box);
    });
  }
  function scaleKind(p, form) {
    const fist = p.kind === "fist";
    form.appendChild(buttons(range(p.min, p.max), fist ? FIST : null, answer, (v) => { answer = v; }, p.question));
    form.appendChild(ends(fist ? "0 block" : String(p.min), fist ? "5 full support" : String(p.max)));
    if (fist) form.appendChild(el("p", { class: "fist-help" }, "3 or more means you can support it. Below 3: say what would change your mind."));
  }
  function ranking(p, form) {
    const order = Array.isArray(answer) && answer.length === p.options.length ? answer.slice() : p.options.map((_, i) => i);
    answer = order.slice();
    form.appendChild(el("p", { class: "muted" }, "Move your top choice to the top. Use the arrows."));
    const list = el("ol", { class: "ranklist" });
    form.appendChild(list);
    function move(pos, to) {
      [order[to], order[pos]] = [order[pos], order[to]];
      answer = order.slice();
      draw(to, to < pos ? "up" : "down");
      announce(p.options[order[to]] + " moved to position " + (to + 1) + " of " + order.length);
    }
    function draw(focusIdx, dir) {
      list.textContent = "";
      order.forEach((opt, pos) => {
        const li = el("li", { class: "rank" });
        li.appendChild(el("span", { class: "pos", "aria-hidden": "true" }, String(pos + 1)));
        li.appendChild(el("span", { class: "label" }, p.options[opt]));
        const up = el("button", { type: "button", "aria-label": "Move up: " + p.options[opt] }, "↑");
        const down = el("button", { type: "button", "aria-label": "Move down: " + p.options[opt] }, "↓");
        up.disabled = pos === 0; down.disabled = pos === order.length - 1;
        up.addEventListener("click", () => move(pos, pos - 1));
        down.addEventListener("click", () => move(pos, pos + 1));
        li.appendChild(up); li.appendChild(down); list.appendChild(li);
        if (pos === focusIdx) (dir === "up" && !up.disabled ? up : down.disabled ? up : down).focus();
      });
    }
    draw(-1);
  }
  function points(p, form) {
    answer = answer && typeof answer === "object" ? answer : {};
    const budget = el("div", { class: "budget" });
    form.appendChild(budget);
    const used = () => Object.values(answer).reduce((a, b) => a + b, 0);
    const left = () => p.budget - used();
    const update = () => {
      budget.textContent = left() >= 0 ? left() + " of " + p.budget + " points left" : "Over budget by " + (-left());
      budget.classList.toggle("over", left() < 0);
    };
    p.options.forEach((o, i) => {
      const row = el("div", { class: "item points" });
      row.appendChild(el("span", { class: "label" }, o));
      const stepper = el("span", { class: "stepper" });
      const minus = el("button", { type: "button", "aria-label": "One point less: " + o }, "−");
      const out = el("output", { "aria-label": "Points for " + o }, String(answer[i] || 0));
      const plus = el("button", { type: "button", "aria-label": "One point more: " + o }, "+");
      const changed = () => { out.textContent = String(answer[i] || 0); update(); announce(o + ": " + (answer[i] || 0) + " points. " + left() + " of " + p.budget + " left."); };
      minus.addEventListener("click", () => { if ((answer[i] || 0) > 0) { answer[i] = (answer[i] || 0) - 1; if (!answer[i]) delete answer[i]; changed(); } });
      plus.addEventListener("click", () => { if (used() < p.budget) { answer[i] = (answer[i] || 0) + 1; changed(); } else status("No points left: take one from another option.", "bad"); });
      stepper.appendChild(minus); stepper.appendChild(out); stepper.appendChild(plus);
      row.appendChild(stepper); form.appendChild(row);
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
      box.appendChild(ends(p.min + " low", p.max + " high"));
      form.appendChild(box);
    });
  }
  function text(p, form) {
    const lab = el("label", { for: "text-answer" }, "Your answer");
    const area = el("textarea", { id: "text-answer", maxlength: "280", "aria-describedby": "text-counter" });
    area.value = typeof answer === "string" ? answer : "";
    const counter = el("div", { class: "counter", id: "text-counter" }, area.value.length + " / 280 characters");
    area.addEventListener("input", () => { answer = area.value; counter.textContent = area.value.length + " / 280 characters"; });
    form.appendChild(lab); form.appendChild(area); form.appendChild(counter);
  }

  // A numeric estimate, typed: checked here as the laptop checks it (and the laptop checks again).
  function numberKind(p, form) {
    const unit = typeof p.unit === "string" ? p.unit : "";
    const lab = el("label", { for: "number-answer" }, "Your estimate" + (unit ? " (" + unit + ")" : ""));
    const input = el("input", { id: "number-answer", type: "text", inputmode: "decimal", autocomplete: "off",
      "aria-describedby": "number-help number-error" });
    const help = el("p", { class: "muted", id: "number-help" },
      "A number from " + p.min + " to " + p.max + (unit ? " " + unit : "") + ", with at most one decimal place.");
    const error = el("p", { class: "error", id: "number-error" });
    input.value = typeof answer === "number" ? String(answer) : "";
    const check = () => {
      const typed = input.value.trim();
      const [value, why] = readNumber(typed, p.min, p.max);
      answer = why ? null : value;
      problem = typed ? why : "";
      input.setAttribute("aria-invalid", problem ? "true" : "false");
      error.textContent = problem;
    };
    input.addEventListener("input", check);
    // Enter sends the answer (and never reloads the page by submitting the form).
    input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); check(); send(); } });
    form.appendChild(lab); form.appendChild(input); form.appendChild(help); form.appendChild(error);
    if (input.value) check();
  }
  function readNumber(typed, lo, hi) {
    // "12,5" where a comma is the decimal mark; a typographic minus as a hyphen.
    const t = typed.replace(",", ".").replace("\u2212", "-");
    if (/^-?\d+\.\d{2,}$/.test(t)) return [null, "Use at most one decimal place."];
    if (!/^-?\d+(\.\d)?$/.test(t)) return [null, "Enter a number, like 12 or 12.5."];
    const v = Number(t);
    if (!Number.isFinite(v) || v < lo || v > hi) return [null, "Enter a number from " + lo + " to " + hi + "."];
    return [v, ""];
  }

  function complete(p, a) {
    if (p.kind === "single" || p.kind === "scale" || p.kind === "fist" || p.kind === "number") return typeof a === "number";
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

  // ---- sending: every ballot keeps one id until the laptop acknowledges it ---------------------------
  function send() {
    const p = current;
    if (!p || sending === pendingKey(p)) return;
    if (!complete(p, answer)) { status(problem || "Answer first, then send.", "bad"); return; }
    const cleaned = clean(p, answer);
    const old = load(pendingKey(p));
    // The same answer re-sent keeps its id, so a ballot whose acknowledgement was lost counts once.
    const ballot = old && JSON.stringify(old.answer) === JSON.stringify(cleaned) ? old :
      { uid: uid(), answer: cleaned, draft: JSON.parse(JSON.stringify(answer)) };
    store(pendingKey(p), ballot);
    deliver(p, ballot);
  }
  // Is an answer for this workshop's sitting still waiting for the laptop's acknowledgement?
  function holding() { return joined && vbpMemory.names("pending:").length > 0; }
  function flush() {
    // On every (re)connection, every state and every ping: each answer still waiting for its
    // acknowledgement goes again (same id) to the workshop, poll and round it was given for.
    // One already on its way is woken from its wait and tried at once with fresh attempts (the
    // old trigger did nothing while one was on its way, so a phone that reconnected during the
    // last wait showed "Connected" beside "Not sent yet" until the next question or reveal).
    const p = current;
    if (p) {
      const pending = load(pendingKey(p));
      if (pending && typeof pending.uid === "string") {
        if (sending === pendingKey(p)) wakeDelivery(); else deliver(p, pending);
      }
    }
    for (const name of vbpMemory.names("pending:")) {
      const [, id, round] = name.split(":").map(Number);
      if (p && p.id === id && p.round === round) continue;
      // A ballot still unacknowledged when its poll closed (or another question came): the
      // laptop acknowledges it if it was stored (and refuses it if not), so the phone learns
      // what became of it.
      const pending = load(name);
      if (!Number.isInteger(id) || !Number.isInteger(round) || !pending || typeof pending.uid !== "string") continue;
      if (sending === name) wakeDelivery(); else if (!sending) deliver({ id, round }, pending);
    }
  }
  let wake = null;      // ends the delivery's wait between attempts
  let woken = false;    // the connection came back during that wait
  function wakeDelivery() { woken = true; if (wake) wake(); }
  function nap(ms) {
    return new Promise((res) => {
      const done = () => { clearTimeout(t); wake = null; res(); };
      const t = setTimeout(done, ms);
      wake = done;
    });
  }
  async function deliver(p, ballot) {
    const k = pendingKey(p);
    const at = vbpMemory.scope;  // the workshop and sitting this answer was given at, and only those
    sending = k;
    const here = () => current === p;
    if (here()) { $("send").disabled = true; status("Sending…"); }
    const body = Object.assign(vbpMemory.stamp(at), { poll_id: p.id, round: p.round, ballot_id: ballot.uid, answer: ballot.answer });
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        let r = null;
        woken = false;
        try { r = await api("/api/vote", body); } catch (e) { /* network drop: retry below */ }
        if (r && r.data.ok) {
          store(k, null, at);
          store(key(p), ballot.draft !== undefined ? ballot.draft : ballot.answer, at);
          if (here()) { status("✓ Your answer is recorded. You can change it while voting is open.", "ok"); $("send").textContent = "Change my answer"; }
          setTimeout(flush, 0);  // any other answer still held goes next
          return;
        }
        if (r && r.status === 401) { store(k, null, at); if (here()) status(r.data.error, "bad"); setTimeout(start, 1500); return; }
        if (r && r.status !== 408 && r.status !== 429 && r.status < 500) {
          store(k, null, at); // refused for good (closed, invalid, another workshop): sending again would not help
          if (here()) status(r.data.error, "bad");
          return;
        }
        if (here()) status(r ? r.data.error + " Retrying…" : "Sending… (the connection is weak, trying again)");
        if (r && r.wait) await sleep(r.wait);  // the laptop said when: kept to, woken or not
        else if (!woken) await nap(backoff(attempt, 700, 8000));
        if (woken) attempt = -1;  // connected again: at once, and with every attempt still to come
      }
      if (here()) status("Not sent yet: the laptop cannot be reached. It goes as soon as the connection is back.", "bad");
    } finally {
      if (sending === k) sending = "";
      if (here()) $("send").disabled = false;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("join-form").addEventListener("submit", join);
    $("send").addEventListener("click", send);
    $("change-group").addEventListener("click", () => showJoin(""));
    document.addEventListener("visibilitychange", reconnectSoon);
    window.addEventListener("online", reconnectSoon);
    window.addEventListener("pageshow", (e) => { if (e.persisted) reconnectSoon(); });
    start();
  });
})();

// ---- ideas: while the facilitator collects ideas (and no poll is open), send short ideas and +1 others'.
(function () {
  const $ = (id) => document.getElementById(id);
  const POLL_MS = 2500;
  let activity = null;
  let version = -1;
  let shownFor = "";  // the workshop and sitting the board was drawn for
  let sending = false;
  // Kept under the workshop and sitting (vbpMemory): "ideas:sent:<activity>", "ideas:sup:<idea>",
  // "ideas:pending:<activity>": another workshop's idea 3 is not the +1 given here.
  const load = (k, at) => vbpMemory.load(k, at);
  const keep = (k, v, at) => vbpMemory.keep(k, v, at);
  function uid() { const a = new Uint8Array(12); crypto.getRandomValues(a); return Array.from(a, (b) => b.toString(16).padStart(2, "0")).join(""); }
  function say(text, kind) { const s = $("idea-status"); s.textContent = text; s.className = "status " + (kind || ""); }
  async function call(path, body) {
    const res = await fetch(path, { method: body ? "POST" : "GET", credentials: "same-origin", cache: "no-store",
      headers: body ? { "Content-Type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined });
    let data = {};
    try { data = await res.json(); } catch (e) { /* not JSON */ }
    return { status: res.status, data: data && typeof data === "object" ? data : {} };
  }
  const sentKey = () => "ideas:sent:" + activity.id;
  function visible() { return activity && $("join").hidden && $("poll").hidden; }
  function count() {
    const t = $("idea-text"), max = activity ? activity.max_len : 140;
    $("idea-count").textContent = t.value.length + " / " + max + " characters";
    $("idea-count").className = "counter" + (t.value.length > max ? " error" : "");
  }
  function render(snap) {
    const a = snap.activity;
    if (!a) { activity = null; $("ideas").hidden = true; return; }
    const fresh = !activity || activity.id !== a.id;
    activity = a;
    if (fresh) { $("idea-text").value = ""; say(""); }
    $("ideas-prompt").textContent = a.prompt || "Your ideas";
    const sent = load(sentKey()) || 0;
    $("ideas-meta").textContent = "Ideas for: " + a.target + " · you have sent " + sent + " of " + a.max_per_device;
    $("idea-text").maxLength = a.max_len + 50;  // a little over: the counter says what to cut
    count();
    const board = $("ideas-board");
    board.textContent = "";
    $("ideas-board-title").hidden = !(a.supports && snap.ideas.length);
    for (const idea of snap.ideas) {
      const li = document.createElement("li"); li.className = "idea";
      const label = document.createElement("span"); label.className = "label"; label.textContent = idea.text;
      const b = document.createElement("button"); b.type = "button";
      const mine = load("ideas:sup:" + idea.id) === 1;
      b.textContent = "+1 · " + idea.supports; b.setAttribute("aria-pressed", mine ? "true" : "false");
      b.setAttribute("aria-label", "Support: " + idea.text + " (" + idea.supports + " so far)");
      b.disabled = mine;
      b.addEventListener("click", () => support(idea.id, b));
      li.append(label, b); board.appendChild(li);
    }
    $("ideas").hidden = !visible();
    $("wait-text").hidden = !$("ideas").hidden;
  }
  async function refresh() {
    if (!$("join").hidden) { $("ideas").hidden = true; return; }
    try {
      const r = await call("/api/ideas");
      if (r.status === 200) {
        // Another workshop or sitting (its versions count from their own start): forget the
        // last one's count and +1s, and draw the board afresh.
        vbpMemory.serve(r.data.workshop, r.data.sitting);
        if (shownFor !== vbpMemory.scope) { shownFor = vbpMemory.scope; activity = null; version = -1; }
        if (r.data.version !== version) { version = r.data.version; render(r.data); }
      }
      $("ideas").hidden = !visible();
      $("wait-text").hidden = !$("ideas").hidden;  // "waiting for a question" is not true while ideas are asked for
    } catch (e) { /* offline: try again on the next round */ }
  }
  async function support(id, button) {
    button.disabled = true;
    const at = vbpMemory.scope;
    try {
      const r = await call("/api/ideas/support", Object.assign(vbpMemory.stamp(at), { idea_id: id }));
      if (r.data.ok) { keep("ideas:sup:" + id, 1, at); button.setAttribute("aria-pressed", "true"); version = -1; refresh(); }
      else { say(r.data.error || "Not counted.", "bad"); button.disabled = false; }
    } catch (e) { say("Cannot reach the laptop. Try again.", "bad"); button.disabled = false; }
  }
  async function send() {
    if (!activity || sending) return;
    const text = $("idea-text").value.trim();
    if (!text) { say("Type your idea first.", "bad"); return; }
    if (text.length > activity.max_len) { say("Keep it to " + activity.max_len + " characters.", "bad"); return; }
    // One id per idea until the laptop acknowledges it: a retry after a lost answer is stored once.
    const pk = "ideas:pending:" + activity.id;
    const at = vbpMemory.scope;
    const sent = sentKey();
    const old = load(pk);
    const item = old && old.text === text && old.activity === activity.id ? old : { text, uid: uid(), activity: activity.id };
    keep(pk, item);
    sending = true; $("idea-send").disabled = true; say("Sending…");
    try {
      for (let attempt = 0; attempt < 4; attempt++) {
        let r = null;
        try { r = await call("/api/ideas", Object.assign(vbpMemory.stamp(at), { activity_id: item.activity, text: item.text, idea_uid: item.uid })); } catch (e) { /* retry */ }
        if (r && r.data.ok) {
          keep(pk, null, at);
          if (!r.data.duplicate || !old) keep(sent, (load(sent, at) || 0) + 1, at);
          $("idea-text").value = ""; count();
          say("✓ Sent. Thank you — add another if you like.", "ok");
          version = -1; refresh();
          return;
        }
        if (r && r.status < 500 && r.status !== 429 && r.status !== 408) { keep(pk, null, at); say(r.data.error || "Not sent.", "bad"); return; }
        await new Promise((res) => setTimeout(res, 600 + Math.random() * 1500 * (attempt + 1)));
      }
      say("Not sent yet: the laptop cannot be reached. Press Send again in a moment.", "bad");
    } finally { sending = false; $("idea-send").disabled = false; }
  }
  document.addEventListener("DOMContentLoaded", () => {
    $("idea-send").addEventListener("click", send);
    $("idea-text").addEventListener("input", count);
    refresh();
    setInterval(() => { if (!document.hidden) refresh(); }, POLL_MS + Math.random() * 500);
  });
})();
