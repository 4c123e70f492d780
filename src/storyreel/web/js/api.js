// The studio's only door to the server: JSON over /api with a bearer token.

const TOKEN_KEY = "storyreel.token";

export function getToken() {
  return window.localStorage.getItem(TOKEN_KEY) ?? "";
}

export function setToken(token) {
  if (token) window.localStorage.setItem(TOKEN_KEY, token);
  else window.localStorage.removeItem(TOKEN_KEY);
}

/** A failed request: `status` is the HTTP status, `message` what to show, `lines` the
 *  script line numbers the server pointed at (if any). */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
    this.lines = errorLines(body);
  }
}

/** Where the API lives, relative to the page so the studio also works under a path prefix. */
export function apiUrl(path) {
  return new URL(`api${path}`, document.baseURI).toString();
}

/** Call the API. `body` is sent as JSON, or as multipart when it is a FormData. */
export async function api(method, path, body = undefined, { signal } = {}) {
  const headers = { Accept: "application/json" };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (body instanceof FormData) {
    payload = body; // the browser sets the multipart boundary
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(apiUrl(path), { method, headers, body: payload, signal });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "The studio server cannot be reached; check that `storyreel serve` is running.", null);
  }
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") ?? "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    if (response.status === 401) window.dispatchEvent(new CustomEvent("storyreel:unauthorized"));
    throw new ApiError(response.status, errorMessage(data, response.status), data);
  }
  return data;
}

/** A URL for elements that cannot send headers (<video>, <img>, <track>, EventSource):
 *  the token rides as ?token=. Extra query parameters are added too. */
export function mediaUrl(url, params = {}) {
  const full = new URL(url.startsWith("/api/") || url.startsWith("http") ? url : apiUrl(url), document.baseURI);
  const token = getToken();
  if (token) full.searchParams.set("token", token);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") full.searchParams.set(key, String(value));
  }
  return full.toString();
}

/** The path of a project resource: project("my-film", "/script"). */
export function project(id, rest = "") {
  return `/projects/${encodeURIComponent(id)}${rest}`;
}

/** A readable message from an error body: FastAPI's {detail: str | [{loc, msg}] | {...}}. */
export function errorMessage(data, status = 0) {
  const detail = data && typeof data === "object" && "detail" in data ? data.detail : data;
  if (typeof detail === "string" && detail.trim()) return detail;
  if (Array.isArray(detail)) {
    return detail.map((item) => {
      if (typeof item === "string") return item;
      const where = Array.isArray(item.loc) ? item.loc.filter((p) => p !== "body").join(".") : "";
      const msg = item.msg ?? item.message ?? JSON.stringify(item);
      return where ? `${where}: ${msg}` : msg;
    }).join("; ");
  }
  if (detail && typeof detail === "object") {
    const msg = detail.message ?? detail.msg ?? detail.error;
    if (msg) return detail.line && !String(msg).includes(`line ${detail.line}`) ? `line ${detail.line}: ${msg}` : String(msg);
    return JSON.stringify(detail);
  }
  if (status === 401) return "The token was not accepted; paste the token `storyreel serve` printed.";
  if (status === 404) return "Not found.";
  return `The server answered ${status || "with an error"}.`;
}

/** Script line numbers an error points at: a `line` field or "line 12" in the message. */
export function errorLines(data) {
  const lines = new Set();
  const visit = (value) => {
    if (value === null || value === undefined) return;
    if (typeof value === "string") {
      for (const match of value.matchAll(/\bline (\d+)/gi)) lines.add(Number(match[1]));
      for (const match of value.matchAll(/:(\d+):/g)) lines.add(Number(match[1]));
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (typeof value === "object") {
      if (Number.isInteger(value.line)) lines.add(value.line);
      visit(value.detail);
      visit(value.message ?? value.msg);
    }
  };
  visit(data);
  return [...lines].filter((n) => n > 0).sort((a, b) => a - b);
}
