// The Sluice dashboard: plain JS, no build step. Polls the REST API every second with the token kept in
// sessionStorage (asked once per browser session).
"use strict";
const POLL_MS = 1000;
let timer = null;
const $ = id => document.getElementById(id);
const token = () => sessionStorage.getItem("sluice-token");

async function api(path, options = {}) {
  const headers = Object.assign({"Authorization": "Bearer " + token()}, options.headers || {});
  const r = await fetch(path, Object.assign({}, options, {headers}));
  if (r.status === 401) { sessionStorage.removeItem("sluice-token"); show("login"); throw new Error("token refused"); }
  const body = await r.json();
  if (!r.ok) throw new Error(body.message || ("HTTP " + r.status));
  return body;
}

function show(section) {
  for (const s of ["login", "overview", "job"]) $(s).hidden = s !== section;
}

function cell(row, text) { const td = document.createElement("td"); td.textContent = text; row.appendChild(td); return td; }
function fill(tableId, rows, render) {
  const body = $(tableId).querySelector("tbody");
  body.replaceChildren();
  for (const r of rows) { const tr = document.createElement("tr"); render(tr, r); body.appendChild(tr); }
}
function wm(w) { return w === null || w === undefined ? "-" : String(w); }

async function overview() {
  const o = await api("/v1/overview");
  $("cluster").textContent = `version ${o.version}, ${o.workers} worker(s), ${o.slots} slot(s), jobs ` + JSON.stringify(o.jobs);
  const jobs = (await api("/v1/jobs")).jobs;
  fill("jobs", jobs, (tr, j) => {
    const a = document.createElement("a"); a.href = "#job/" + j.id; a.textContent = j.id;
    cell(tr, "").appendChild(a);
    cell(tr, j.name); cell(tr, j.state); cell(tr, j.parallelism); cell(tr, j.restarts);
    cell(tr, (j.durationMillis / 1000).toFixed(0) + " s");
  });
}

const SVG = "http://www.w3.org/2000/svg";
function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  parent.appendChild(e);
  return e;
}

// The DAG's layout: columns by longest path from a source, wrapped into bands of at most BAND_COLUMNS columns (a
// chain of 200 operators is 200 columns: wrapped, the page scrolls down rather than 40,000 px to the right).
const BAND_COLUMNS = 7, COLUMN = 190, ROW = 62;
function layout(job) {
  const level = {}, incoming = {};
  for (const v of job.vertices) { level[v.id] = 0; incoming[v.id] = []; }
  for (const e of job.edges) if (incoming[e.target]) incoming[e.target].push(e.source);
  const order = topological(job.vertices, job.edges);
  for (const id of order) for (const from of incoming[id]) level[id] = Math.max(level[id], level[from] + 1);
  const rows = {};
  for (const v of job.vertices) rows[level[v.id]] = (rows[level[v.id]] || 0) + 1;
  const levels = Math.max(0, ...Object.values(level)) + 1;
  const bands = Math.ceil(levels / BAND_COLUMNS);
  const bandRows = [];
  for (let b = 0; b < bands; b++) {
    let most = 1;
    for (let l = b * BAND_COLUMNS; l < Math.min(levels, (b + 1) * BAND_COLUMNS); l++) most = Math.max(most, rows[l] || 0);
    bandRows.push(most);
  }
  const bandTop = [10];
  for (let b = 1; b < bands; b++) bandTop.push(bandTop[b - 1] + bandRows[b - 1] * ROW + 30);
  const used = {}, pos = {};
  for (const v of job.vertices) {
    const l = level[v.id], band = Math.floor(l / BAND_COLUMNS);
    used[l] = (used[l] || 0) + 1;
    pos[v.id] = {x: 10 + (l % BAND_COLUMNS) * COLUMN, y: bandTop[band] + (used[l] - 1) * ROW};
  }
  return {pos, width: 20 + COLUMN * Math.min(levels, BAND_COLUMNS), height: bandTop[bands - 1] + bandRows[bands - 1] * ROW + 10};
}

// Vertex ids in an order where every edge's source comes before its target (Kahn's algorithm, O(V + E)).
function topological(vertices, edges) {
  const indegree = {}, out = {};
  for (const v of vertices) { indegree[v.id] = 0; out[v.id] = []; }
  for (const e of edges) if (out[e.source] && indegree[e.target] !== undefined) { out[e.source].push(e.target); indegree[e.target]++; }
  const ready = vertices.filter(v => indegree[v.id] === 0).map(v => v.id), order = [];
  while (ready.length) {
    const id = ready.pop(); order.push(id);
    for (const t of out[id]) if (--indegree[t] === 0) ready.push(t);
  }
  return order;
}

// The graph's SVG is built once per graph (vertices and edges); each poll then only updates every box's color and
// texts, so a graph of hundreds of vertices costs a few attribute writes per second, not a new document.
let drawn = {key: null, boxes: {}};
function drawGraph(job, stats) {
  const key = JSON.stringify([job.id, job.vertices, job.edges]);
  if (drawn.key !== key) {
    const svg = $("graph");
    svg.replaceChildren();
    const {pos, width, height} = layout(job);
    svg.setAttribute("width", width); svg.setAttribute("height", height);
    for (const e of job.edges) {
      const a = pos[e.source], b = pos[e.target];
      if (a && b) el("line", {x1: a.x + 150, y1: a.y + 25, x2: b.x, y2: b.y + 25, stroke: "#888"}, svg);
    }
    const boxes = {};
    for (const v of job.vertices) {
      const p = pos[v.id];
      const g = el("g", {"class": "vertex", "data-vertex": v.id}, svg);
      const rect = el("rect", {x: p.x, y: p.y, width: 150, height: 50, rx: 5, stroke: "#333"}, g);
      el("text", {x: p.x + 5, y: p.y + 15}, g).textContent = `${v.name} (p=${v.parallelism})`;
      const rate = el("text", {x: p.x + 5, y: p.y + 32, "class": "rate", "data-vertex": v.id}, g);
      const pressure = el("text", {x: p.x + 5, y: p.y + 45}, g);
      boxes[v.id] = {g, rect, rate, pressure};
    }
    drawn = {key, boxes};
  }
  for (const v of job.vertices) {
    const s = stats[v.id] || {pressure: 0, rate: 0}, b = drawn.boxes[v.id];
    const red = Math.round(255 * Math.min(1, s.pressure)), green = Math.round(200 * (1 - Math.min(1, s.pressure)));
    b.g.setAttribute("data-backpressured", s.pressure.toFixed(2));
    b.rect.setAttribute("fill", `rgb(${red},${green},90)`);
    b.rate.textContent = `${s.rate.toFixed(0)} records/s`;
    b.pressure.textContent = `backpressured ${(100 * s.pressure).toFixed(0)} %`;
  }
}

function drawCheckpoints(latest) {
  const svg = $("checkpoint-chart");
  svg.replaceChildren();
  const shown = latest.slice(-40);
  const max = Math.max(1, ...shown.map(c => c.durationMillis));
  shown.forEach((c, i) => {
    const h = Math.max(2, 100 * c.durationMillis / max);
    el("rect", {x: 5 + i * 15, y: 110 - h, width: 12, height: h,
      fill: c.status !== "COMPLETED" ? "#d33" : c.savepoint ? "#36c" : "#3a3", "data-checkpoint": c.id}, svg);
  });
  fill("checkpoints", latest.slice().reverse(), (tr, c) => {
    tr.dataset.checkpoint = c.id;
    cell(tr, c.id); cell(tr, c.savepoint ? "savepoint" : "checkpoint");
    cell(tr, c.status + (c.failure ? ": " + c.failure : "")); cell(tr, c.durationMillis); cell(tr, c.sizeBytes);
  });
}

async function jobPage(id) {
  const base = "/v1/jobs/" + encodeURIComponent(id);
  const [job, vertices, checkpoints, w, exceptions] = await Promise.all([api(base), api(base + "/vertices"),
    api(base + "/checkpoints"), api(base + "/watermarks"), api(base + "/exceptions")]); // in parallel, one round trip
  $("job-title").textContent = `${job.name} (${job.id})`;
  $("job-info").textContent = `${job.state}, parallelism ${job.parallelism}, restarts ${job.restarts}, ` +
    `running ${(job.durationMillis / 1000).toFixed(0)} s`;
  const stats = {};
  for (const v of vertices.vertices) stats[v.id] = {rate: v.recordsInPerSecond, pressure: v.maxBackpressuredRatio};
  drawGraph(job, stats);
  drawCheckpoints(checkpoints.latest);
  const holders = new Set(w.operators.filter(o => o.heldBackBy).map(o => o.heldBackBy.vertex + "/" + o.heldBackBy.subtask + "/" + o.heldBackBy.split));
  fill("splits", w.splits, (tr, s) => {
    if (holders.has(s.vertex + "/" + s.subtask + "/" + s.split)) tr.className = "holder";
    tr.dataset.split = s.split;
    cell(tr, s.source); cell(tr, s.subtask); cell(tr, s.split); cell(tr, wm(s.watermark)); cell(tr, s.idle ? "idle" : "active");
  });
  fill("operators", w.operators, (tr, o) => {
    cell(tr, o.name); cell(tr, wm(o.inputWatermark));
    cell(tr, o.heldBackBy ? `${o.heldBackBy.source} split ${o.heldBackBy.split} (subtask ${o.heldBackBy.subtask})` : "-");
  });
  const ex = exceptions.exceptions;
  $("exceptions").replaceChildren(...ex.map(e => {
    const li = document.createElement("li");
    li.textContent = `${new Date(e.epochMillis).toISOString()} ${e.operator ? e.operator + " (subtask " + e.subtask + ") " : ""}${e.message}`;
    return li;
  }));
}

async function act(kind) {
  const id = location.hash.substring(5);
  const body = kind === "cancel" ? "{}" : JSON.stringify({target: $("target").value});
  const path = `/v1/jobs/${encodeURIComponent(id)}/${kind === "savepoint" ? "savepoints" : kind}`;
  try {
    const r = await api(path, {method: "POST", body, headers: {"Content-Type": "application/json"}});
    $("action").textContent = r.requestId ? `${kind} requested (${r.requestId})` : `${kind} requested`;
    if (r.requestId) poll(id, r.requestId, 0);
  } catch (e) { $("action").textContent = `${kind} refused: ${e.message}`; }
}

async function poll(id, rid, n) {
  const s = await api(`/v1/jobs/${encodeURIComponent(id)}/savepoints/${rid}`);
  if (s.state === "IN_PROGRESS" && n < 600) { setTimeout(() => poll(id, rid, n + 1), 1000); return; }
  $("action").textContent = s.state === "COMPLETED" ? `${s.kind} done: ${s.path}` : `${s.kind} failed: ${s.failure}`;
}

// One refresh at a time: the next poll is scheduled when this one ended (a slow answer never piles polls up); the
// status line carries how long the last refresh took (data-refresh-ms).
let refreshing = false;
async function refresh() {
  if (refreshing) return;
  if (!token()) { show("login"); return; }
  refreshing = true;
  const began = performance.now();
  try {
    if (location.hash.startsWith("#job/")) { show("job"); await jobPage(location.hash.substring(5)); }
    else { show("overview"); await overview(); }
    $("status").textContent = "updated " + new Date().toLocaleTimeString();
    $("status").dataset.refreshMs = (performance.now() - began).toFixed(0);
  } catch (e) { $("status").textContent = "error: " + e.message; }
  finally { refreshing = false; }
}

function schedule() {
  timer = setTimeout(async () => { await refresh(); schedule(); }, POLL_MS);
}

function start() {
  $("login-button").onclick = () => { sessionStorage.setItem("sluice-token", $("token").value.trim()); refresh(); };
  $("savepoint").onclick = () => act("savepoint");
  $("stop").onclick = () => act("stop");
  $("cancel").onclick = () => act("cancel");
  window.addEventListener("hashchange", refresh);
  refresh();
  schedule();
}
start();
