// Small DOM helpers: the studio builds its pages with plain elements, no framework.

const PROPERTIES = new Set(["value", "checked", "selected", "disabled", "hidden", "muted", "defaultValue"]);

/** An element: h("button", {type: "button", onclick: fn}, "Save"). Null children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (PROPERTIES.has(key)) {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replace everything inside `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Tell screen-reader users about something that happened away from their focus. */
export function announce(message) {
  const region = document.getElementById("announcer");
  if (!region) return;
  // Clearing first makes the same message read again when it repeats.
  region.textContent = "";
  window.setTimeout(() => { region.textContent = message; }, 50);
}

let idCounter = 0;
/** A unique id for pairing labels, descriptions and controls. */
export function uid(prefix = "f") {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A callback that runs `ms` after the last call (the script preview as the user types). */
export function debounce(fn, ms) {
  let timer = 0;
  const wrapped = (...args) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => window.clearTimeout(timer);
  return wrapped;
}

/** Ask before something that cannot be undone; resolves true when confirmed. */
export function confirmAction(message, confirmLabel = "Confirm") {
  const dialog = document.getElementById("confirm-dialog");
  document.getElementById("confirm-message").textContent = message;
  document.getElementById("confirm-ok").textContent = confirmLabel;
  const opener = document.activeElement;
  return new Promise((resolve) => {
    dialog.returnValue = "";
    dialog.addEventListener("close", () => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(dialog.returnValue === "confirm");
    }, { once: true });
    dialog.showModal();
    // The safe choice has focus, so an accidental Enter cancels.
    document.getElementById("confirm-cancel").focus();
  });
}

/** A date from the API (ISO 8601) as the reader's locale writes it. */
export function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

/** Seconds as "12.5 s". */
export function seconds(value) {
  return `${Number(value ?? 0).toFixed(1)} s`;
}

/** The language tag to put on text in a script language: "zh" is set in simplified glyphs. */
export function langTag(lang) {
  if (!lang || lang === "multi") return null;
  return lang === "zh" ? "zh-Hans" : lang;
}

/** A label above its control. They are siblings rather than nested, so the control's
 *  accessible name is the label's text alone (a nested <select> would add its value). */
export function field(control, label, { wide = false } = {}) {
  return h("div", { class: wide ? "field wide" : "field" }, h("label", { for: control.id }, label), control);
}
