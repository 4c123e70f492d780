// A project's page: its title, tabs for each room of the studio, and the room itself.

import { api, project } from "./api.js";
import { fill, h, langTag } from "./dom.js";
import { renderBoard } from "./board.js";
import { renderCast } from "./cast.js";
import { renderMake } from "./make.js";
import { renderScript } from "./script.js";
import { renderTakes } from "./takes.js";
import { renderTimeline } from "./timeline.js";
import { renderQuality } from "./quality.js";
import { renderArena } from "./arena.js";
import { renderVersions } from "./versions.js";
import { renderVariants } from "./variants.js";

const TABS = [
  ["script", "Script", renderScript],
  ["board", "Storyboard", renderBoard],
  ["timeline", "Timeline", renderTimeline],
  ["cast", "Cast", renderCast],
  ["make", "Make", renderMake],
  ["versions", "Versions", renderVersions],
  ["takes", "Takes", renderTakes],
  ["quality", "Quality", renderQuality],
  ["arena", "Arena", renderArena],
  ["variants", "Variants", renderVariants],
];

export async function renderProject(main, where) {
  const info = await api("GET", project(where.id));
  const tab = TABS.find(([key]) => key === where.tab);
  const base = `#/p/${encodeURIComponent(info.id)}`;
  const room = h("section", { class: "room", "aria-labelledby": "room-heading" });
  fill(main,
    h("div", { class: "project-head" },
      h("h1", { tabindex: "-1", lang: langTag(info.language) }, info.title),
      h("span", { class: "muted", id: "project-shot-count" }, `${info.shot_count} shots`),
      info.has_film ? h("span", { class: "badge on" }, "film made") : null),
    h("nav", { class: "tabs", "aria-label": "Project" },
      TABS.map(([key, label]) => h("a", {
        href: `${base}/${key}`,
        "aria-current": tab && key === tab[0] ? "page" : null,
      }, label))),
    room);
  if (!tab) {
    fill(room, h("h2", { id: "room-heading" }, "No such page"), h("p", {}, h("a", { href: `${base}/script` }, "Open the script")));
    return null;
  }
  document.title = `${tab[1]} · ${info.title} · storyreel studio`;
  return tab[2](room, info, where.arg);
}
