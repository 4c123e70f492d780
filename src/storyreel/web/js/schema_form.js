// A plugin's options as form controls, built from the JSON Schema the server serves
// (GET /api/plugins): number inputs carry the schema's limits, enums become selects,
// booleans checkboxes, and defaults are filled in. Nothing here knows any plugin.

import { h } from "./dom.js";

/** The schema's alternatives for one value, `$ref`s resolved, null left out
 *  (`int | None` is anyOf [int, null]: the value may be left to the plugin). */
function branches(spec, defs) {
  const resolve = (s) => (s?.$ref?.startsWith("#/$defs/") ? defs[s.$ref.slice(8)] ?? {} : s ?? {});
  const options = spec.anyOf ?? spec.oneOf ?? [spec];
  const all = options.map(resolve);
  return { kinds: all.filter((s) => s.type !== "null"), nullable: all.some((s) => s.type === "null") };
}

/** One option's control, or null for values a form cannot hold (lists, mappings: set
 *  them from the command line). */
function control(name, spec, defs, required, idPrefix) {
  const { kinds, nullable } = branches(spec, defs);
  if (kinds.length !== 1) return null;
  const kind = kinds[0];
  const id = `${idPrefix}-${name}`;
  const fallback = spec.default ?? kind.default;
  const base = { id, name, dataset: { option: name } };
  if (Array.isArray(kind.enum)) {
    const select = h("select", base);
    if (nullable || fallback === undefined) select.append(h("option", { value: "" }, "(plugin's choice)"));
    for (const value of kind.enum) {
      select.append(h("option", { value: String(value), selected: value === fallback }, String(value)));
    }
    return { element: select, read: () => (select.value === "" ? null : kind.enum.find((v) => String(v) === select.value)) };
  }
  if (kind.type === "boolean") {
    if (nullable) {
      const select = h("select", base,
        h("option", { value: "", selected: fallback == null }, "(plugin's choice)"),
        h("option", { value: "true", selected: fallback === true }, "yes"),
        h("option", { value: "false", selected: fallback === false }, "no"));
      return { element: select, read: () => (select.value === "" ? null : select.value === "true") };
    }
    const box = h("input", { ...base, type: "checkbox", checked: fallback === true });
    return { element: box, read: () => box.checked, inline: true };
  }
  if (kind.type === "integer" || kind.type === "number") {
    const input = h("input", {
      ...base,
      type: "number",
      inputmode: kind.type === "integer" ? "numeric" : "decimal",
      min: kind.minimum ?? kind.exclusiveMinimum,
      max: kind.maximum ?? kind.exclusiveMaximum,
      step: kind.type === "integer" ? 1 : "any",
      value: fallback == null ? "" : String(fallback),
      placeholder: fallback == null ? "plugin's choice" : null,
      required: required || null,
    });
    return { element: input, read: () => (input.value === "" ? null : Number(input.value)), check: () => exclusive(input, kind) };
  }
  if (kind.type === "string") {
    const input = h("input", {
      ...base,
      type: "text",
      minlength: kind.minLength,
      maxlength: kind.maxLength,
      value: fallback == null ? "" : String(fallback),
      placeholder: fallback == null ? (required ? "required" : "plugin's choice") : null,
      required: required || null,
      autocomplete: "off",
    });
    return { element: input, read: () => (input.value === "" ? null : input.value) };
  }
  return null;
}

/** An exclusive bound the number input cannot say (`gt=0`): checked by hand. */
function exclusive(input, kind) {
  const value = Number(input.value);
  if (input.value === "") return "";
  if (kind.exclusiveMinimum !== undefined && !(value > kind.exclusiveMinimum)) return `must be more than ${kind.exclusiveMinimum}`;
  if (kind.exclusiveMaximum !== undefined && !(value < kind.exclusiveMaximum)) return `must be less than ${kind.exclusiveMaximum}`;
  return "";
}

/** The controls for `schema`'s options, and how to read them back.
 *  `values()` holds only what differs from the defaults (the plugin fills in the rest);
 *  `problem()` is the first invalid control's message (and focuses it), or "". */
export function optionsForm(schema, idPrefix) {
  const defs = schema?.$defs ?? {};
  const required = new Set(schema?.required ?? []);
  const fields = [];
  const skipped = [];
  for (const [name, spec] of Object.entries(schema?.properties ?? {})) {
    const made = control(name, spec, defs, required.has(name), idPrefix);
    if (!made) { skipped.push(name); continue; }
    const label = spec.title ?? name;
    const row = made.inline
      ? h("div", { class: "field inline" }, made.element, h("label", { for: made.element.id }, label))
      : h("div", { class: "field" }, h("label", { for: made.element.id }, label), made.element);
    fields.push({ name, spec, label, row, ...made });
  }
  const element = h("div", { class: "make-options plugin-options" },
    fields.map((f) => f.row),
    skipped.length ? h("p", { class: "muted" }, `Set from the command line: ${skipped.join(", ")}.`) : null);

  return {
    element,
    empty: fields.length === 0 && skipped.length === 0,
    values() {
      const out = {};
      for (const f of fields) {
        const value = f.read();
        const fallback = f.spec.default ?? null;
        if (value === null && !required.has(f.name)) continue;
        if (JSON.stringify(value) === JSON.stringify(fallback) && !required.has(f.name)) continue;
        out[f.name] = value;
      }
      return out;
    },
    problem() {
      for (const f of fields) {
        const message = f.element.validationMessage || (f.check ? f.check() : "");
        f.element.toggleAttribute("aria-invalid", Boolean(message));
        if (message) {
          f.element.closest("details")?.setAttribute("open", "");
          f.element.focus();
          return `${f.label}: ${message}`;
        }
      }
      return "";
    },
  };
}
