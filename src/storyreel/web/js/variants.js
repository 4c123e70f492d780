// Variants: the films a matrix made from the script (language x aspect x length x call
// to action), each with its settings and what the checks found; watch them and pick one.

import { api, mediaUrl, project } from "./api.js";
import { announce, fill, h, langTag, seconds } from "./dom.js";

export async function renderVariants(room, info) {
  const grid = h("div", { class: "takes variants", id: "variants", role: "list", "aria-label": "Variants" });
  const status = h("p", { class: "status ok", role: "status", "aria-live": "polite", id: "variants-status" });
  const error = h("p", { class: "error", role: "alert" });
  const path = project(info.id, "/variants");

  function card(film, picked) {
    const qa = film.qa_failed
      ? `QA: ${film.qa_passed} passed, ${film.qa_failed} failed (shots ${film.failing_shots.join(", ")})`
      : `QA: ${film.qa_passed} passed`;
    const isPicked = film.variant === picked;
    return h("article", {
      class: `take${isPicked ? " pinned" : ""}`,
      role: "listitem",
      "aria-labelledby": `variant-${film.variant}-heading`,
      dataset: { variant: film.variant },
    },
    h("h3", { id: `variant-${film.variant}-heading` }, film.variant, " ",
      isPicked ? h("span", { class: "badge on" }, "picked") : null),
    h("video", { controls: true, preload: "metadata", src: mediaUrl(film.url), "aria-label": `Film ${film.variant}`, lang: langTag(film.language) }),
    h("p", { class: "muted" },
      `${film.language} · ${film.aspect} · ${film.length} s target · ${seconds(film.duration)} · ${film.shots} shots`),
    film.cta ? h("p", { class: "muted" }, `Call to action: ${film.cta}`) : null,
    h("p", { class: "muted" }, `Takes: ${film.takes_rendered} rendered, ${film.takes_reused} reused`),
    h("p", { class: film.qa_failed ? "error" : "muted", dataset: { qa: "" } }, qa),
    h("div", { class: "actions" },
      h("button", {
        type: "button",
        class: "primary",
        "aria-label": `Pick ${film.variant}`,
        disabled: isPicked,
        onclick: () => pick(film.variant),
      }, isPicked ? "Picked" : "Pick this one")));
  }

  async function refresh() {
    const made = await api("GET", path);
    if (made.films.length === 0) {
      fill(grid, h("p", { role: "listitem" }, "No variants yet: run `storyreel variants` or POST …/variants."));
      return;
    }
    fill(grid, made.films.map((film) => card(film, made.picked)));
  }

  async function pick(variant) {
    error.textContent = "";
    try {
      await api("POST", `${path}/pick`, { variant });
      const message = `${variant} picked`;
      status.textContent = message;
      announce(message);
      await refresh();
    } catch (failure) {
      error.textContent = failure.message;
    }
  }

  fill(room,
    h("h2", { id: "room-heading" }, "Variants"),
    h("p", { class: "muted" }, "One film per language, frame and length, from the same project: watch them and pick one."),
    status,
    error,
    grid);
  await refresh();
  return () => grid.querySelectorAll("video").forEach((video) => video.pause());
}
