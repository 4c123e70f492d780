// Takes: every render of a shot is kept. Watch them side by side and pin the one the
// film should use; later makes keep it until it is unpinned.

import { api, mediaUrl, project } from "./api.js";
import { announce, field, fill, h, when } from "./dom.js";

export async function renderTakes(room, info, shotArg) {
  const board = await api("GET", project(info.id, "/storyboard"));
  const base = `#/p/${encodeURIComponent(info.id)}/takes`;
  if (board.shots.length === 0) {
    fill(room, h("h2", { id: "room-heading" }, "Takes"), h("p", {}, "No shots yet."));
    return null;
  }
  const shotId = board.shots.some((s) => s.id === shotArg) ? shotArg : board.shots[0].id;
  const chooser = h("select", {
    id: "take-shot",
    name: "shot",
    onchange: () => { window.location.hash = `${base}/${encodeURIComponent(chooser.value)}`; },
  }, board.shots.map((s) => h("option", { value: s.id, selected: s.id === shotId }, `Shot ${s.id}`)));
  const list = h("div", { class: "takes", id: "takes", role: "list", "aria-label": `Takes of shot ${shotId}` });
  const error = h("p", { class: "error", role: "alert" });
  const status = h("p", { class: "status ok", role: "status", "aria-live": "polite" });
  const shotPath = project(info.id, `/shots/${encodeURIComponent(shotId)}`);

  async function refresh() {
    const takes = await api("GET", `${shotPath}/takes`);
    if (takes.length === 0) {
      fill(list, h("p", { role: "listitem" }, "No takes yet: make the film to render this shot."));
      return;
    }
    const anyPinned = takes.some((t) => t.pinned);
    fill(list, takes.map((take, i) => h("article", {
      class: `take${take.pinned ? " pinned" : ""}`,
      role: "listitem",
      "aria-labelledby": `take-${i}-heading`,
      dataset: { key: take.key },
    },
    h("h3", { id: `take-${i}-heading` }, `Take ${i + 1}`, " ",
      take.pinned ? h("span", { class: "badge on" }, "pinned") : null, " ",
      take.current ? h("span", { class: "badge" }, "in the film") : null),
    h("video", { controls: true, preload: "metadata", src: mediaUrl(take.video_url), "aria-label": `Take ${i + 1} of shot ${shotId}` }),
    h("p", { class: "muted" }, `${take.engine} · ${take.frames} frames${take.created_at ? ` · ${when(take.created_at)}` : ""}`),
    h("div", { class: "actions" },
      take.pinned
        ? h("button", { type: "button", onclick: () => act("DELETE", `${shotPath}/pin`, `Shot ${shotId} is no longer pinned`) }, "Unpin")
        : h("button", {
          type: "button",
          class: "primary",
          "aria-label": `Pick take ${i + 1}`,
          onclick: () => act("POST", `${shotPath}/takes/${encodeURIComponent(take.key)}/pin`, `Take ${i + 1} pinned for shot ${shotId}`),
        }, anyPinned ? "Pick this one instead" : "Pick this one")))));
  }

  async function act(method, path, message) {
    error.textContent = "";
    try {
      await api(method, path);
      status.textContent = message;
      announce(message);
      await refresh();
      list.querySelector("button")?.focus();
    } catch (failure) {
      error.textContent = failure.message;
    }
  }

  fill(room,
    h("h2", { id: "room-heading" }, "Takes"),
    field(chooser, "Shot"),
    h("p", { class: "muted" }, "The film uses the pinned take of a shot; without a pin, its newest take."),
    status,
    error,
    list);
  await refresh();
  return () => list.querySelectorAll("video").forEach((video) => video.pause());
}
