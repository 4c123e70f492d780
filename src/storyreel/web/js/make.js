// Make the film: start a make, follow it live (server-sent events: the overall stage and
// every shot), cancel it, and play the film with its subtitles when it is done.

import { api, mediaUrl, project } from "./api.js";
import { announce, field, fill, h } from "./dom.js";
import { optionsForm } from "./schema_form.js";

const STAGES = [
  ["parse", "Read the script"],
  ["direct", "Plan the shots"],
  ["voice", "Voice the lines"],
  ["render", "Render the shots"],
  ["cut", "Cut the film"],
];
const FINAL = new Set(["succeeded", "failed", "cancelled"]);
const SIZES = [["1280x720", "1280×720 (HD)"], ["854x480", "854×480"], ["640x360", "640×360"], ["320x180", "320×180 (quick draft)"]];
const POLL_MS = 1000;

export async function renderMake(room, info) {
  const [board, plugins] = await Promise.all([
    api("GET", project(info.id, "/storyboard")),
    api("GET", "/plugins"),
  ]);
  const groups = Object.fromEntries(plugins.map((group) => [group.group, group]));

  // --- the form ---------------------------------------------------------------------
  const size = h("select", { id: "make-size", name: "size" },
    SIZES.map(([value, label]) => h("option", { value, selected: value === `${board.width}x${board.height}` }, label)));
  const fps = h("input", { id: "make-fps", name: "fps", type: "number", min: 1, max: 60, step: 1, value: String(board.fps || 24) });
  // Engines and voices, and each one's options, are what the server has installed:
  // the choices, limits and defaults come from their schemas (GET /api/plugins).
  const engine = pluginSelect("make-engine", "engine", groups.engines);
  const voice = pluginSelect("make-voice", "voice", groups.voices);
  const engineOptions = pluginOptions("engine-options", "Engine options", groups.engines, engine);
  const voiceOptions = pluginOptions("voice-options", "Voice options", groups.voices, voice);
  const burn = h("input", { id: "make-burn", name: "burn_subtitles", type: "checkbox" });
  // A clean picture has no slate and no caption band: one to deliver, not to review.
  const clean = h("input", { id: "make-clean", name: "picture", type: "checkbox" });
  const makeButton = h("button", { type: "submit", class: "primary", id: "make-button" }, "Make the film");
  const cancelButton = h("button", { type: "button", class: "danger", id: "cancel-button", hidden: true }, "Cancel make");
  const formError = h("p", { class: "error", role: "alert" });

  function pluginSelect(id, name, group) {
    const usable = (group?.plugins ?? []).filter((plugin) => !plugin.error);
    return h("select", { id, name },
      usable.map((plugin) => h("option", { value: plugin.name, selected: plugin.name === group.default, title: plugin.summary }, plugin.name)));
  }

  /** A disclosure holding the chosen plugin's options, rebuilt when the choice changes. */
  function pluginOptions(id, title, group, select) {
    const box = h("details", { id, class: "plugin-options-box" });
    const state = { form: null };
    const build = () => {
      const plugin = (group?.plugins ?? []).find((p) => p.name === select.value);
      state.form = optionsForm(plugin?.options_schema ?? {}, `${id}-${select.value}`);
      const count = Object.keys(plugin?.options_schema?.properties ?? {}).length;
      box.hidden = count === 0;
      fill(box, h("summary", {}, `${title} (${select.value}: ${count})`),
        plugin?.summary ? h("p", { class: "muted" }, plugin.summary) : null,
        state.form.element);
    };
    select.addEventListener("change", build);
    build();
    return { box, values: () => state.form.values(), problem: () => state.form.problem() };
  }

  // --- the progress -----------------------------------------------------------------
  const stageStatus = h("p", { id: "make-status", role: "status", "aria-live": "polite" }, "Not started.");
  const stageList = h("ol", { class: "stages", "aria-label": "Stages" },
    STAGES.map(([key, label]) => h("li", { dataset: { stage: key } }, label)));
  const stageBar = h("progress", { id: "stage-progress", max: 1, value: 0, "aria-labelledby": "make-status" });
  const stageDetail = h("p", { class: "muted", id: "stage-detail" });
  const shotRows = new Map();
  const shotList = h("ol", { class: "shot-progress", id: "shot-progress", "aria-label": "Shots" },
    board.shots.map((shot) => shotRow(shot.id)));
  const filmRoom = h("section", { id: "film", "aria-labelledby": "film-heading" });

  function shotRow(id) {
    const bar = h("progress", { max: 1, value: 0, "aria-label": `Shot ${id}` });
    const state = h("span", { class: "state" }, "waiting");
    const row = h("li", { dataset: { shotId: id, state: "waiting" } }, h("span", {}, `Shot ${id}`), bar, state);
    shotRows.set(id, { row, bar, state });
    return row;
  }

  function showShot(id, event, fraction) {
    if (!shotRows.has(id)) shotList.append(shotRow(id));
    const { row, bar, state } = shotRows.get(id);
    const value = event === "done" ? 1 : Number(fraction ?? bar.value);
    bar.value = Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
    row.dataset.state = event;
    state.textContent = event === "progress" ? `${Math.round(bar.value * 100)}%` : event;
  }

  let lastStage = "";
  function showProgress(progress) {
    if (!progress) return;
    const index = STAGES.findIndex(([key]) => key === progress.stage);
    stageList.querySelectorAll("li").forEach((li, i) => {
      li.classList.toggle("done", index >= 0 && i < index);
      li.classList.toggle("current", i === index);
    });
    const total = Number(progress.total) || 1;
    stageBar.max = total;
    stageBar.value = Math.min(Number(progress.done) || 0, total);
    stageDetail.textContent = progress.detail ?? "";
    if (progress.stage !== lastStage) {
      // Only stage changes are spoken; every tick would drown the reader.
      lastStage = progress.stage;
      stageStatus.textContent = `${STAGES[index]?.[1] ?? progress.stage}…`;
    }
  }

  function showMake(make) {
    showProgress(make.progress);
    for (const [id, fraction] of Object.entries(make.shots ?? {})) {
      const current = shotRows.get(id)?.row.dataset.state;
      if (fraction >= 1) showShot(id, "done", 1);
      else if (fraction > 0) showShot(id, "progress", fraction);
      else if (!current || current === "waiting") showShot(id, "queued", 0);
    }
    const running = !FINAL.has(make.status);
    makeButton.disabled = running;
    cancelButton.hidden = !running;
    if (make.status === "queued") stageStatus.textContent = "Queued: waiting for the project to be free…";
  }

  // --- following a make ---------------------------------------------------------------
  let stream = null;
  let pollTimer = 0;
  let current = null;

  function stop() {
    stream?.close();
    stream = null;
    window.clearTimeout(pollTimer);
  }

  function follow(make) {
    stop();
    current = make.id;
    showMake(make);
    if (FINAL.has(make.status)) {
      finish(make);
      return;
    }
    const path = project(info.id, `/makes/${encodeURIComponent(make.id)}`);
    stream = new EventSource(mediaUrl(`${path}/events`));
    const data = (event) => { try { return JSON.parse(event.data); } catch { return {}; } };
    stream.addEventListener("progress", (event) => showProgress(data(event)));
    stream.addEventListener("shot", (event) => {
      const shot = data(event);
      showShot(shot.shot_id, shot.event, shot.fraction);
    });
    stream.addEventListener("status", async (event) => {
      const status = data(event);
      if (!FINAL.has(status.status)) {
        if (status.status === "running" && !lastStage) stageStatus.textContent = "Running…";
        return;
      }
      stop();
      // The final record carries the film's address and any error in full.
      finish(await api("GET", path).catch(() => status));
    });
    stream.addEventListener("error", () => {
      // The stream broke (server restart, proxy timeout): ask for the state instead.
      stop();
      poll(path);
    });
  }

  async function poll(path) {
    try {
      const make = await api("GET", path);
      if (make.id !== current) return;
      showMake(make);
      if (FINAL.has(make.status)) finish(make);
      else pollTimer = window.setTimeout(() => poll(path), POLL_MS);
    } catch (failure) {
      formError.textContent = failure.message;
      makeButton.disabled = false;
      cancelButton.hidden = true;
    }
  }

  function finish(make) {
    makeButton.disabled = false;
    cancelButton.hidden = true;
    stageList.querySelectorAll("li").forEach((li) => li.classList.remove("current"));
    if (make.status === "succeeded") {
      stageList.querySelectorAll("li").forEach((li) => li.classList.add("done"));
      stageBar.max = 1;
      stageBar.value = 1;
      stageStatus.textContent = "The film is made.";
      for (const { row } of shotRows.values()) if (row.dataset.state !== "failed") showShot(row.dataset.shotId, "done", 1);
      showFilm(make.film_url, make.id);
      announce("The film is made and ready to play");
    } else if (make.status === "cancelled") {
      stageStatus.textContent = "The make was cancelled.";
    } else {
      stageStatus.textContent = "The make failed.";
      formError.textContent = make.error ?? "The make failed.";
    }
  }

  function showFilm(url, version) {
    const v = version ?? Date.now();
    const filmUrl = mediaUrl(url || project(info.id, "/files/film.mp4"), { v });
    const video = h("video", { id: "film-player", controls: true, preload: "metadata", src: filmUrl },
      h("track", {
        kind: "subtitles",
        src: mediaUrl(project(info.id, "/files/film.vtt"), { v }),
        srclang: info.language && info.language !== "multi" ? info.language : "mul",
        label: "Subtitles",
        default: true,
      }),
      "Your browser cannot play this film; download it below.");
    const shotNav = h("nav", { id: "film-shots", "aria-label": "Shots of the film" });
    fill(filmRoom,
      h("h3", { id: "film-heading" }, "Film"),
      video,
      shotNav,
      h("p", { class: "actions" },
        h("a", { href: filmUrl, download: "film.mp4" }, "Download film (MP4)"),
        h("a", { href: mediaUrl(project(info.id, "/files/film.srt"), { v }), download: "film.srt" }, "Subtitles (SRT)"),
        h("a", { href: mediaUrl(project(info.id, "/files/film.vtt"), { v }), download: "film.vtt" }, "Subtitles (WebVTT)")),
      h("p", { class: "actions", id: "film-timelines" },
        h("a", { href: mediaUrl(project(info.id, "/timelines/film.otio"), { v }), download: "film.otio" }, "Timeline (OpenTimelineIO)"),
        h("a", { href: mediaUrl(project(info.id, "/timelines/film.xml"), { v }), download: "film.xml" }, "Timeline (FCP7 XML)"),
        h("a", { href: mediaUrl(project(info.id, "/timelines/film.edl"), { v }), download: "film.edl" }, "Timeline (EDL)")),
      h("section", { id: "film-provenance", "aria-labelledby": "provenance-heading" }));
    showShots(shotNav, video);
    showProvenance(filmRoom.querySelector("#film-provenance"));
    showPlayerLink(filmRoom.querySelector(".actions"), v);
  }

  // What `storyreel verify` says of the film: whether its C2PA signature holds, who
  // signed it, what made each shot, and its two AI labels (GB 45438).
  async function showProvenance(section) {
    let found;
    try {
      found = await api("GET", project(info.id, "/provenance"));
    } catch {
      return;
    }
    const verdict = {
      valid: "Signed, and unchanged since it was signed.",
      altered: "Altered after it was signed: the signature no longer matches.",
      unsigned: "Not signed: nothing says how this file was made.",
    }[found.status];
    // The AIGC fields one by one, so the line wraps between them.
    const implicit = found.labels.implicit
      ? Object.entries(found.labels.implicit).map(([k, v]) => `${k} ${v === "" ? "—" : v}`).join(" · ")
      : "none";
    fill(section,
      h("h4", { id: "provenance-heading" }, "Provenance"),
      h("p", { dataset: { status: found.status } }, verdict),
      found.signer ? h("p", {}, `Signed by ${found.signer}` +
        (found.trusted ? "." : " (a certificate no trusted authority vouches for).")) : null,
      found.generator ? h("p", {}, `Made with ${found.generator}; source: ${found.digital_source_type}.`) : null,
      h("ol", { class: "provenance-shots" },
        found.shots.map((s) => h("li", {},
          `Shot ${s.shot}: ${s.engine ?? "?"}${s.model ? ` (${s.model})` : ""}, seed ${s.seed}`))),
      h("p", {}, `Visible AI label: ${found.labels.explicit ?? "none recorded"}`),
      h("p", {}, `AIGC metadata: ${implicit}`));
  }

  // A story with choices gets an interactive player beside its film (docs/branching.md):
  // linked when the latest make wrote one.
  async function showPlayerLink(actions, v) {
    const graph = await fetch(mediaUrl(project(info.id, "/player/branches.json"), { v })).catch(() => null);
    if (!graph || !graph.ok || !actions.isConnected) return;
    actions.prepend(h("a", {
      id: "branching-player",
      href: mediaUrl(project(info.id, "/player/index.html"), { v }),
      target: "_blank",
      rel: "noopener",
    }, "Play the branching film"));
  }

  // One button per shot that plays the film from where the shot starts, read from the
  // timeline the latest version's film was cut by (the film on disk is always the
  // latest version's). Without one (an older make), the player stands alone.
  async function showShots(nav, video) {
    let timeline;
    try {
      const versions = await api("GET", project(info.id, "/versions"));
      if (versions.length === 0) return;
      timeline = await api("GET", project(info.id, `/versions/${versions[0].number}/timeline`));
    } catch {
      return;
    }
    fill(nav, h("ol", { class: "film-shots" },
      timeline.shots.map((shot) => {
        const at = shot.start / timeline.fps;
        return h("li", {},
          h("button", {
            type: "button",
            dataset: { shotId: shot.shot_id, start: String(at) },
            onclick: () => { video.currentTime = at; },
          }, `Shot ${shot.shot_id} · ${clock(at)}`));
      })));
  }

  // --- wiring -------------------------------------------------------------------------
  const form = h("form", {
    class: "panel",
    // Checked by hand on submit: a browser cannot focus an invalid option inside a
    // closed disclosure, and its bubble would say nothing about which plugin it is.
    novalidate: true,
    "aria-labelledby": "room-heading",
    onsubmit: async (event) => {
      event.preventDefault();
      formError.textContent = "";
      const fpsValue = Number(fps.value);
      if (!Number.isInteger(fpsValue) || fpsValue < 1 || fpsValue > 60) {
        formError.textContent = "Frames per second must be a whole number from 1 to 60.";
        fps.setAttribute("aria-invalid", "true");
        fps.focus();
        return;
      }
      fps.removeAttribute("aria-invalid");
      const problem = engineOptions.problem() || voiceOptions.problem();
      if (problem) {
        formError.textContent = problem;
        return;
      }
      const [width, height] = size.value.split("x").map(Number);
      makeButton.disabled = true;
      for (const { row } of shotRows.values()) showShot(row.dataset.shotId, "waiting", 0);
      lastStage = "";
      stageStatus.textContent = "Starting…";
      try {
        const make = await api("POST", project(info.id, "/makes"), {
          engine: engine.value, burn_subtitles: burn.checked, width, height, fps: fpsValue,
          picture: clean.checked ? "clean" : "annotated",
          engine_options: engineOptions.values(), voice: voice.value, voice_options: voiceOptions.values(),
        });
        follow(make);
      } catch (failure) {
        makeButton.disabled = false;
        stageStatus.textContent = "Not started.";
        formError.textContent = failure.message;
      }
    },
  },
  h("h2", { id: "room-heading" }, "Make the film"),
  h("div", { class: "make-options" },
    field(engine, "Engine"),
    field(voice, "Voice"),
    field(size, "Size"),
    field(fps, "Frames per second"),
    h("div", { class: "field inline" }, burn, h("label", { for: "make-burn" }, "Burn subtitles into the picture")),
    h("div", { class: "field inline" }, clean, h("label", { for: "make-clean" }, "Clean picture (no slate or caption)"))),
  engineOptions.box,
  voiceOptions.box,
  h("div", { class: "actions" }, makeButton, cancelButton),
  formError);

  cancelButton.addEventListener("click", async () => {
    if (!current) return;
    try {
      const make = await api("POST", project(info.id, `/makes/${encodeURIComponent(current)}/cancel`));
      stageStatus.textContent = "Cancelling…";
      if (FINAL.has(make.status)) { stop(); finish(make); }
    } catch (failure) {
      formError.textContent = failure.message;
    }
  });

  fill(room, h("div", { class: "make-layout" },
    h("div", {},
      form,
      h("section", { class: "panel", "aria-labelledby": "progress-heading", style: "margin-top:1rem" },
        h("h3", { id: "progress-heading" }, "Progress"),
        stageStatus, stageList, stageBar, stageDetail, shotList)),
    filmRoom));

  if (info.has_film) showFilm(null, info.updated_at);
  else fill(filmRoom, h("h3", { id: "film-heading" }, "Film"), h("p", { class: "muted" }, "No film yet: press “Make the film”."));

  // Coming back to the page while a make runs picks it up again.
  api("GET", project(info.id, "/makes"))
    .then((makes) => {
      const running = makes.find((make) => !FINAL.has(make.status));
      if (running && !current) follow(running);
    })
    .catch((failure) => { formError.textContent = failure.message; });
  return stop;
}

// m:ss of a time in the film.
function clock(seconds) {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}
