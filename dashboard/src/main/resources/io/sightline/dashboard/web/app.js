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
  // Zones, lines and track ids, drawn over the snapshot in the frame's pixels (the SVG's viewBox).
  const overlay = document.createElementNS(SVG, "svg");
  overlay.setAttribute("class", "overlay");
  overlay.setAttribute("preserveAspectRatio", "xMidYMid meet");
  frame.append(img, overlay, empty, badge, faces, clock);
  frame.addEventListener("click", () => openViewer(id, null));
  const info = el("div", "info");
  const name = el("span", "name", id);
  const when = el("span", "when", "");
  info.append(name, when);
  const canvas = el("canvas");
  canvas.title = "faces per minute, last hour";
  const zoneCounts = el("div", "zone-counts hidden");
  zoneCounts.title = "zone and line counts, last hour";
  tile.append(frame, info, zoneCounts, canvas);
  // Keep tiles in camera order.
  const grid = $("grid");
  const after = [...grid.querySelectorAll(".tile")].find(t => t.dataset.camera > id);
  grid.insertBefore(tile, after || null);
  cam = {tile, img, faces, clock, when, canvas, overlay, zoneCounts, perMinute: [], geometry: null, event: null};
  img.addEventListener("load", () => drawOverlay(cam));
  cameras.set(id, cam);
  $("camera-count").textContent = "(" + cameras.size + ")";
  return cam;
}

function showSnapshot(info) {
  const cam = tileFor(info.cameraId);
  if (info.zones) { cam.geometry = info.zones; drawOverlay(cam); }
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
  const tracks = new Set(event.faces.map(f => f.trackId).filter(id => id !== null && id !== undefined));
  cam.faces.textContent = plural(event.faces.length, "face") + (tracks.size ? " · " + plural(tracks.size, "track") : "");
  cam.faces.classList.remove("hidden");
  showClock(cam, event.clockSkew);
  cam.event = event;
  drawOverlay(cam);
}

// ---- zones, lines and tracks over the snapshot ------------------------------------------------------------------

const SVG = "http://www.w3.org/2000/svg";
const svg = (tag, attrs, text) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};
// Track ids are a capture time in ms x 1000 + a rank: their last five digits tell the tracks of one camera at one
// time apart (the whole id is in the tag's tooltip and the events API).
const shortId = (id) => "#" + String(id).slice(-5);

function drawOverlay(cam) {
  const o = cam.overlay, w = cam.img.naturalWidth, h = cam.img.naturalHeight;
  o.replaceChildren();
  if (!w || !h) return;
  o.setAttribute("viewBox", "0 0 " + w + " " + h);
  const unit = Math.max(w, h) / 400;
  const g = cam.geometry;
  if (g) {
    for (const z of g.zones || []) {
      o.append(svg("polygon", {points: z.polygon.map(p => p.join(",")).join(" "), class: "zone",
        "stroke-width": 2 * unit}));
      o.append(svg("text", {x: z.polygon[0][0] + 4 * unit, y: z.polygon[0][1] + 14 * unit, class: "zone-label",
        "font-size": 12 * unit}, z.name));
    }
    for (const l of g.lines || []) {
      o.append(svg("line", {x1: l.from[0], y1: l.from[1], x2: l.to[0], y2: l.to[1], class: "line",
        "stroke-width": 3 * unit}));
      o.append(svg("text", {x: (l.from[0] + l.to[0]) / 2 + 4 * unit, y: (l.from[1] + l.to[1]) / 2, class: "line-label",
        "font-size": 12 * unit}, l.name));
    }
  }
  const e = cam.event;
  if (e && e.imageWidth === w && e.imageHeight === h) {
    for (const f of e.faces) {
      if (f.trackId === null || f.trackId === undefined) continue;
      const label = shortId(f.trackId);
      // As wide as the face at most, so the tags of a crowd do not hide each other.
      const size = Math.min(11 * unit, (f.box.x2 - f.box.x1) / (label.length * 0.62));
      const x = f.box.x1, y = Math.max(0, f.box.y1 - size * 1.2);
      o.append(svg("rect", {x, y, width: label.length * size * 0.62 + size * 0.4, height: size * 1.2,
        class: "track-tag"}));
      const text = svg("text", {x: x + size * 0.2, y: y + size * 0.95, class: "track-id", "font-size": size}, label);
      text.append(svg("title", {}, "track " + f.trackId));
      o.append(text);
    }
  }
}

async function refreshZones(id) {
  const cam = tileFor(id);
  if (!cam.geometry) return;
  try {
    const counts = await getJson("/api/cameras/" + enc(id) + "/zones");
    const parts = [];
    for (const [name, whats] of Object.entries(counts.lastHour)) {
      const text = Object.entries(whats).map(([what, n]) => ({
        "left-to-right": "→ ", "right-to-left": "← ", "top-to-bottom": "↓ ", "bottom-to-top": "↑ "}[what]
        || what + " ") + n).join(" ");
      parts.push(name + " " + text);
    }
    cam.zoneCounts.textContent = "last hour: " + (parts.length ? parts.join(" · ") : "no zone or line crossed yet");
    cam.zoneCounts.classList.remove("hidden");
  } catch (e) { /* owner rebalancing: next refresh */ }
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

// A zone record in words ("door crossed left-to-right by #1800000"); any other JSON alert as it is.
function describeOutput(json) {
  const track = json.trackId !== undefined ? " · " + shortId(json.trackId) : "";
  switch (json.kind) {
    case "line-cross": return json.line + " crossed " + json.direction + track;
    case "zone-enter": return "entered " + json.zone + track;
    case "zone-exit": return "left " + json.zone + " after " + json.seconds + " s" + track;
    case "loiter": return "loitering in " + json.zone + " for " + json.seconds + " s" + track;
    default: return json.message || JSON.stringify(json);
  }
}

function addAlert(alert, fresh) {
  $("no-alerts").classList.add("hidden");
  const v = alert.value;
  const text = typeof v === "object" && v !== null
    ? (v.json ? describeOutput(v.json) : (v.message || v.reason || v.type || JSON.stringify(v))) : String(v);
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
  cameras.forEach((_, id) => { refreshCounts(id); refreshZones(id); });
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
    tileFor(event.cameraId).countsTimer = setTimeout(() => { refreshCounts(event.cameraId); refreshZones(event.cameraId); }, 1500);
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
setInterval(() => cameras.forEach((_, id) => { refreshCounts(id); refreshZones(id); }), 15000);
