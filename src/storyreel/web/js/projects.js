// Projects: list, create, open, delete.

import { api, project } from "./api.js";
import { announce, confirmAction, field, fill, h, uid, when } from "./dom.js";

export async function renderProjects(main) {
  const list = h("ul", { class: "project-list", "aria-label": "Projects" });
  const error = h("p", { class: "error", role: "alert" });
  const titleId = uid("title");
  const title = h("input", { id: titleId, name: "title", required: true, maxlength: 200, autocomplete: "off" });
  const create = h("form", {
    class: "inline-form panel",
    "aria-labelledby": "new-project-heading",
    onsubmit: async (event) => {
      event.preventDefault();
      error.textContent = "";
      const name = title.value.trim();
      if (!name) {
        error.textContent = "Give the project a title.";
        title.focus();
        return;
      }
      try {
        const made = await api("POST", "/projects", { title: name });
        announce(`Project ${made.title} created`);
        window.location.hash = `#/p/${encodeURIComponent(made.id)}/script`;
      } catch (failure) {
        error.textContent = failure.message;
      }
    },
  },
  h("h2", { id: "new-project-heading", class: "visually-hidden" }, "New project"),
  field(title, "New project title"),
  h("button", { type: "submit", class: "primary" }, "Create project"));

  fill(main,
    h("h1", { tabindex: "-1" }, "Projects"),
    create,
    error,
    h("h2", {}, "Your films"),
    list);

  async function refresh() {
    const projects = await api("GET", "/projects");
    if (projects.length === 0) {
      fill(list, h("li", { class: "muted" }, "No projects yet: give one a title above."));
      return;
    }
    fill(list, projects.map((item) => projectRow(item, refresh, error)));
  }
  await refresh();
  return null;
}

function projectRow(item, refresh, error) {
  const open = `#/p/${encodeURIComponent(item.id)}/script`;
  return h("li", { dataset: { projectId: item.id } },
    h("div", {},
      h("a", { class: "title", href: open }, item.title),
      h("div", { class: "muted" },
        `${item.shot_count} shot${item.shot_count === 1 ? "" : "s"}`,
        item.has_film ? " · film made" : " · no film yet",
        item.updated_at ? ` · updated ${when(item.updated_at)}` : "")),
    h("div", { class: "actions" },
      h("a", { class: "button", href: open, "aria-label": `Open ${item.title}` }, "Open"),
      h("button", {
        type: "button",
        class: "danger",
        "aria-label": `Delete ${item.title}`,
        onclick: async () => {
          const sure = await confirmAction(
            `Delete “${item.title}”? Its script, storyboard, cast and films are removed.`, "Delete");
          if (!sure) return;
          try {
            await api("DELETE", project(item.id));
            announce(`Project ${item.title} deleted`);
            await refresh();
            document.querySelector("main h1")?.focus();
          } catch (failure) {
            error.textContent = failure.message;
          }
        },
      }, "Delete")));
}
