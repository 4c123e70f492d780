// The studio: a one-page app with hash routes.
//
//   #token=...                 the link `storyreel serve` prints: keep the token, go to projects
//   #/projects                 list, create, open, delete
//   #/p/{id}/script            script editor with a live shot list
//   #/p/{id}/board             storyboard grid
//   #/p/{id}/cast              cast library
//   #/p/{id}/make              make the film, watch it, play it
//   #/p/{id}/versions          versions: diff two, check one out
//   #/p/{id}/takes[/{shot}]    a shot's takes side by side, pick one
//   #/p/{id}/quality           every take's checks, with their plots
//   #/p/{id}/arena             two takes blind, vote; the leaderboard
//   #/p/{id}/variants          the films of a variants matrix, side by side; pick one
//   #/login                    paste a token

import { ApiError, getToken, setToken } from "./js/api.js";
import { fill, h } from "./js/dom.js";
import { renderProjects } from "./js/projects.js";
import { renderProject } from "./js/shell.js";

const main = document.getElementById("main");
let cleanup = null;

function takeTokenFromHash() {
  const hash = window.location.hash;
  const match = hash.match(/^#(?:\/)?\??token=([^&]+)/);
  if (!match) return false;
  let token = match[1];
  try {
    token = decodeURIComponent(token);
  } catch {
    // A token with a bare "%" is used as written.
  }
  setToken(token);
  // The token leaves the address bar (and the history) at once.
  window.history.replaceState(null, "", `${window.location.pathname}${window.location.search}#/projects`);
  return true;
}

function parseRoute(hash) {
  const path = hash.replace(/^#/, "") || "/projects";
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || parts[0] === "projects") return { name: "projects" };
  if (parts[0] === "login") return { name: "login" };
  if (parts[0] === "p" && parts[1]) {
    return { name: "project", id: parts[1], tab: parts[2] || "script", arg: parts[3] ?? null };
  }
  return { name: "missing", path };
}

function renderLogin(target, message = "") {
  const input = h("input", { id: "token-input", name: "token", type: "password", autocomplete: "off", required: true });
  const form = h("form", {
    class: "panel",
    onsubmit: (event) => {
      event.preventDefault();
      setToken(input.value.trim());
      // Signing in where the token was refused shows that page again; from the sign-in
      // page itself, go to the projects.
      if (parseRoute(window.location.hash).name === "login") window.location.hash = "#/projects";
      else route();
    },
  },
  h("label", { for: "token-input" }, "Studio token"),
  input,
  h("p", { class: "muted" }, "The token is in the link `storyreel serve` printed (after #token=)."),
  h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Open the studio")));
  fill(target,
    h("h1", { tabindex: "-1" }, "Sign in"),
    message ? h("p", { class: "error", role: "alert" }, message) : null,
    form);
  input.focus();
}

async function route() {
  takeTokenFromHash();
  if (typeof cleanup === "function") cleanup();
  cleanup = null;
  const focusAtStart = document.activeElement;
  document.getElementById("sign-out").hidden = !getToken();
  const where = parseRoute(window.location.hash);
  if (where.name !== "login" && !getToken()) {
    renderLogin(main);
    return;
  }
  // Busy while the page loads its data: assistive technology waits, and so can tests.
  main.setAttribute("aria-busy", "true");
  try {
    if (where.name === "login") renderLogin(main);
    else if (where.name === "projects") cleanup = await renderProjects(main);
    else if (where.name === "project") cleanup = await renderProject(main, where);
    else fill(main, h("h1", { tabindex: "-1" }, "Page not found"), h("p", {}, h("a", { href: "#/projects" }, "Back to projects")));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return; // the unauthorized handler took over
    fill(main, h("h1", { tabindex: "-1" }, "Something went wrong"), h("p", { class: "error", role: "alert" }, error.message));
  } finally {
    main.removeAttribute("aria-busy");
  }
  focusHeading(focusAtStart);
}

let lastPath = "";
function focusHeading(focusAtStart) {
  // Keyboard and screen-reader users start at the new page's heading, but only when the
  // page changed, and never when they moved the focus themselves while it loaded.
  const path = window.location.hash.split("/").slice(0, 4).join("/");
  if (path === lastPath) return;
  lastPath = path;
  const active = document.activeElement;
  const untouched = !active || active === document.body || active === focusAtStart || !active.isConnected;
  if (!untouched || main.contains(active)) return;
  main.querySelector("h1")?.focus({ preventScroll: true });
}

window.addEventListener("storyreel:unauthorized", () => {
  setToken("");
  renderLogin(main, "The token was not accepted; paste the token `storyreel serve` printed.");
});
document.getElementById("sign-out").addEventListener("click", () => {
  setToken("");
  window.location.hash = "#/login";
});
window.addEventListener("hashchange", route);
route();
