// Small DOM helpers: every text goes in through textContent, never as HTML.

/** h('tag.class#id', {attributes, on: {event: fn}}, ...children) */
export function h(spec, attrs, ...children) {
  const [, tag, rest] = spec.match(/^([a-z0-9]+)(.*)$/i);
  const el = document.createElement(tag);
  for (const part of rest.match(/[.#][^.#]+/g) || []) {
    if (part[0] === '.') {
      el.classList.add(part.slice(1));
    } else {
      el.id = part.slice(1);
    }
  }
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k === 'on') {
      for (const [event, fn] of Object.entries(v)) {
        el.addEventListener(event, fn);
      }
    } else if (k === 'class') {
      el.setAttribute('class', [el.getAttribute('class'), v].filter(Boolean).join(' '));
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) {
      continue;
    }
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Relative time: "12 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function ago(iso) {
  if (!iso) {
    return '';
  }
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 90) {
    return s + ' s ago';
  }
  if (s < 5400) {
    return Math.round(s / 60) + ' min ago';
  }
  if (s < 172800) {
    return Math.round(s / 3600) + ' h ago';
  }
  return Math.round(s / 86400) + ' d ago';
}

/** A <time> with the UTC instant as text and the relative age as its title. */
export function when(iso) {
  if (!iso) {
    return h('span.muted', {}, 'never');
  }
  const d = new Date(iso);
  const text = d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, ' UTC');
  return h('time', { datetime: iso, title: ago(iso) }, text);
}

export function toast(message, bad = false) {
  const t = document.getElementById('toast');
  t.textContent = message;
  t.className = 'toast show' + (bad ? ' bad' : '');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    t.className = 'toast';
  }, 5000);
}

/** Calls fn at most once per `ms`, the last call winning. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
