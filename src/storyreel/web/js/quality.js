// Quality: what the make's checks found in every take, shot by shot, with each
// check's plot (per-frame difference, identity similarity, lip-sync correlation).

import { api, mediaUrl, project } from "./api.js";
import { fill, h } from "./dom.js";

function verdict(check) {
  if (!check.applicable) return h("span", { class: "badge" }, "n/a");
  return check.passed ? h("span", { class: "badge on" }, "pass") : h("span", { class: "badge fail" }, "FAIL");
}

export async function renderQuality(room, info) {
  const data = await api("GET", project(info.id, "/quality"));
  if (data.takes.length === 0) {
    fill(room, h("h2", { id: "room-heading" }, "Quality"), h("p", {}, "No takes yet: make the film, and each take is checked."));
    return null;
  }
  const failing = data.failing_shots;
  const summary = failing.length
    ? h("p", { class: "error", id: "quality-summary", role: "status" }, `Shots failing a check in the film: ${failing.join(", ")}`)
    : h("p", { class: "status ok", id: "quality-summary", role: "status" }, "Every take in the film passes its checks.");
  const rows = data.takes.map((take) => h("article", {
    class: `take${take.in_film ? " pinned" : ""}`,
    dataset: { key: take.key, shot: take.shot_id },
  },
  h("h3", {}, `Shot ${take.shot_id} · take ${take.key.slice(0, 10)}`, " ",
    take.in_film ? h("span", { class: "badge on" }, "in the film") : null),
  h("p", { class: "muted" }, `${take.engine} · seed ${take.seed} · score ${take.score === null ? "not judged" : take.score.toFixed(3)}`),
  h("table", { class: "checks" },
    h("thead", {}, h("tr", {}, h("th", {}, "check"), h("th", {}, "score"), h("th", {}, "verdict"), h("th", {}, "notes"))),
    h("tbody", {}, take.checks.map((c) => h("tr", { dataset: { check: c.check } },
      h("td", {}, c.check), h("td", {}, c.score.toFixed(3)), h("td", {}, verdict(c)), h("td", {}, c.notes.join("; ")))))),
  take.checks.filter((c) => c.plot_url).map((c) => h("img", {
    src: mediaUrl(c.plot_url), alt: `${c.check} of take ${take.key.slice(0, 10)}`, loading: "lazy", width: 640, height: 200,
  }))));
  fill(room, h("h2", { id: "room-heading" }, "Quality"), summary, h("div", { class: "quality", id: "quality" }, rows));
  return null;
}
