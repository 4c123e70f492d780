// The script editor: the text on the left, the shots it plans on the right, updated as
// the user types (a debounced preview that saves nothing).

import { ApiError, api, project } from "./api.js";
import { announce, debounce, fill, h, langTag, seconds } from "./dom.js";
import { loadOptions, termLabel } from "./options.js";

const PREVIEW_DELAY_MS = 350;

export async function renderScript(room, info) {
  const [script, options] = await Promise.all([
    api("GET", project(info.id, "/script")),
    loadOptions(info.id).catch(() => null),
  ]);

  const gutter = h("pre", { class: "gutter", "aria-hidden": "true" });
  const text = h("textarea", {
    id: "script-text",
    name: "text",
    spellcheck: "false",
    lang: langTag(info.language),
    "aria-describedby": "script-help script-errors",
    value: script.text ?? "",
  });
  const errors = h("ul", { id: "script-errors", class: "script-errors", role: "alert" });
  const saveStatus = h("span", { class: "status", role: "status", "aria-live": "polite" });
  const save = h("button", { type: "submit", class: "primary" }, "Save script");
  const shotsStatus = h("p", { class: "muted", id: "shots-status", role: "status", "aria-live": "polite" });
  const shotList = h("ol", { class: "shot-list", id: "shot-list", "aria-labelledby": "shots-heading" });
  let savedText = text.value;
  let badLines = [];

  function drawGutter() {
    const count = text.value.split("\n").length;
    const rows = [];
    for (let n = 1; n <= count; n += 1) {
      rows.push(badLines.includes(n) ? h("span", { class: "bad" }, `${n}`) : `${n}`, "\n");
    }
    fill(gutter, rows);
    gutter.scrollTop = text.scrollTop;
  }

  function showErrors(failure) {
    badLines = failure instanceof ApiError ? failure.lines : [];
    text.setAttribute("aria-invalid", "true");
    const items = [h("li", {}, failure.message)];
    for (const line of badLines) {
      items.push(h("li", {}, h("button", { type: "button", class: "link-button", onclick: () => goToLine(line) }, `Go to line ${line}`)));
    }
    fill(errors, items);
    drawGutter();
  }

  function clearErrors() {
    badLines = [];
    text.removeAttribute("aria-invalid");
    fill(errors);
    drawGutter();
  }

  function goToLine(line) {
    const starts = [0];
    for (let i = 0; i < text.value.length; i += 1) if (text.value[i] === "\n") starts.push(i + 1);
    const start = starts[Math.min(line, starts.length) - 1] ?? 0;
    const end = text.value.indexOf("\n", start);
    text.focus();
    text.setSelectionRange(start, end === -1 ? text.value.length : end);
    const lineHeight = parseFloat(getComputedStyle(text).lineHeight) || 20;
    text.scrollTop = Math.max(0, (line - 3) * lineHeight);
  }

  let previewController = null;
  async function preview() {
    previewController?.abort();
    previewController = new AbortController();
    shotsStatus.textContent = "Planning shots…";
    try {
      const board = await api("POST", project(info.id, "/script/preview"), { text: text.value }, { signal: previewController.signal });
      drawShots(shotList, board, options);
      shotsStatus.textContent = `${board.shots.length} shot${board.shots.length === 1 ? "" : "s"} · ${seconds(board.duration)}`;
      clearErrors();
    } catch (failure) {
      if (failure.name === "AbortError") return;
      shotsStatus.textContent = "The shot list shows the last script that could be read.";
      showErrors(failure);
    }
  }
  const previewSoon = debounce(preview, PREVIEW_DELAY_MS);

  async function saveScript() {
    saveStatus.textContent = "Saving…";
    saveStatus.className = "status muted";
    try {
      const saved = await api("PUT", project(info.id, "/script"), { text: text.value });
      savedText = saved.text;
      saveStatus.textContent = "Saved.";
      const count = document.getElementById("project-shot-count");
      if (count) count.textContent = `${shotList.children.length} shots`;
      saveStatus.className = "status ok";
      clearErrors();
      announce("Script saved");
    } catch (failure) {
      saveStatus.textContent = "Not saved: see the error below the script.";
      saveStatus.className = "status error";
      showErrors(failure);
    }
  }

  text.addEventListener("input", () => {
    drawGutter();
    saveStatus.textContent = text.value === savedText ? "" : "Unsaved changes.";
    saveStatus.className = "status muted";
    previewSoon();
  });
  text.addEventListener("scroll", () => { gutter.scrollTop = text.scrollTop; });
  text.addEventListener("keydown", (event) => {
    // Ctrl/Cmd+S and Ctrl/Cmd+Enter save; plain Enter is a new line in a script.
    if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "Enter")) {
      event.preventDefault();
      saveScript();
    }
  });

  const form = h("form", {
    class: "editor",
    onsubmit: (event) => { event.preventDefault(); saveScript(); },
  },
  h("h2", { id: "room-heading" }, "Script"),
  h("label", { for: "script-text" }, "Story (Fountain or plain prose)"),
  h("p", { id: "script-help", class: "muted" },
    `Format: ${script.format ?? "fountain"}. Ctrl+S saves. The shot list follows as you type.`),
  h("div", { class: "code" }, gutter, text),
  errors,
  h("div", { class: "actions" }, save, saveStatus));

  fill(room, h("div", { class: "editor-layout" },
    form,
    h("section", { class: "shots", "aria-labelledby": "shots-heading" },
      h("h2", { id: "shots-heading" }, "Shots"),
      shotsStatus,
      shotList)));
  drawGutter();
  if (text.value.trim()) preview();
  else shotsStatus.textContent = "Type or paste a story: its shots appear here.";
  return () => { previewSoon.cancel(); previewController?.abort(); };
}

export function drawShots(list, board, options) {
  fill(list, board.shots.map((shot) => h("li", { dataset: { shotId: shot.id } },
    h("div", {},
      h("strong", {}, `Shot ${shot.id}`), " ",
      h("span", { class: "meta" },
        termLabel(options?.sizes, shot.size), " · ", termLabel(options?.moves, shot.move), " · ", seconds(shot.duration))),
    shot.setting?.location ? h("div", { class: "meta" }, "Scene ", String(shot.scene), ": ", h("span", {}, shot.setting.location)) : null,
    shot.prompt?.en ? h("p", { class: "line muted", lang: "en" }, shot.prompt.en)
      : shot.prompt?.zh ? h("p", { class: "line muted", lang: "zh-Hans" }, shot.prompt.zh) : null,
    (shot.lines ?? []).map((line) => h("p", { class: "line" },
      h("strong", {}, line.character), ": ", h("q", { lang: langTag(line.lang) }, line.text))))));
}
