// The review workstation's page: draws the plan over the source page, sends the reviewer's
// actions, and refreshes what they changed. Plain JavaScript, no library, nothing fetched
// from anywhere but this workstation (the server's Content-Security-Policy enforces it).
"use strict";

(function () {
  const $ = (sel) => document.querySelector(sel);
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const place = (node, box) => {
    node.style.left = box[0] + "%";
    node.style.top = box[1] + "%";
    node.style.width = box[2] + "%";
    node.style.height = box[3] + "%";
  };

  const ws = {
    state: null, // the overview: pages, rules, reasons, history, version
    view: null, // the current page's view
    page: 1,
    mode: "block",
    selected: null, // block id
    pending: null, // a region or span waiting for release/withhold
    run: null, // [first, last] of marked pages
    ruleFilter: null,
    lintTimer: null,
    busy: false,
  };
  window.workstation = ws; // for the tests and the curious

  // ------------------------------------------------------------------ requests

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(url + ": " + response.status);
    return response.json();
  }

  async function postJSON(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body || {}),
    });
    return response.json();
  }

  function say(text, error) {
    const status = $("#status");
    status.textContent = text || "";
    status.title = text || "";
    status.classList.toggle("error", !!error);
  }

  // ------------------------------------------------------------------ the document

  async function loadState() {
    applyState(await getJSON("/api/state"));
  }

  function applyState(state) {
    const first = ws.state === null;
    ws.state = state;
    if (first) buildStrip();
    paintStrip();
    fillReasons();
    fillRules();
    fillLegend();
    $("#undo").disabled = !state.can_undo;
    $("#redo").disabled = !state.can_redo;
    if (state.disk_error) say(state.disk_error, true);
    pollLint();
  }

  function buildStrip() {
    const strip = $("#strip");
    strip.textContent = "";
    for (let n = 1; n <= ws.state.page_count; n++) {
      const a = el("a", "thumb");
      a.dataset.page = n;
      a.title = "page " + n;
      const img = el("img");
      img.loading = "lazy";
      img.alt = "page " + n;
      img.src = "/page/" + n + "/thumb.png";
      a.append(img, el("span", "", String(n)));
      a.addEventListener("click", (event) => {
        if (event.shiftKey) markRun(ws.page, n);
        else goTo(n);
      });
      strip.append(a);
    }
  }

  function paintStrip() {
    const thumbs = $("#strip").children;
    for (let i = 0; i < thumbs.length; i++) {
      const t = thumbs[i];
      const n = i + 1;
      const disposition = ws.state.pages[i];
      t.classList.remove("kept", "withheld", "condensed");
      t.classList.add(disposition);
      t.classList.toggle("current", n === ws.page);
      t.classList.toggle("marked", !!ws.run && n >= ws.run[0] && n <= ws.run[1]);
      t.title = "page " + n + ": " + disposition;
    }
  }

  function fillReasons() {
    const select = $("#reason");
    const before = select.value;
    select.textContent = "";
    select.append(new Option("(no reason)", ""));
    for (const [code, text] of Object.entries(ws.state.reasons)) {
      const option = new Option(code, code);
      option.title = text;
      select.append(option);
    }
    const codes = Object.keys(ws.state.reasons);
    select.value = before && codes.includes(before) ? before : codes[0] || "";
  }

  function fillRules() {
    const table = $("#rules");
    table.textContent = "";
    for (const rule of ws.state.rules) {
      const tr = el("tr", rule.hits === 0 && rule.action !== "condense" ? "zero" : "");
      tr.dataset.rule = rule.id;
      tr.classList.toggle("on", ws.ruleFilter === rule.id);
      const id = el("td", "", rule.id);
      id.title = rule.reason ? "reason: " + rule.reason : "";
      const action = el("td", rule.action, rule.action);
      const level = el("td", "hint", rule.level);
      const hits = el("td", "n", rule.action === "condense" ? "–" : String(rule.hits));
      hits.title = rule.action === "condense" ? "condenses its pages (decides no atom)" : "atoms (words, images) whose verdict this rule decided";
      const cell = el("td");
      const remove = el("button", "x", "×");
      remove.type = "button";
      remove.title = "remove rule " + rule.id;
      remove.addEventListener("click", (event) => {
        event.stopPropagation();
        act({ kind: "remove", rule: rule.id });
      });
      cell.append(remove);
      tr.append(id, action, level, hits, cell);
      tr.addEventListener("click", () => {
        ws.ruleFilter = ws.ruleFilter === rule.id ? null : rule.id;
        fillRules();
        filterBoxes();
      });
      table.append(tr);
    }
  }

  function fillLegend() {
    const list = $("#legend");
    if (list.children.length) return;
    for (const entry of ws.state.legend) {
      const li = el("li");
      li.append(el("span", "sw " + entry.kind), el("span", "", entry.text));
      list.append(li);
    }
  }

  // ------------------------------------------------------------------ one page

  async function goTo(n, keepSelection) {
    n = Math.max(1, Math.min(ws.state.page_count, n));
    if (n !== ws.page) {
      ws.page = n;
      if (!keepSelection) ws.selected = null;
      ws.pending = null;
    }
    history.replaceState(null, "", "#p=" + n);
    paintStrip();
    const thumb = $("#strip").children[n - 1];
    if (thumb) thumb.scrollIntoView({ block: "nearest" });
    await showPage();
  }

  async function showPage() {
    const n = ws.page;
    const view = await getJSON("/api/page/" + n);
    if (n !== ws.page) return; // moved on meanwhile
    ws.view = view;
    $("#pagetitle").textContent =
      "Page " + n + " of " + ws.state.page_count + " · " + view.disposition + (view.disposition === "withheld" ? " (dropped from the extract)" : "");
    const img = $("#page-img");
    const src = "/page/" + n + "/source.png";
    if (img.getAttribute("src") !== src) img.src = src;
    drawOverlay();
    drawLabels();
    inspect();
    await drawExtract(view);
    document.body.dataset.version = String(view.version);
    document.body.dataset.page = String(n);
  }

  function drawOverlay() {
    const overlay = $("#overlay");
    overlay.textContent = "";
    overlay.className = ws.mode === "block" ? "" : "mode-" + ws.mode;
    const view = ws.view;
    // One box on the page per drawing, word run, image and region, tagged with its rule.
    const mark = (cls, item, title) => {
      const box = el("div", cls);
      box.dataset.rule = item.rule;
      if (title) box.title = title;
      place(box, item.box);
      overlay.append(box);
    };
    for (const d of view.drawings) mark("art " + d.kind, d);
    for (const block of view.blocks) {
      for (const seg of block.segments) mark("seg " + seg.kind, seg);
    }
    for (const image of view.images) mark("img " + image.kind, image, image.label);
    for (const region of view.regions) {
      mark("region " + region.action, region, region.action + " region · " + region.rule);
    }
    for (const block of view.blocks) {
      const box = el("div", "blk " + block.state);
      box.dataset.block = block.id;
      box.dataset.rules = block.labels.map((l) => l.rule).join(" ");
      box.title = block.labels.map((l) => l.text).join("\n");
      box.classList.toggle("selected", block.id === ws.selected);
      place(box, block.box);
      box.addEventListener("click", (event) => {
        if (ws.mode !== "block") return;
        event.stopPropagation();
        select(block.id);
      });
      box.addEventListener("mouseenter", () => hot(block.id, true));
      box.addEventListener("mouseleave", () => hot(block.id, false));
      overlay.append(box);
    }
    filterBoxes();
  }

  function drawLabels() {
    const column = $("#labels");
    column.textContent = "";
    const view = ws.view;
    const sheetHeight = $("#sheet").getBoundingClientRect().height || 800;
    const wanted = [];
    for (const block of view.blocks) {
      for (const label of block.labels) wanted.push({ top: block.box[1], kind: label.kind, text: label.text, block: block.id, rule: label.rule });
    }
    for (const image of view.images) wanted.push({ top: image.box[1], kind: image.kind, text: image.label, rule: image.rule });
    for (const group of view.art_labels) wanted.push({ top: group.top, kind: group.kind, text: group.label, rule: group.rule });
    for (const region of view.regions) wanted.push({ top: region.box[1], kind: "region", text: region.action + " region · " + region.rule, rule: region.rule });
    wanted.sort((a, b) => a.top - b.top);
    let next = 0;
    for (const item of wanted) {
      const y = Math.max((item.top / 100) * sheetHeight, next);
      const label = el("div", "lbl " + item.kind, item.text);
      label.style.top = y + "px";
      label.title = item.text;
      label.dataset.rule = item.rule;
      if (item.block !== undefined) {
        label.dataset.block = item.block;
        label.classList.toggle("selected", item.block === ws.selected);
        label.addEventListener("click", () => select(item.block));
        label.addEventListener("mouseenter", () => hot(item.block, true));
        label.addEventListener("mouseleave", () => hot(item.block, false));
      }
      column.append(label);
      next = y + label.offsetHeight + 1;
    }
    column.style.height = Math.max(next, sheetHeight) + "px";
  }

  function hot(blockId, on) {
    document.querySelectorAll('[data-block="' + blockId + '"]').forEach((node) => node.classList.toggle("hot", on));
  }

  function filterBoxes() {
    const rule = ws.ruleFilter;
    document.querySelectorAll("#overlay > *, #labels > .lbl").forEach((node) => {
      const rules = (node.dataset.rules || node.dataset.rule || "").split(" ");
      node.classList.toggle("dim", !!rule && !rules.includes(rule));
    });
  }

  async function drawExtract(view) {
    const body = $("#extract-body");
    const extract = view.extract;
    const fresh = [];
    if (extract.kind === "placeholder") {
      const note = el("div", "placeholder", extract.text);
      note.title = extract.inline ? "withheld run shown as the inline placeholder" : "withheld pages, one note in the extract";
      fresh.push(note);
    } else if (extract.kind === "none") {
      fresh.push(el("div", "placeholder", "not in the extract"));
    } else {
      const count = (await getJSON("/api/page/" + view.number + "/extract")).count;
      const loads = [];
      for (let i = 0; i < count; i++) {
        const img = el("img");
        img.alt = "extract page showing source page " + view.number;
        loads.push(new Promise((resolve) => { img.onload = resolve; img.onerror = resolve; }));
        img.src = "/page/" + view.number + "/extract/" + i + ".png?v=" + view.version;
        fresh.push(img);
      }
      await Promise.all(loads);
      if (extract.kind === "condensed") fresh.unshift(el("p", "hint", "Pages " + extract.first + "–" + extract.last + " condensed: " + extract.text));
    }
    if (view.number !== ws.page) return;
    body.replaceChildren(...fresh);
    body.dataset.version = String(view.version);
  }

  // ------------------------------------------------------------------ selection and the inspector

  function select(blockId) {
    ws.selected = blockId;
    ws.pending = null;
    clearPicks();
    document.querySelectorAll(".blk, .lbl").forEach((node) => node.classList.toggle("selected", Number(node.dataset.block) === blockId && node.dataset.block !== undefined));
    inspect();
  }

  function reasonSelect(current) {
    const select = el("select");
    select.append(new Option("(no reason)", ""));
    for (const code of Object.keys(ws.state.reasons)) select.append(new Option(code, code));
    select.value = current || "";
    return select;
  }

  function actionButtons(send, what) {
    const row = el("div");
    const release = el("button", "act-release", "Release" + (what ? " " + what : ""));
    release.type = "button";
    release.id = "do-release";
    release.addEventListener("click", () => send("release"));
    const withhold = el("button", "act-withhold", "Withhold" + (what ? " " + what : ""));
    withhold.type = "button";
    withhold.id = "do-withhold";
    withhold.addEventListener("click", () => send("withhold"));
    row.append(release, withhold);
    return row;
  }

  function inspect() {
    const body = $("#inspect-body");
    body.textContent = "";
    body.className = "";
    if (ws.pending) {
      const p = ws.pending;
      if (p.kind === "region") {
        body.append(el("p", "", "Region on page " + p.page + ": everything inside the rectangle (text, images, line art)."));
      } else {
        body.append(el("p", "", "Words on page " + p.page + ":"), el("div", "excerpt", p.text));
      }
      body.append(actionButtons((action) => act({ ...p.request, action, reason: reasonFor(action) })));
      const cancel = el("button", "", "Cancel");
      cancel.type = "button";
      cancel.addEventListener("click", () => { ws.pending = null; clearPicks(); inspect(); });
      body.append(cancel);
      return;
    }
    const block = ws.view && ws.view.blocks.find((b) => b.id === ws.selected);
    if (!block) {
      body.className = "hint";
      body.textContent = ws.mode === "block" ? "Click a block on the page." : ws.mode === "region" ? "Drag a rectangle on the page." : "Drag across words on the page.";
      return;
    }
    body.append(el("div", "excerpt", block.excerpt));
    const list = el("ul");
    for (const label of block.labels) list.append(el("li", "", label.text));
    body.append(list);
    body.append(actionButtons((action) => act({ kind: "block", block: block.id, action, reason: reasonFor(action) }), "block"));
    const rules = new Map(ws.state.rules.map((r) => [r.id, r]));
    for (const label of block.labels) {
      const rule = rules.get(label.rule);
      if (!rule || rule.action !== "withhold") continue;
      const row = el("div", "change-reason");
      row.append(el("span", "", "Reason of " + rule.id + ": "));
      const select = reasonSelect(rule.reason);
      select.dataset.rule = rule.id;
      select.addEventListener("change", () => act({ kind: "reason", rule: rule.id, reason: select.value }));
      row.append(select);
      body.append(row);
    }
  }

  function reasonFor(action) {
    return action === "withhold" ? $("#reason").value || null : null;
  }

  // ------------------------------------------------------------------ drags: regions and words

  let drag = null;

  function fractions(event) {
    const r = $("#overlay").getBoundingClientRect();
    return [Math.min(1, Math.max(0, (event.clientX - r.left) / r.width)), Math.min(1, Math.max(0, (event.clientY - r.top) / r.height))];
  }

  $("#overlay").addEventListener("mousedown", (event) => {
    if (ws.mode === "block" || event.button !== 0) return;
    event.preventDefault();
    clearPicks();
    drag = { start: fractions(event), box: el("div", "drag") };
    $("#overlay").append(drag.box);
  });

  window.addEventListener("mousemove", (event) => {
    if (!drag) return;
    const [x, y] = fractions(event);
    const [x0, y0] = drag.start;
    drag.rect = [Math.min(x0, x), Math.min(y0, y), Math.max(x0, x), Math.max(y0, y)];
    place(drag.box, [drag.rect[0] * 100, drag.rect[1] * 100, (drag.rect[2] - drag.rect[0]) * 100, (drag.rect[3] - drag.rect[1]) * 100]);
  });

  window.addEventListener("mouseup", async () => {
    if (!drag) return;
    const done = drag;
    drag = null;
    if (!done.rect || done.rect[2] - done.rect[0] < 0.003 || done.rect[3] - done.rect[1] < 0.003) {
      done.box.remove();
      return;
    }
    const page = ws.page;
    if (ws.mode === "region") {
      ws.pending = { kind: "region", page, request: { kind: "region", page, rect: done.rect } };
      ws.selected = null;
      inspect();
      return;
    }
    done.box.remove();
    const [x0, y0, x1, y1] = done.rect;
    const found = await getJSON("/api/words/" + page + "?x0=" + x0 + "&y0=" + y0 + "&x1=" + x1 + "&y1=" + y1);
    if (!found.span) {
      say("no words there.");
      return;
    }
    const span = found.span;
    for (const box of span.boxes) {
      const pick = el("div", "pick");
      place(pick, box);
      $("#overlay").append(pick);
    }
    ws.pending = { kind: "span", page, text: span.text, request: { kind: "span", block: span.block, first: span.first, last: span.last } };
    ws.selected = null;
    inspect();
  });

  function clearPicks() {
    document.querySelectorAll("#overlay .drag, #overlay .pick").forEach((node) => node.remove());
  }

  function setMode(mode) {
    ws.mode = mode;
    ws.pending = null;
    clearPicks();
    document.querySelectorAll("#bar .mode").forEach((b) => b.classList.toggle("on", b.dataset.mode === mode));
    $("#overlay").className = mode === "block" ? "" : "mode-" + mode;
    inspect();
  }

  document.querySelectorAll("#bar .mode").forEach((button) => button.addEventListener("click", () => setMode(button.dataset.mode)));

  // ------------------------------------------------------------------ runs of pages

  function markRun(a, b) {
    ws.run = [Math.min(a, b), Math.max(a, b)];
    paintStrip();
    const box = $("#run-box");
    box.hidden = false;
    const body = $("#run-body");
    body.textContent = "";
    const [first, last] = ws.run;
    body.append(el("p", "", first === last ? "Page " + first : "Pages " + first + "–" + last));
    const row = actionButtons((action) => act({ kind: "pages", first, last, action, reason: reasonFor(action) }), "pages");
    const condense = el("button", "", "Condense pages");
    condense.type = "button";
    condense.addEventListener("click", () => act({ kind: "pages", first, last, action: "condense" }));
    const clear = el("button", "", "Clear");
    clear.type = "button";
    clear.addEventListener("click", clearRun);
    row.append(condense, clear);
    body.append(row);
  }

  function clearRun() {
    ws.run = null;
    $("#run-box").hidden = true;
    paintStrip();
  }

  // ------------------------------------------------------------------ search

  let lastSearch = null;

  $("#search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await runSearch();
  });

  async function runSearch() {
    const query = $("#q").value;
    const ignoreCase = $("#ignore-case").checked;
    const body = $("#search-body");
    body.textContent = "";
    if (!query.trim()) return;
    const found = await getJSON("/api/search?q=" + encodeURIComponent(query) + "&ignore_case=" + (ignoreCase ? 1 : 0));
    lastSearch = { query, ignoreCase };
    body.append(el("p", "", found.count + " occurrence" + (found.count === 1 ? "" : "s") + (found.count > found.occurrences.length ? " (first " + found.occurrences.length + " listed)" : "")));
    if (!found.count) return;
    body.append(actionButtons((action) => act({ kind: "search", query, ignore_case: ignoreCase, action, reason: reasonFor(action) }), "all"));
    const list = el("ol");
    for (const o of found.occurrences) {
      const li = el("li", o.withheld ? "withheld" : "", "p. " + o.page + ": …" + o.excerpt + "…");
      li.title = o.withheld ? "withheld now" : "released now";
      li.addEventListener("click", async () => { await goTo(o.page); select(o.block); });
      list.append(li);
    }
    body.append(list);
  }

  // ------------------------------------------------------------------ actions

  async function act(request) {
    if (ws.busy) return;
    ws.busy = true;
    document.body.classList.add("busy");
    say("working…");
    const started = performance.now();
    try {
      const result = await postJSON("/api/action", request);
      if (result.rules) applyState(result);
      if (!result.ok) {
        say(result.message, true);
        return;
      }
      ws.pending = null;
      clearPicks();
      await showPage();
      if (lastSearch && request.kind === "search") await runSearch();
      const ms = Math.round(performance.now() - started);
      say(result.message + " (" + ms + " ms)");
      document.body.dataset.lastAction = String(ms);
    } catch (error) {
      say(String(error), true);
    } finally {
      ws.busy = false;
      document.body.classList.remove("busy");
    }
  }

  $("#undo").addEventListener("click", () => act({ kind: "undo" }));
  $("#redo").addEventListener("click", () => act({ kind: "redo" }));
  $("#prev").addEventListener("click", () => goTo(ws.page - 1));
  $("#next").addEventListener("click", () => goTo(ws.page + 1));

  // ------------------------------------------------------------------ lint, live

  async function pollLint() {
    clearTimeout(ws.lintTimer);
    const status = await getJSON("/api/lint");
    const body = $("#lint-body");
    body.textContent = "";
    if (status.failure) body.append(el("div", "finding error", status.failure));
    if (status.version === null) {
      body.append(el("div", "hint", "checking…"));
    } else if (!status.findings.length && !status.failure) {
      body.append(el("div", "clean", status.pending ? "no findings (checking the last change…)" : "no findings"));
    } else {
      if (status.pending) body.append(el("div", "hint", "checking the last change…"));
      for (const f of status.findings) {
        const row = el("div", "finding " + f.severity, (f.line ? "line " + f.line + ": " : "") + f.severity + (f.rule ? " [" + f.rule + "]" : "") + ": " + f.message);
        row.title = f.hint;
        body.append(row);
      }
    }
    body.dataset.version = status.version === null ? "" : String(status.version);
    body.dataset.pending = String(status.pending);
    if (status.pending) ws.lintTimer = setTimeout(pollLint, 600);
  }

  // ------------------------------------------------------------------ apply

  $("#apply").addEventListener("click", async () => {
    const out = $("#apply-result");
    out.className = "";
    out.textContent = "writing and verifying…";
    $("#apply").disabled = true;
    try {
      const result = await postJSON("/api/apply", {});
      out.className = result.ok ? "ok" : "failed";
      out.textContent = result.message + " (" + result.seconds + " s)";
    } catch (error) {
      out.className = "failed";
      out.textContent = String(error);
    } finally {
      $("#apply").disabled = false;
    }
  });

  // ------------------------------------------------------------------ keyboard

  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest && event.target.closest("input, select, textarea");
    if (typing) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    const key = event.key;
    const ctrl = event.ctrlKey || event.metaKey;
    if (ctrl && (key === "z" || key === "Z")) {
      event.preventDefault();
      act({ kind: event.shiftKey ? "redo" : "undo" });
      return;
    }
    if (ctrl && key === "y") {
      event.preventDefault();
      act({ kind: "redo" });
      return;
    }
    if (ctrl || event.altKey) return;
    const handled = {
      j: () => goTo(ws.page + 1),
      ArrowRight: () => goTo(ws.page + 1),
      PageDown: () => goTo(ws.page + 1),
      k: () => goTo(ws.page - 1),
      ArrowLeft: () => goTo(ws.page - 1),
      PageUp: () => goTo(ws.page - 1),
      Home: () => goTo(1),
      End: () => goTo(ws.state.page_count),
      r: () => ws.selected !== null && act({ kind: "block", block: ws.selected, action: "release" }),
      w: () => ws.selected !== null && act({ kind: "block", block: ws.selected, action: "withhold", reason: reasonFor("withhold") }),
      u: () => act({ kind: "undo" }),
      U: () => act({ kind: "redo" }),
      "/": () => $("#q").focus(),
      b: () => setMode("block"),
      g: () => setMode("region"),
      t: () => setMode("words"),
      Escape: () => { setMode("block"); select(null); clearRun(); },
      ArrowDown: () => stepBlock(+1),
      ArrowUp: () => stepBlock(-1),
    }[key];
    if (handled) {
      event.preventDefault();
      handled();
    }
  });

  function stepBlock(by) {
    if (!ws.view || !ws.view.blocks.length) return;
    const ids = ws.view.blocks.map((b) => b.id);
    const at = ids.indexOf(ws.selected);
    const next = at < 0 ? (by > 0 ? 0 : ids.length - 1) : Math.max(0, Math.min(ids.length - 1, at + by));
    select(ids[next]);
  }

  window.addEventListener("resize", () => ws.view && drawLabels());
  $("#page-img").addEventListener("load", () => ws.view && drawLabels());

  // ------------------------------------------------------------------ start

  (async function start() {
    await loadState();
    const match = /p=(\d+)/.exec(location.hash);
    ws.page = match ? Number(match[1]) : 1;
    await goTo(ws.page);
    document.body.dataset.ready = "1";
  })().catch((error) => say(String(error), true));
})();
