// The REST API with the signed-in key, and the live stream (GET /api/v1/stream) read through fetch:
// EventSource cannot send an Authorization header, so the server-sent events are parsed here.
const KEY = 'meshwatch.console.key';

export class ApiFailure extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function savedKey() {
  return sessionStorage.getItem(KEY);
}

export function saveKey(key) {
  if (key) {
    sessionStorage.setItem(KEY, key);
  } else {
    sessionStorage.removeItem(KEY);
  }
}

/** Calls /api/v1{path}; resolves to the parsed JSON, rejects with an ApiFailure carrying the server's message. */
export async function api(path, { method = 'GET', body, key = savedKey() } = {}) {
  const headers = { Authorization: 'Bearer ' + key, Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch('/api/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiFailure(0, 'Meshwatch does not answer (' + e.message + ')');
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    const message = data && typeof data === 'object' && data.message ? data.message : response.status + ' ' + response.statusText;
    throw new ApiFailure(response.status, message);
  }
  return data;
}

/**
 * Keeps one connection to the live stream open while signed in; calls onEvent(type, data) for every
 * event and onState('on' | 'off') when the connection opens or drops. Reconnects after a second.
 */
export function liveStream(onEvent, onState) {
  let stopped = false;
  let controller = null;
  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch('/api/v1/stream?types=alert,signal,incident,session', {
          headers: { Authorization: 'Bearer ' + savedKey(), Accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) {
          throw new Error('stream answered ' + response.status);
        }
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        let opened = false;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          if (!opened) {
            opened = true;
            onState('on');
          }
          buffer += value.replace(/\r\n?/g, '\n');
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            dispatch(buffer.slice(0, end), onEvent);
            buffer = buffer.slice(end + 2);
          }
        }
      } catch (e) {
        if (stopped || e.name === 'AbortError') {
          return;
        }
      }
      onState('off');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  run();
  return () => {
    stopped = true;
    if (controller) {
      controller.abort();
    }
  };
}

function dispatch(block, onEvent) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') {
      type = value;
    } else if (field === 'data') {
      data.push(value);
    }
  }
  if (data.length === 0) {
    return;
  }
  let parsed;
  try {
    parsed = JSON.parse(data.join('\n'));
  } catch {
    parsed = data.join('\n');
  }
  onEvent(type, parsed);
}
