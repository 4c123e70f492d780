// The timeline: the storyboard's shots as clips on a track, each as wide as it plays,
// with the latest make's dialogue, subtitles and sound on tracks beneath (read from that
// version's Timeline). Dragging a clip's right edge trims the shot; dragging the clip
// moves it. Both are saved to the storyboard at once (PATCH a shot's duration, PUT the
// order), so the next make renders only the shots that changed.
//
// Keyboard: ←/→ go from clip to clip, Shift+←/→ trim the focused shot by 0.1 s,
// Alt+←/→ move it one place earlier or later.

import { api, project } from "./api.js";
import { announce, fill, h, langTag, seconds } from "./dom.js";
import { loadOptions } from "./options.js";

const STEP = 0.1; // seconds per key press, and what a dragged edge snaps to
const DRAG_START = 5; // pixels a pointer moves before a press becomes a drag

export async function renderTimeline(room, info) {
  const base = (rest) => project(info.id, rest);
  const [board, options, versions] = await Promise.all([
    api("GET", base("/storyboard")),
    loadOptions(info.id),
    api("GET", base("/versions")),
  ]);
  let filmed = null;
  if (versions.length) {
    try {
      filmed = await api("GET", base(`/versions/${versions[0].number}/timeline`));
    } catch {
      filmed = null; // a version from before timelines: the shots alone
    }
  }
  const limits = { min: options.duration?.min ?? 0.5, max: options.duration?.max ?? 60 };
  let shots = board.shots.map((shot) => ({ id: shot.id, scene: shot.scene, duration: shot.duration }));
  const total = () => shots.reduce((sum, shot) => sum + shot.duration, 0);
  const longest = Math.max(total(), filmed ? filmed.shots.reduce((s, t) => s + t.frames, 0) / filmed.fps : 0);
  // Pixels per second, fixed while the page is open so a drag maps to seconds steadily.
  const scale = Math.max(24, Math.min(160, (room.clientWidth - 140) / Math.max(longest * 1.25, 1)));

  const status = h("p", { class: "status muted", role: "status", "aria-live": "polite", id: "timeline-status" });
  const error = h("p", { class: "error", role: "alert" });
  const help = h("p", { class: "muted", id: "timeline-help" },
    "Drag a clip's right edge to trim its shot, or the clip to move it. From the keyboard: ←/→ go from shot to shot, ",
    "Shift+←/→ trim by 0.1 s, Alt+←/→ move the shot.");
  const clips = h("ol", { class: "track clips", "aria-label": "Shots", id: "timeline-shots" });
  const summary = h("p", { class: "muted", id: "timeline-summary" });
  const tracks = h("div", { class: "timeline", style: `--scale: ${scale}px` },
    row("Shots", clips),
    ...lowerTracks(filmed));

  fill(room,
    h("h2", { id: "room-heading" }, "Timeline"),
    summary,
    help,
    shots.length ? tracks : h("p", {}, "No shots yet: ", h("a", { href: `#/p/${encodeURIComponent(info.id)}/script` }, "write the script"), " first."),
    status,
    error);
  draw();

  function draw(focusId = null) {
    summary.textContent = `${shots.length} shots · ${seconds(total())}` +
      (filmed ? ` · dialogue, subtitles and sound as the latest make (version ${versions[0].number}) placed them` : "");
    clips.replaceChildren(...shots.map((shot) => clipFor(shot)));
    if (focusId !== null) clipButton(focusId)?.focus();
  }

  function clipButton(id) {
    return [...clips.querySelectorAll("button.clip")].find((b) => b.dataset.shotId === id) ?? null;
  }

  function label(shot) {
    return `Shot ${shot.id} · scene ${shot.scene} · ${seconds(shot.duration)}`;
  }

  function clipFor(shot) {
    const handle = h("span", { class: "trim-handle", "aria-hidden": "true", title: "Drag to trim" });
    const text = h("span", { class: "clip-label" }, `Shot ${shot.id}`, h("small", {}, seconds(shot.duration)));
    const button = h("button", {
      type: "button",
      class: "clip",
      style: `width: ${shot.duration * scale}px`,
      "aria-label": label(shot),
      "aria-describedby": "timeline-help",
      dataset: { shotId: shot.id, duration: String(shot.duration) },
      onkeydown: (event) => onKey(event, shot),
      onpointerdown: (event) => (event.target === handle ? trim(event, shot, button, text) : move(event, shot, button)),
    }, text, handle);
    return h("li", {}, button);
  }

  function show(button, text, shot) {
    button.style.width = `${shot.duration * scale}px`;
    button.dataset.duration = String(shot.duration);
    button.setAttribute("aria-label", label(shot));
    text.lastChild.textContent = seconds(shot.duration);
  }

  // Seconds snapped to the step and held to the storyboard's limits.
  function clamp(value) {
    const snapped = Math.round(value / STEP) * STEP;
    return Number(Math.min(limits.max, Math.max(limits.min, snapped)).toFixed(2));
  }

  function trim(event, shot, button, text) {
    event.preventDefault();
    const startX = event.clientX;
    const before = shot.duration;
    button.setPointerCapture(event.pointerId);
    button.classList.add("trimming");
    const onMove = (e) => {
      shot.duration = clamp(before + (e.clientX - startX) / scale);
      show(button, text, shot);
    };
    const onUp = () => {
      button.removeEventListener("pointermove", onMove);
      button.classList.remove("trimming");
      if (shot.duration !== before) saveDuration(shot, before);
    };
    button.addEventListener("pointermove", onMove);
    button.addEventListener("pointerup", onUp, { once: true });
    button.addEventListener("pointercancel", onUp, { once: true });
  }

  function move(event, shot, button) {
    const startX = event.clientX;
    let dragging = false;
    button.setPointerCapture(event.pointerId);
    const onMove = (e) => {
      const dx = e.clientX - startX;
      if (!dragging && Math.abs(dx) < DRAG_START) return;
      dragging = true;
      button.classList.add("dragging");
      button.style.transform = `translateX(${dx}px)`;
    };
    const onUp = (e) => {
      button.removeEventListener("pointermove", onMove);
      button.classList.remove("dragging");
      button.style.transform = "";
      if (!dragging) return;
      // The dragged clip's middle lands among the other clips' middles.
      const rect = button.getBoundingClientRect();
      const middle = rect.left + (e.clientX - startX) + rect.width / 2;
      const others = [...clips.querySelectorAll("button.clip")].filter((b) => b !== button);
      const index = others.filter((b) => {
        const r = b.getBoundingClientRect();
        return r.left + r.width / 2 < middle;
      }).length;
      reorder(shot, index);
    };
    button.addEventListener("pointermove", onMove);
    button.addEventListener("pointerup", onUp, { once: true });
    button.addEventListener("pointercancel", () => {
      button.removeEventListener("pointermove", onMove);
      button.style.transform = "";
    }, { once: true });
  }

  let pendingTrim = null;
  function onKey(event, shot) {
    const at = shots.indexOf(shot);
    const way = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      clipButton(shots[event.key === "Home" ? 0 : shots.length - 1].id).focus();
    } else if (way && event.shiftKey) {
      event.preventDefault();
      const button = clipButton(shot.id);
      const before = pendingTrim?.shot === shot ? pendingTrim.before : shot.duration;
      shot.duration = clamp(shot.duration + way * STEP);
      show(button, button.querySelector(".clip-label"), shot);
      // Held or pressed again quickly, the key sends one save for the last length.
      window.clearTimeout(pendingTrim?.timer);
      pendingTrim = { shot, before, timer: window.setTimeout(() => { pendingTrim = null; saveDuration(shot, before); }, 400) };
    } else if (way && event.altKey) {
      event.preventDefault();
      const index = at + way;
      if (index >= 0 && index < shots.length) reorder(shot, index);
    } else if (way) {
      event.preventDefault();
      const next = shots[at + way];
      if (next) clipButton(next.id).focus();
    }
  }

  async function saveDuration(shot, before) {
    if (shot.duration === before) return;
    status.textContent = "Saving…";
    try {
      const saved = await api("PATCH", base(`/storyboard/shots/${encodeURIComponent(shot.id)}`), { duration: shot.duration });
      shot.duration = saved.duration;
      done(`Shot ${shot.id} now plays ${seconds(shot.duration)}.`, shot.id);
    } catch (failure) {
      shot.duration = before;
      failed(failure, shot.id);
    }
  }

  async function reorder(shot, index) {
    const order = shots.filter((s) => s !== shot);
    order.splice(index, 0, shot);
    if (order.every((s, i) => s === shots[i])) return;
    const previous = shots;
    shots = order;
    draw(shot.id);
    status.textContent = "Saving…";
    try {
      const saved = await api("PUT", base("/storyboard/order"), { shots: order.map((s) => s.id) });
      shots = saved.shots.map((s) => ({ id: s.id, scene: s.scene, duration: s.duration }));
      done(`Shot ${shot.id} is now shot ${index + 1} of ${shots.length}.`, shot.id);
    } catch (failure) {
      shots = previous;
      failed(failure, shot.id);
    }
  }

  function done(message, focusId) {
    error.textContent = "";
    draw(focusId);
    fill(status, `Saved. ${message} `, h("a", { href: `#/p/${encodeURIComponent(info.id)}/make` }, "Make the film"),
      " to see and hear it: only the changed shots render again.");
    announce(`Saved. ${message}`);
  }

  function failed(failure, focusId) {
    status.textContent = "";
    error.textContent = `Not saved: ${failure.message}`;
    draw(focusId);
  }
}

function row(name, track) {
  return h("div", { class: "track-row" }, h("span", { class: "track-name", "aria-hidden": "true" }, name), track);
}

// Blocks on a track at film seconds [start, start + length).
function block(start, length, text, attrs = {}) {
  return h("li", {
    class: "block",
    style: `left: calc(${start} * var(--scale)); width: calc(${Math.max(length, 0.05)} * var(--scale))`,
    title: text,
    ...attrs,
  }, text);
}

function lowerTracks(filmed) {
  if (!filmed) {
    return [h("p", { class: "muted", id: "timeline-no-make" },
      "Make the film to see its dialogue, subtitles and sound here.")];
  }
  const fps = filmed.fps;
  const dialogue = filmed.lines.map((line) => block(
    line.shot_start / fps + line.offset_ms / 1000,
    line.duration_ms / 1000,
    `${line.character}: ${line.text}`,
    { lang: langTag(line.lang) },
  ));
  const cues = filmed.cues.map((cue) => block(cue.start, cue.end - cue.start, cue.text));
  const kinds = [...new Set(filmed.events.map((event) => event.kind))];
  const sound = kinds.length
    ? kinds.map((kind) => row(`Sound: ${kind}`, h("ol", { class: "track", "aria-label": `Sound: ${kind}` },
      filmed.events.filter((e) => e.kind === kind).map((e) => block(e.frame / fps, e.frames / fps, kind)))))
    : [row("Sound", h("ol", { class: "track", "aria-label": "Sound" },
      h("li", { class: "block empty", style: "left: 0" }, "Dialogue only: no effects or music cues")))];
  return [
    row("Dialogue", h("ol", { class: "track", "aria-label": "Dialogue", id: "timeline-dialogue" }, dialogue)),
    row("Subtitles", h("ol", { class: "track", "aria-label": "Subtitles", id: "timeline-subtitles" }, cues)),
    ...sound,
  ];
}
