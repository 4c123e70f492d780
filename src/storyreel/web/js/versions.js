// Versions: every make records the storyboard it filmed. Pick two to see what changed
// between them, or check one out to make its storyboard the current one again.

import { ApiError, api, mediaUrl, project } from "./api.js";
import { announce, confirmAction, field, fill, h, seconds, when } from "./dom.js";

export async function renderVersions(room, info) {
  const versions = await api("GET", project(info.id, "/versions"));
  const error = h("p", { class: "error", role: "alert" });
  const result = h("div", { class: "diff", id: "version-diff", "aria-live": "polite" });
  const status = h("p", { class: "status ok", role: "status" });

  if (versions.length === 0) {
    fill(room,
      h("h2", { id: "room-heading" }, "Versions"),
      h("p", {}, "No versions yet: every make records one. ",
        h("a", { href: `#/p/${encodeURIComponent(info.id)}/make` }, "Make the film"), " first."));
    return null;
  }

  const newest = [...versions].sort((x, y) => y.number - x.number);
  const pick = (id, chosen) => h("select", { id, name: id },
    newest.map((v) => h("option", { value: String(v.number), selected: v.number === chosen }, `Version ${v.number}`)));
  const from = pick("diff-a", newest[1]?.number ?? newest[0].number);
  const to = pick("diff-b", newest[0].number);

  const compare = h("form", {
    class: "inline-form panel",
    "aria-labelledby": "compare-heading",
    onsubmit: async (event) => {
      event.preventDefault();
      error.textContent = "";
      try {
        const diff = await api("GET", project(info.id, `/versions/diff?a=${encodeURIComponent(from.value)}&b=${encodeURIComponent(to.value)}`));
        drawDiff(result, diff);
      } catch (failure) {
        error.textContent = failure.message;
      }
    },
  },
  h("h3", { id: "compare-heading", class: "visually-hidden" }, "Compare two versions"),
  field(from, "From"),
  field(to, "To"),
  h("button", { type: "submit", class: "primary" }, "Compare"));

  const rows = newest.map((v) => h("tr", { dataset: { version: String(v.number) } },
    h("th", { scope: "row" }, String(v.number)),
    h("td", {}, when(v.created_at)),
    h("td", {}, `${v.shot_count}`),
    h("td", {}, seconds(v.duration)),
    h("td", {}, v.message ?? ""),
    h("td", {}, v.film_url ? h("a", { href: mediaUrl(v.film_url) }, "Film") : h("span", { class: "muted" }, "—")),
    h("td", {}, h("button", {
      type: "button",
      "aria-label": `Check out version ${v.number}`,
      onclick: async () => {
        const sure = await confirmAction(`Make version ${v.number}'s storyboard the one to film?`, "Check out");
        if (!sure) return;
        error.textContent = "";
        const path = project(info.id, `/versions/${v.number}/checkout`);
        try {
          let board;
          try {
            board = await api("POST", path);
          } catch (failure) {
            // The server keeps the creator's own storyboard edits unless told to replace
            // them: say so, and ask again before anything is lost.
            if (!(failure instanceof ApiError) || failure.status !== 409) throw failure;
            const replace = await confirmAction(
              `Your storyboard has edits no make has recorded yet. Checking out version ${v.number} replaces them.`,
              "Replace my edits");
            if (!replace) return;
            board = await api("POST", `${path}?force=true`);
          }
          status.textContent = `Checked out version ${v.number}: the storyboard has ${board.shots.length} shots again.`;
          announce(status.textContent);
        } catch (failure) {
          error.textContent = failure.message;
        }
      },
    }, "Check out"))));

  fill(room,
    h("h2", { id: "room-heading" }, "Versions"),
    h("table", {},
      h("caption", { class: "visually-hidden" }, "Versions of this film, newest first"),
      h("thead", {}, h("tr", {}, ["Version", "Made", "Shots", "Length", "Note", "Film", ""].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows)),
    status,
    h("h3", {}, "What changed"),
    compare,
    error,
    result);
  return null;
}

function drawDiff(target, diff) {
  const nothing = !diff.added.length && !diff.removed.length && !diff.changed.length && !(diff.moved ?? []).length && !(diff.board ?? []).length;
  if (nothing) {
    fill(target, h("p", {}, `Versions ${diff.a} and ${diff.b} have the same storyboard.`));
    return;
  }
  const shotIds = (ids) => h("ul", {}, ids.map((id) => h("li", {}, `Shot ${id}`)));
  fill(target,
    h("p", {}, `From version ${diff.a} to version ${diff.b}:`),
    diff.added.length ? [h("h4", { class: "added" }, `Added (${diff.added.length})`), shotIds(diff.added)] : null,
    diff.removed.length ? [h("h4", { class: "removed" }, `Removed (${diff.removed.length})`), shotIds(diff.removed)] : null,
    diff.changed.length ? [
      h("h4", {}, `Changed (${diff.changed.length})`),
      h("ul", { class: "changed" }, diff.changed.map((shot) => h("li", { dataset: { shotId: shot.shot_id } },
        h("strong", {}, `Shot ${shot.shot_id}`),
        changeList(shot.changes)))),
    ] : null,
    (diff.moved ?? []).length ? [h("h4", {}, "Moved"), shotIds(diff.moved)] : null,
    (diff.board ?? []).length ? [h("h4", {}, "Whole storyboard"), changeList(diff.board)] : null);
}

function changeList(changes) {
  return h("ul", {}, changes.map((change) => h("li", {},
    h("code", {}, change.path), ": ",
    h("del", {}, show(change.before)), " → ", h("ins", {}, show(change.after)))));
}

function show(value) {
  if (value === null || value === undefined) return "(none)";
  return typeof value === "string" ? value : JSON.stringify(value);
}
