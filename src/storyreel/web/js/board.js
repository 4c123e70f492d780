// The storyboard: one card per shot, edited in place; each change is saved at once
// (PATCH) so it survives re-planning from the script.

import { api, mediaUrl, project } from "./api.js";
import { announce, field, fill, h, seconds } from "./dom.js";
import { loadOptions, selectFor } from "./options.js";

export async function renderBoard(room, info) {
  const [board, options] = await Promise.all([
    api("GET", project(info.id, "/storyboard")),
    loadOptions(info.id),
  ]);
  const grid = h("div", { class: "board", role: "list", "aria-label": "Shots" });
  fill(room,
    h("h2", { id: "room-heading" }, "Storyboard"),
    h("p", { class: "muted" },
      `${board.shots.length} shots · ${seconds(board.duration)} · ${board.width}×${board.height} at ${board.fps} fps. `,
      "Changes are saved as you make them."),
    board.shots.length ? commandBox(room, info) : null,
    board.shots.length ? grid : h("p", {}, "No shots yet: ", h("a", { href: `#/p/${encodeURIComponent(info.id)}/script` }, "write the script"), " first."));
  for (const shot of board.shots) grid.append(shotCard(info.id, shot, options));
  return null;
}

// Change the film in words ("shot 3: a close-up at night", "把第二场改成雨夜"): the
// diff is shown first; applying writes the storyboard and makes the film, rendering
// only the shots the diff touched.
function commandBox(room, info) {
  const input = h("input", {
    id: "edit-instruction",
    name: "instruction",
    type: "text",
    maxlength: 2000,
    required: true,
    placeholder: "shot 3: make it a close-up at night · 把第二场改成雨夜 · make the film warmer",
    "aria-describedby": "edit-error",
  });
  const changes = h("ul", { class: "edit-changes", "aria-label": "Changes" });
  const status = h("p", { class: "status muted", role: "status", "aria-live": "polite" });
  const error = h("p", { class: "error", role: "alert", id: "edit-error" });
  const show = h("button", { type: "submit" }, "Show changes");
  const apply = h("button", { type: "button", disabled: true }, "Apply and make");
  let shown = null; // the instruction whose diff is on screen

  async function send(applying) {
    const instruction = input.value.trim();
    if (!instruction) return;
    error.textContent = "";
    status.textContent = applying ? "Applying…" : "Reading…";
    show.disabled = apply.disabled = true;
    try {
      const result = await api("POST", project(info.id, "/storyboard/edit"), { instruction, apply: applying });
      fill(changes, ...result.changes.map((line) => h("li", {}, line)));
      shown = applying ? null : instruction;
      if (applying) {
        status.textContent = `Applied. Making the film (${result.shots.length} shot${result.shots.length === 1 ? "" : "s"} to render).`;
        announce(status.textContent);
        const done = status.textContent;
        await renderBoard(room, info);
        const again = room.querySelector(".edit-box .status");
        if (again) again.textContent = done;
        return;
      }
      status.textContent = result.source === "llm" ? "Read by the LLM. Apply?" : "Apply?";
      apply.disabled = false;
    } catch (failure) {
      fill(changes);
      status.textContent = "";
      error.textContent = failure.message;
      shown = null;
    } finally {
      show.disabled = false;
      if (shown === null) apply.disabled = true;
    }
  }

  input.addEventListener("input", () => {
    if (input.value.trim() !== shown) apply.disabled = true; // the diff shown is another's
  });
  apply.addEventListener("click", () => send(true));
  return h("form", {
    class: "edit-box",
    "aria-label": "Change the film in words",
    onsubmit: (event) => { event.preventDefault(); send(false); },
  },
  h("label", { for: "edit-instruction" }, "Change in words"),
  h("div", { class: "edit-row" }, input, show, apply),
  error, changes, status);
}

function shotCard(projectId, shot, options) {
  const key = `shot-${shot.id}`.replace(/[^A-Za-z0-9_-]/g, "_");
  const status = h("p", { class: "status muted", role: "status", "aria-live": "polite" });
  const error = h("p", { class: "error", role: "alert", id: `${key}-error` });
  const thumb = h("img", {
    src: shot.thumbnail_url ? mediaUrl(shot.thumbnail_url) : null,
    alt: `Previs panel of shot ${shot.id}`,
    width: 320,
    height: 180,
    loading: "lazy",
  });
  const size = selectFor(`${key}-size`, "size", options.sizes, shot.size);
  const move = selectFor(`${key}-move`, "move", options.moves, shot.move);
  const angle = selectFor(`${key}-angle`, "angle", options.angles, shot.angle);
  const duration = h("input", {
    id: `${key}-duration`,
    name: "duration",
    type: "number",
    step: "0.1",
    min: options.duration?.min,
    max: options.duration?.max,
    value: String(shot.duration),
    inputmode: "decimal",
  });
  // The shot's world: its props and animals (kinds of the vocabulary, comma-separated)
  // and what it frames first (a subject or one of its things).
  const things = h("input", {
    id: `${key}-things`,
    name: "things",
    type: "text",
    value: (shot.things ?? []).map((t) => t.kind).join(", "),
    placeholder: "lantern, map",
  });
  const focus = h("select", { id: `${key}-focus`, name: "focus" });
  function fillFocus(subjects, kinds, chosen) {
    const choices = [["", "First subject"], ...subjects.map((n) => [n, n]), ...kinds.map((k) => [k, k])];
    focus.replaceChildren(...choices.map(([value, label]) => h("option", { value, selected: value === (chosen ?? "") }, label)));
  }
  fillFocus(shot.subjects ?? [], (shot.things ?? []).map((t) => t.kind), shot.focus);
  const promptEn = h("textarea", { id: `${key}-prompt-en`, name: "prompt.en", rows: 3, lang: "en", value: shot.prompt?.en ?? "" });
  const promptZh = h("textarea", { id: `${key}-prompt-zh`, name: "prompt.zh", rows: 2, lang: "zh-Hans", value: shot.prompt?.zh ?? "" });
  const saved = {
    size: shot.size, move: shot.move, angle: shot.angle, duration: shot.duration,
    "prompt.en": shot.prompt?.en ?? "", "prompt.zh": shot.prompt?.zh ?? "",
    things: things.value, focus: shot.focus ?? "",
  };
  let current = shot.things ?? [];

  // Kinds typed by the creator, each keeping the name and holder it had.
  function thingsOf(text) {
    const kinds = text.split(/[,，、]/).map((k) => k.trim().toLowerCase().replace(/\s+/g, "_")).filter(Boolean);
    return [...new Set(kinds)].map((kind) => current.find((t) => t.kind === kind) ?? { kind, name: kind, holder: null });
  }

  async function saveField(control) {
    const field = control.name;
    const value = field === "duration" ? Number(control.value) : control.value;
    if (field === "duration") {
      const { min, max } = options.duration ?? {};
      if (!control.value || Number.isNaN(value) || (min !== undefined && value < min) || (max !== undefined && value > max)) {
        showError(control, `Duration must be a number of seconds from ${min} to ${max}.`);
        return;
      }
    }
    if (value === saved[field]) return;
    status.textContent = "Saving…";
    // The prompt is bilingual: each language is its own field of `prompt`.
    const [name, lang] = field.split(".");
    const sent = field === "things" ? thingsOf(value) : value;
    const change = lang ? { [name]: { [lang]: sent } } : { [name]: sent };
    try {
      const updated = await api("PATCH", project(projectId, `/storyboard/shots/${encodeURIComponent(shot.id)}`), change);
      if (field === "things" || field === "focus") {
        current = updated.things ?? [];
        saved.things = things.value = current.map((t) => t.kind).join(", ");
        saved.focus = updated.focus ?? "";
        fillFocus(updated.subjects ?? [], current.map((t) => t.kind), updated.focus);
      } else {
        saved[field] = lang ? (updated.prompt?.[lang] ?? "") : updated[field];
        if (!lang && control.value !== String(updated[field])) control.value = String(updated[field]);
      }
      control.removeAttribute("aria-invalid");
      control.removeAttribute("aria-describedby");
      error.textContent = "";
      status.textContent = "Saved.";
      if (updated.thumbnail_url) {
        // The panel is redrawn from the new framing; a fresh query defeats the image cache.
        thumb.src = mediaUrl(updated.thumbnail_url, { v: Date.now() });
      }
      card.dataset.size = updated.size;
      announce(`Shot ${shot.id} ${field} saved`);
    } catch (failure) {
      showError(control, failure.message);
    }
  }

  function showError(control, message) {
    status.textContent = "";
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", error.id);
    error.textContent = `${labelOf(control.name)}: ${message}`;
  }

  const card = h("article", {
    class: "shot-card",
    role: "listitem",
    "aria-labelledby": `${key}-heading`,
    dataset: { shotId: shot.id, size: shot.size },
    onchange: (event) => { if (event.target.name) saveField(event.target); },
  },
  h("h3", { id: `${key}-heading` }, `Shot ${shot.id}`, " ", h("small", { class: "muted" }, `scene ${shot.scene}`)),
  thumb,
  h("div", { class: "fields" },
    field(size, "Size"),
    field(move, "Camera move"),
    field(angle, "Angle"),
    field(duration, "Duration (seconds)"),
    field(things, "Props and animals", { wide: true }),
    field(focus, "Focus"),
    field(promptEn, "Prompt (English)", { wide: true }),
    field(promptZh, ["Prompt (Chinese) ", h("span", { lang: "zh-Hans" }, "提示词")], { wide: true })),
  (shot.lines ?? []).length ? h("p", { class: "muted" }, `${shot.lines.length} line${shot.lines.length === 1 ? "" : "s"} of dialogue`) : null,
  h("div", { class: "actions" },
    h("a", { href: `#/p/${encodeURIComponent(projectId)}/takes/${encodeURIComponent(shot.id)}` }, "Takes")),
  status,
  error);
  return card;
}

function labelOf(field) {
  const labels = {
    size: "Size", move: "Camera move", angle: "Angle", duration: "Duration",
    "prompt.en": "Prompt (English)", "prompt.zh": "Prompt (Chinese)",
    things: "Props and animals", focus: "Focus",
  };
  return labels[field] ?? field;
}
