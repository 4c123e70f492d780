// The arena: two takes of a shot side by side, blind (no engine, seed or settings, the
// sides in random order); vote A, B or tie, and see the leaderboard the votes give.

import { ApiError, api, mediaUrl, project } from "./api.js";
import { announce, fill, h } from "./dom.js";

export async function renderArena(room, info) {
  const stage = h("div", { class: "takes", id: "arena-pair" });
  const status = h("p", { class: "status ok", role: "status", "aria-live": "polite", id: "arena-status" });
  const error = h("p", { class: "error", role: "alert" });
  const byChooser = h("select", { id: "arena-by", name: "by", onchange: () => board() },
    ["engine", "seed", "take"].map((b) => h("option", { value: b }, b)));
  const table = h("div", { id: "arena-board" });
  let current = null;

  async function next() {
    try {
      current = await api("GET", project(info.id, "/arena/pair"));
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        fill(stage, h("p", {}, failure.message));
        return;
      }
      throw failure;
    }
    const side = (label, take) => h("article", { class: "take", dataset: { side: label } },
      h("h3", {}, `Take ${label}`),
      h("video", { controls: true, loop: true, preload: "metadata", src: mediaUrl(take.video_url), "aria-label": `Take ${label}` }));
    fill(stage,
      side("A", current.a),
      side("B", current.b),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "primary", onclick: () => vote("a") }, "A is better"),
        h("button", { type: "button", onclick: () => vote("tie") }, "Tie"),
        h("button", { type: "button", class: "primary", onclick: () => vote("b") }, "B is better")));
  }

  async function vote(winner) {
    error.textContent = "";
    try {
      await api("POST", project(info.id, "/arena/votes"), {
        shot_id: current.shot_id, take_a: current.a.key, take_b: current.b.key, winner,
      });
      const message = `Vote recorded for shot ${current.shot_id}`;
      status.textContent = message;
      announce(message);
      await board();
      await next();
    } catch (failure) {
      error.textContent = failure.message;
    }
  }

  async function board() {
    const data = await api("GET", project(info.id, `/arena/leaderboard?by=${byChooser.value}`));
    if (data.standings.length === 0) {
      fill(table, h("p", {}, data.votes ? `No votes between different ${data.by}s yet.` : "No votes yet."));
      return;
    }
    fill(table, h("table", { class: "leaderboard" },
      h("caption", {}, `${data.votes} votes, by ${data.by}`),
      h("thead", {}, h("tr", {}, ["rank", data.by, "rating", "95% interval", "votes", "wins"].map((c) => h("th", {}, c)))),
      h("tbody", {}, data.standings.map((s, i) => h("tr", {},
        h("td", {}, String(i + 1)), h("td", {}, s.player), h("td", {}, s.rating.toFixed(0)),
        h("td", {}, `${s.low.toFixed(0)}–${s.high.toFixed(0)}`), h("td", {}, String(s.votes)), h("td", {}, String(s.wins)))))));
  }

  fill(room,
    h("h2", { id: "room-heading" }, "Arena"),
    h("p", { class: "muted" }, "Two takes of the same shot, blind: which is better?"),
    status, error, stage,
    h("h3", {}, "Leaderboard"),
    h("label", { for: "arena-by" }, "Rank by "), byChooser,
    table);
  await next();
  await board();
  return () => stage.querySelectorAll("video").forEach((video) => video.pause());
}
