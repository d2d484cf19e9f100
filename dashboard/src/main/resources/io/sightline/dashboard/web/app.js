// Sightline dashboard: plain JS, no libraries. Initial state from the events API, then live updates over SSE.
"use strict";

const MAX_EVENTS = 60;
const cameras = new Map();      // id -> {tile elements, counts}
let deadLetters = {};

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};
const enc = encodeURIComponent;

function timeOf(iso) {
  const d = new Date(iso);
  if (isNaN(d)) return "";
  const now = new Date();
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay ? d.toLocaleTimeString([], {hour12: false})
                 : d.toISOString().replace("T", " ").slice(0, 19);
}

async function getJson(path) {
  const r = await fetch(path, {cache: "no-store"});
  if (!r.ok) throw new Error(path + " -> " + r.status);
  return r.json();
}

// ---- camera grid ----------------------------------------------------------------------------------------------

function tileFor(id) {
  let cam = cameras.get(id);
  if (cam) return cam;
  $("no-cameras").classList.add("hidden");
  const tile = el("div", "tile");
  tile.dataset.camera = id;
  const frame = el("div", "frame");
  const img = el("img", "hidden");
  img.alt = "latest annotated frame of " + id;
  const empty = el("span", "empty", "No annotated frame yet");
  img.addEventListener("load", () => { img.classList.remove("hidden"); empty.classList.add("hidden"); });
  img.addEventListener("error", () => { img.classList.add("hidden"); empty.classList.remove("hidden"); });
  const badge = el("span", "badge", id);
  const faces = el("span", "faces hidden");
  const clock = el("span", "clock hidden");
  frame.append(img, empty, badge, faces, clock);
  frame.addEventListener("click", () => openViewer(id, null));
  const info = el("div", "info");
  const name = el("span", "name", id);
  const when = el("span", "when", "");
  info.append(name, when);
  const canvas = el("canvas");
  canvas.title = "faces per minute, last hour";
  tile.append(frame, info, canvas);
  // Keep tiles in camera order.
  const grid = $("grid");
  const after = [...grid.querySelectorAll(".tile")].find(t => t.dataset.camera > id);
  grid.insertBefore(tile, after || null);
  cam = {tile, img, faces, clock, when, canvas, perMinute: []};
  cameras.set(id, cam);
  $("camera-count").textContent = "(" + cameras.size + ")";
  return cam;
}

function showSnapshot(info) {
  const cam = tileFor(info.cameraId);
  if (!info.frameId) return;
  cam.img.src = "/api/cameras/" + enc(info.cameraId) + "/snapshot?v=" + enc(info.eventId || info.frameId);
  cam.when.textContent = "frame " + info.frameId + " · " + timeOf(info.capturedAt);
  showClock(cam, info.clockSkew);
}

// A camera whose frames' capture times lie far from when they were written (events carry clockSkew, in seconds).
function showClock(cam, skew) {
  if (skew === undefined) return;
  cam.clock.classList.toggle("hidden", skew === null);
  if (skew === null) return;
  const s = Math.abs(skew);
  const size = s >= 86400 ? (s / 86400).toFixed(1) + " d" : s >= 3600 ? (s / 3600).toFixed(1) + " h"
      : s >= 60 ? (s / 60).toFixed(1) + " min" : s + " s";
  cam.clock.textContent = "clock " + size + (skew > 0 ? " ahead" : " behind");
  cam.clock.title = "capture time " + size + (skew > 0 ? " later" : " earlier")
      + " than when the frame was written: a camera clock that is off, or an archive";
}

function showFaces(event) {
  const cam = tileFor(event.cameraId);
  cam.faces.textContent = plural(event.faces.length, "face");
  cam.faces.classList.remove("hidden");
  showClock(cam, event.clockSkew);
}

async function refreshCounts(id) {
  try {
    const counts = await getJson("/api/cameras/" + enc(id) + "/counts");
    const cam = tileFor(id);
    cam.perMinute = counts.perMinute;
    drawChart(cam, counts);
  } catch (e) { /* owner rebalancing: next refresh */ }
}

// Faces per minute over the last hour, one bar per minute.
function drawChart(cam, counts) {
  const c = cam.canvas;
  const ratio = window.devicePixelRatio || 1;
  const w = c.clientWidth, h = c.clientHeight;
  c.width = w * ratio; c.height = h * ratio;
  const g = c.getContext("2d");
  g.scale(ratio, ratio);
  g.clearRect(0, 0, w, h);
  const minutes = 60, now = Date.parse(counts.at);
  const start = Math.floor(now / 60000) * 60000 - (minutes - 1) * 60000;
  const values = new Array(minutes).fill(0);
  for (const win of counts.perMinute) {
    const i = Math.round((Date.parse(win.windowStart) - start) / 60000);
    if (i >= 0 && i < minutes) values[i] = win.faces;
  }
  const max = Math.max(1, ...values);
  const left = 8, right = 8, top = 14, bottom = 14;
  const bw = (w - left - right) / minutes;
  g.strokeStyle = "#2a323c"; g.beginPath(); g.moveTo(left, h - bottom + .5); g.lineTo(w - right, h - bottom + .5); g.stroke();
  g.fillStyle = "#4fb3ff";
  values.forEach((v, i) => {
    if (!v) return;
    const bh = (h - top - bottom) * v / max;
    g.fillRect(left + i * bw + 1, h - bottom - bh, Math.max(1, bw - 2), bh);
  });
  g.fillStyle = "#8b95a3"; g.font = "11px system-ui, sans-serif";
  g.fillText("faces per minute · last hour: " + plural(counts.lastHour.faces, "face") + " in "
    + plural(counts.lastHour.events, "event"), left, 11);
  g.textAlign = "right"; g.fillText("max " + max, w - right, 11);
  g.textAlign = "left"; g.fillText("-60 min", left, h - 2);
  g.textAlign = "right"; g.fillText("now", w - right, h - 2);
}

// ---- events list ----------------------------------------------------------------------------------------------

function withTitle(e, title) { e.title = title; return e; }
const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");

function addEvent(event, fresh) {
  $("no-events").classList.add("hidden");
  const row = el("tr", fresh ? "fresh" : "");
  row.dataset.camera = event.cameraId;
  row.append(
    el("td", "", timeOf(event.capturedAt)),
    el("td", "", event.cameraId),
    el("td", "num", String(event.faces.length)),
    withTitle(el("td", "", event.model.name), event.model.name + " " + event.model.version + " · sha256 " + event.model.sha256),
    withTitle(el("td", "", event.udf.name), event.udf.name + " " + event.udf.version + " · sha256 " + event.udf.sha256));
  row.title = "frame " + event.frameId + " · processed " + event.processedAt + " · " + Math.round(event.timings.totalMs) + " ms";
  row.addEventListener("click", () => openViewer(event.cameraId, event));
  const body = $("events");
  if (fresh) body.insertBefore(row, body.firstChild); else body.appendChild(row);
  while (body.children.length > MAX_EVENTS) body.removeChild(body.lastChild);
}

// ---- health, dead letters, alerts -----------------------------------------------------------------------------

function showHealth(h) {
  $("fps").textContent = h.framesPerSecond.toFixed(1);
  $("lag").textContent = h.processorLag === null ? "–" : h.processorLag;
  $("state").textContent = h.streamsState.toLowerCase();
  deadLetters = h.deadLettersByReason || {};
  showReasons();
}

function showReasons() {
  const body = $("reasons");
  body.replaceChildren();
  const entries = Object.entries(deadLetters).sort();
  let total = 0;
  for (const [reason, n] of entries) {
    total += n;
    const row = el("tr");
    row.append(el("td", "", reason), el("td", "", String(n)));
    body.appendChild(row);
  }
  if (!entries.length) body.appendChild(Object.assign(el("tr"), {innerHTML: "<td class='muted'>None</td>"}));
  $("dlq").textContent = total;
}

function addAlert(alert, fresh) {
  $("no-alerts").classList.add("hidden");
  const v = alert.value;
  const text = typeof v === "object" && v !== null
    ? (v.message || v.reason || v.type || JSON.stringify(v)) : String(v);
  const chip = el("span", "alert", timeOf(alert.timestamp) + " · " + (alert.key || "") + " · " + text);
  chip.title = JSON.stringify(alert.value);
  const list = $("alert-list");
  if (fresh) list.insertBefore(chip, list.firstChild); else list.appendChild(chip);
  while (list.querySelectorAll(".alert").length > 30) list.removeChild(list.lastChild);
}

// ---- snapshot viewer ------------------------------------------------------------------------------------------

// An event opens its own annotated frame (kept for the newest events of each camera); a tile, the latest one.
function openViewer(cameraId, event) {
  const img = $("viewer-img"), missing = $("viewer-missing");
  $("viewer-title").textContent = "Camera " + cameraId;
  img.classList.remove("hidden");
  missing.classList.add("hidden");
  const details = event
    ? "Event " + event.eventId + " · frame " + event.frameId + " · " + plural(event.faces.length, "face")
      + " · captured " + event.capturedAt
    : "Latest annotated frame";
  $("viewer-meta").textContent = details;
  img.dataset.missing = event
    ? "No snapshot kept for this event: only each camera's newest annotated frames of the last hour are kept."
    : "No annotated frame of this camera yet.";
  if (event && !event.snapshotUrl) {
    showMissing("No annotated image was sent for this event (" + event.annotated + ").");
  } else {
    img.src = event ? event.snapshotUrl : "/api/cameras/" + enc(cameraId) + "/snapshot?t=" + Date.now();
  }
  $("viewer").classList.remove("hidden");
}
function showMissing(text) {
  $("viewer-img").classList.add("hidden");
  $("viewer-missing").textContent = text;
  $("viewer-missing").classList.remove("hidden");
}
$("viewer-img").addEventListener("error", () => showMissing($("viewer-img").dataset.missing));
$("viewer-close").addEventListener("click", () => $("viewer").classList.add("hidden"));
$("viewer").addEventListener("click", (e) => { if (e.target.id === "viewer") $("viewer").classList.add("hidden"); });
document.addEventListener("keydown", (e) => { if (e.key === "Escape") $("viewer").classList.add("hidden"); });

// ---- start ----------------------------------------------------------------------------------------------------

async function load() {
  const [cams, events, health, alerts] = await Promise.all([
    getJson("/api/cameras"), getJson("/api/events?limit=" + MAX_EVENTS), getJson("/api/health"), getJson("/api/alerts")]);
  cams.forEach(showSnapshot);
  $("events").replaceChildren();
  events.forEach(e => addEvent(e, false));
  const newest = new Map();
  events.slice().reverse().forEach(e => newest.set(e.cameraId, e));
  newest.forEach(showFaces);
  showHealth(health);
  alerts.forEach(a => addAlert(a, false));
  cameras.forEach((_, id) => refreshCounts(id));
}

function connect() {
  const source = new EventSource("/api/stream");
  source.onopen = () => { $("live").className = "dot on"; $("live-label").textContent = "live"; };
  source.onerror = () => { $("live").className = "dot off"; $("live-label").textContent = "reconnecting"; };
  source.addEventListener("detection", (m) => {
    const event = JSON.parse(m.data);
    addEvent(event, true);
    showFaces(event);
    clearTimeout(tileFor(event.cameraId).countsTimer);
    tileFor(event.cameraId).countsTimer = setTimeout(() => refreshCounts(event.cameraId), 1500);
  });
  source.addEventListener("snapshot", (m) => showSnapshot(JSON.parse(m.data)));
  source.addEventListener("alert", (m) => addAlert(JSON.parse(m.data), true));
  source.addEventListener("health", (m) => showHealth(JSON.parse(m.data)));
  source.addEventListener("deadletter", (m) => {
    const d = JSON.parse(m.data);
    deadLetters[d.reasonCode] = (deadLetters[d.reasonCode] || 0) + 1;
    showReasons();
  });
}

load().catch(e => console.error(e)).finally(connect);
setInterval(() => cameras.forEach((_, id) => refreshCounts(id)), 15000);
