// The cast library: characters, props and locations with their reference images, and
// a character's voice to listen to.

import { api, mediaUrl, project } from "./api.js";
import { announce, confirmAction, field, fill, h } from "./dom.js";

const KINDS = [["character", "Character"], ["prop", "Prop"], ["location", "Location"]];

export async function renderCast(room, info) {
  const list = h("div", { class: "cast-grid", role: "list", "aria-label": "Cast" });
  const listError = h("p", { class: "error", role: "alert" });
  const sample = h("input", { id: "voice-sample", name: "sample", placeholder: "A line to hear each voice say", autocomplete: "off" });
  let player = null;

  async function refresh() {
    const cast = await api("GET", project(info.id, "/cast"));
    if (cast.length === 0) {
      fill(list, h("p", { class: "muted", role: "listitem" }, "Nobody in the cast yet: add a character below."));
      return;
    }
    fill(list, cast.map((subject) => card(subject)));
  }

  function card(subject) {
    const base = `/cast/${encodeURIComponent(subject.slug)}`;
    const status = h("span", { class: "status muted", role: "status", "aria-live": "polite" });
    const hear = subject.kind === "character" ? h("button", {
      type: "button",
      "aria-label": `Hear ${subject.name}'s voice`,
      onclick: async () => {
        player?.pause();
        player = new Audio(mediaUrl(project(info.id, `${base}/voice-preview`), { text: sample.value.trim() }));
        status.textContent = "Playing…";
        player.addEventListener("ended", () => { status.textContent = ""; }, { once: true });
        player.addEventListener("error", () => { status.textContent = "The voice could not be played."; }, { once: true });
        try {
          await player.play();
        } catch {
          status.textContent = "The voice could not be played.";
        }
      },
    }, "Preview voice") : null;
    return h("article", { class: "cast-card", role: "listitem", dataset: { slug: subject.slug } },
      h("h3", {}, subject.name, " ", h("span", { class: "badge" }, subject.kind)),
      subject.description ? h("p", {}, subject.description) : null,
      (subject.image_urls ?? []).length
        ? h("div", { class: "images" }, subject.image_urls.map((url, i) => h("img", {
          src: mediaUrl(url), alt: `${subject.name}, reference image ${i + 1}`, loading: "lazy", width: 96, height: 96,
        })))
        : h("p", { class: "muted" }, "No reference images."),
      subject.voice ? h("p", { class: "muted" }, `Voice: ${voiceText(subject.voice)}`) : null,
      h("div", { class: "actions" },
        hear,
        h("button", {
          type: "button",
          class: "danger",
          "aria-label": `Remove ${subject.name} from the cast`,
          onclick: async () => {
            if (!(await confirmAction(`Remove ${subject.name} from the cast?`, "Remove"))) return;
            try {
              await api("DELETE", project(info.id, base));
              announce(`${subject.name} removed`);
              await refresh();
            } catch (failure) {
              listError.textContent = failure.message;
            }
          },
        }, "Remove"),
        status));
  }

  const formError = h("p", { class: "error", role: "alert" });
  const name = h("input", { id: "cast-name", name: "name", required: true, autocomplete: "off" });
  const kind = h("select", { id: "cast-kind", name: "kind" }, KINDS.map(([value, label]) => h("option", { value }, label)));
  const description = h("textarea", { id: "cast-description", name: "description", rows: 2 });
  const image = h("input", { id: "cast-image", name: "image", type: "file", accept: "image/png,image/jpeg,image/webp" });
  // A few seconds of an actor speaking makes a digital actor (face and voice).
  const clip = h("input", { id: "cast-clip", name: "clip", type: "file", accept: "video/mp4,video/quicktime,video/webm" });
  const form = h("form", {
    class: "cast-form panel",
    "aria-labelledby": "cast-add-heading",
    onsubmit: async (event) => {
      event.preventDefault();
      formError.textContent = "";
      if (!name.value.trim()) {
        formError.textContent = "Give the new cast member a name.";
        name.focus();
        return;
      }
      const body = new FormData();
      body.set("name", name.value.trim());
      body.set("kind", kind.value);
      body.set("description", description.value.trim());
      if (image.files?.length) body.set("image", image.files[0]);
      if (clip.files?.length) body.set("clip", clip.files[0]);
      try {
        const added = await api("POST", project(info.id, "/cast"), body);
        form.reset();
        announce(`${added.name} added to the cast`);
        await refresh();
        name.focus();
      } catch (failure) {
        formError.textContent = failure.message;
      }
    },
  },
  h("h3", { id: "cast-add-heading", class: "wide" }, "Add to the cast"),
  field(name, "Name"),
  field(kind, "Kind"),
  field(description, "Description", { wide: true }),
  field(image, "Reference image (optional)", { wide: true }),
  field(clip, "Video clip of the actor (optional)", { wide: true }),
  h("div", { class: "actions wide" }, h("button", { type: "submit", class: "primary" }, "Add")),
  formError);

  fill(room,
    h("h2", { id: "room-heading" }, "Cast"),
    field(sample, "Voice preview line"),
    listError,
    list,
    form);
  await refresh();
  return () => player?.pause();
}

function voiceText(voice) {
  const parts = [voice.speaker ?? voice.variant, voice.gender, voice.pitch !== undefined ? `pitch ${voice.pitch}` : null];
  return parts.filter(Boolean).join(" · ");
}
