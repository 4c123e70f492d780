// The storyboard's vocabulary (sizes, moves, angles, duration limits) as the server
// declares it: selects and labels are built from this, never from a list kept here.

import { api, project } from "./api.js";
import { h } from "./dom.js";

const cache = new Map();

export function loadOptions(projectId) {
  if (!cache.has(projectId)) {
    const pending = api("GET", project(projectId, "/storyboard/options"));
    pending.catch(() => cache.delete(projectId)); // a failure is not remembered
    cache.set(projectId, pending);
  }
  return cache.get(projectId);
}

/** "Close-up · 特写" with the Chinese marked as Chinese, for text outside a <select>. */
export function termLabel(choices, value) {
  const found = (choices ?? []).find((choice) => choice.value === value);
  if (!found) return h("span", {}, value ?? "");
  return h("span", {}, found.label_en, " · ", h("span", { lang: "zh-Hans" }, found.label_zh));
}

/** The same label as plain text, for <option>s (which hold no markup). */
export function termText(choice) {
  return choice.label_zh ? `${choice.label_en} · ${choice.label_zh}` : choice.label_en;
}

export function selectFor(id, name, choices, value) {
  const select = h("select", { id, name });
  for (const choice of choices ?? []) {
    select.append(h("option", { value: choice.value, selected: choice.value === value }, termText(choice)));
  }
  if (value && !(choices ?? []).some((choice) => choice.value === value)) {
    // A value the server no longer offers stays visible rather than silently changing.
    select.append(h("option", { value, selected: true }, value));
  }
  return select;
}
