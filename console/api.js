// The console talks to the documented API only, with the key the person signed in with. The key lives in this
// tab's session storage (gone when the tab closes) and is sent in the Authorization header, never in a URL.
const KEY = 'pos-console-key';

export const session = {
  get key() {
    return sessionStorage.getItem(KEY);
  },
  signIn(key) {
    sessionStorage.setItem(KEY, key.trim());
  },
  signOut() {
    sessionStorage.removeItem(KEY);
  },
};

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export async function api(method, path, body, headers = {}) {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${session.key ?? ''}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  if (!response.ok) {
    const message = data && typeof data === 'object' && 'message' in data ? (Array.isArray(data.message) ? data.message.join('; ') : String(data.message)) : `HTTP ${response.status}`;
    throw new ApiError(response.status, `${response.status}: ${message}`, data);
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body = {}, headers) => api('POST', path, body, headers);
export const del = (path) => api('DELETE', path);

/** Query strings from objects, leaving out empty values. */
export function qs(query) {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const text = params.toString();
  return text ? `?${text}` : '';
}
