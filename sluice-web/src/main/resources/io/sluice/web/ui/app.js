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

// Lays the DAG out in columns by longest path from a source; boxes colored by backpressure.
function drawGraph(job, stats) {
  const svg = $("graph");
  svg.replaceChildren();
  const level = {};
  for (const v of job.vertices) level[v.id] = 0;
  for (let i = 0; i < job.vertices.length; i++)
    for (const e of job.edges) level[e.target] = Math.max(level[e.target], level[e.source] + 1);
  const rows = {};
  const pos = {};
  for (const v of job.vertices) {
    const l = level[v.id]; rows[l] = (rows[l] || 0) + 1;
    pos[v.id] = {x: 10 + l * 200, y: 10 + (rows[l] - 1) * 70};
  }
  const width = 220 + 200 * Math.max(...Object.values(level));
  const height = 20 + 70 * Math.max(...Object.values(rows));
  svg.setAttribute("width", width); svg.setAttribute("height", height);
  for (const e of job.edges) {
    const a = pos[e.source], b = pos[e.target];
    el("line", {x1: a.x + 150, y1: a.y + 25, x2: b.x, y2: b.y + 25, stroke: "#888"}, svg);
  }
  for (const v of job.vertices) {
    const s = stats[v.id] || {pressure: 0, rate: 0};
    const red = Math.round(255 * Math.min(1, s.pressure)), green = Math.round(200 * (1 - Math.min(1, s.pressure)));
    const g = el("g", {"class": "vertex", "data-vertex": v.id, "data-backpressured": s.pressure.toFixed(2)}, svg);
    el("rect", {x: pos[v.id].x, y: pos[v.id].y, width: 150, height: 50, rx: 5,
      fill: `rgb(${red},${green},90)`, stroke: "#333"}, g);
    el("text", {x: pos[v.id].x + 5, y: pos[v.id].y + 15}, g).textContent = `${v.name} (p=${v.parallelism})`;
    const t = el("text", {x: pos[v.id].x + 5, y: pos[v.id].y + 32, "class": "rate", "data-vertex": v.id}, g);
    t.textContent = `${s.rate.toFixed(0)} records/s`;
    el("text", {x: pos[v.id].x + 5, y: pos[v.id].y + 45}, g).textContent = `backpressured ${(100 * s.pressure).toFixed(0)} %`;
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
  const job = await api("/v1/jobs/" + encodeURIComponent(id));
  $("job-title").textContent = `${job.name} (${job.id})`;
  $("job-info").textContent = `${job.state}, parallelism ${job.parallelism}, restarts ${job.restarts}, ` +
    `running ${(job.durationMillis / 1000).toFixed(0)} s`;
  const stats = {};
  for (const v of (await api(`/v1/jobs/${encodeURIComponent(id)}/vertices`)).vertices) {
    stats[v.id] = {rate: v.recordsInPerSecond, pressure: v.maxBackpressuredRatio};
  }
  drawGraph(job, stats);
  drawCheckpoints((await api(`/v1/jobs/${encodeURIComponent(id)}/checkpoints`)).latest);
  const w = await api(`/v1/jobs/${encodeURIComponent(id)}/watermarks`);
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
  const ex = (await api(`/v1/jobs/${encodeURIComponent(id)}/exceptions`)).exceptions;
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

async function refresh() {
  if (!token()) { show("login"); return; }
  try {
    if (location.hash.startsWith("#job/")) { show("job"); await jobPage(location.hash.substring(5)); }
    else { show("overview"); await overview(); }
    $("status").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) { $("status").textContent = "error: " + e.message; }
}

function start() {
  $("login-button").onclick = () => { sessionStorage.setItem("sluice-token", $("token").value.trim()); refresh(); };
  $("savepoint").onclick = () => act("savepoint");
  $("stop").onclick = () => act("stop");
  $("cancel").onclick = () => act("cancel");
  window.addEventListener("hashchange", refresh);
  refresh();
  timer = setInterval(refresh, POLL_MS);
}
start();
