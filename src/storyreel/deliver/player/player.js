// A branching film's player: plays a scene's part, shows the scene's choices as
// buttons, goes on to the scene chosen (or the next one), and ends on an end screen.
// The graph is inline (a <script type="application/json">), so the page plays from
// the file system as well as from a server; the parts sit beside the page.
//
// The page says where it is on <body data-state> (ready, playing, choosing, ended) and
// which scene plays on the video's data-scene, for tests and for a page around it.

const graph = JSON.parse(document.getElementById("branches").textContent);
const scenes = new Map(graph.scenes.map((scene) => [scene.number, scene]));

const WORDS = {
  en: { play: "Play", again: "Play again", choose: "What happens next?", end: "The end" },
  zh: { play: "播放", again: "重新播放", choose: "接下来呢？", end: "完" },
  ja: { play: "再生", again: "もう一度", choose: "どうする？", end: "終わり" },
};
const words = WORDS[(graph.language || "en").split("-")[0]] || WORDS.en;

const video = document.getElementById("segment");
const start = document.getElementById("start");
const choices = document.getElementById("choices");
const buttons = document.getElementById("choice-buttons");
const end = document.getElementById("end");
const heading = document.getElementById("scene-heading");

// The frame keeps the film's shape (16:9, 9:16, ...) before the first part loads.
document.querySelector(".stage").style.aspectRatio = `${graph.width} / ${graph.height}`;
document.getElementById("play-start").textContent = words.play;
document.getElementById("play-again").textContent = words.again;
document.getElementById("choices-label").textContent = words.choose;
document.getElementById("end-label").textContent = words.end;

// Served by the studio, the page came with `?token=`; its parts need it too.
const token = new URL(window.location.href).searchParams.get("token");

function partUrl(name) {
  const url = new URL(name, window.location.href);
  if (token) url.searchParams.set("token", token);
  return url.href;
}

let current = null;

function setState(state) {
  document.body.dataset.state = state;
}

function show(overlay) {
  for (const each of [start, choices, end]) each.hidden = each !== overlay;
}

function play(number) {
  const scene = scenes.get(number);
  if (!scene) throw new Error(`the film has no scene ${number}`);
  current = scene;
  heading.textContent = scene.heading;
  video.dataset.scene = String(scene.number);
  show(null);
  if (!scene.segment) {
    // A scene without shots (only its choices): nothing to watch, go on at once.
    finished();
    return;
  }
  setState("playing");
  video.src = partUrl(scene.segment);
  video.play().catch((error) => {
    // A browser that refuses to play without a gesture: the controls let the viewer start
    // it. A part that cannot be loaded is said by the video's error event.
    if (!["NotAllowedError", "AbortError", "NotSupportedError"].includes(error.name)) throw error;
    video.controls = true;
  });
}

function finished() {
  const scene = current;
  if (scene.choices.length) {
    offer(scene.choices);
  } else if (scene.next !== null) {
    play(scene.next);
  } else {
    setState("ended");
    show(end);
    document.getElementById("play-again").focus();
  }
}

function offer(list) {
  buttons.replaceChildren(
    ...list.map((choice, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = choice.text;
      button.dataset.target = String(choice.target);
      button.setAttribute("aria-keyshortcuts", String(index + 1));
      button.addEventListener("click", () => play(choice.target));
      return button;
    }),
  );
  setState("choosing");
  show(choices);
  buttons.firstElementChild.focus();
}

video.addEventListener("ended", finished);
// A part that cannot be played (moved away, or a browser without H.264) is said, not hidden.
video.addEventListener("error", () => {
  if (!current) return;
  heading.textContent = `${current.heading}: cannot play ${current.segment} (${video.error?.message || "error " + video.error?.code})`;
  video.controls = true;
});
document.getElementById("play-start").addEventListener("click", () => play(graph.start));
document.getElementById("play-again").addEventListener("click", () => play(graph.start));
// Number keys pick a choice while the choices show.
document.addEventListener("keydown", (event) => {
  if (choices.hidden || event.altKey || event.ctrlKey || event.metaKey) return;
  const button = buttons.children[Number(event.key) - 1];
  if (button) {
    event.preventDefault();
    button.click();
  }
});
document.getElementById("play-start").focus();
