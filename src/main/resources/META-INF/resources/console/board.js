// The incident board: open incidents (root cause, inhibited children, blast radius, timeline) and
// the resolved ones of the last days, refreshed from the live stream; acknowledge, resolve, silence.
import { api } from './api.js';
import { ago, debounce, h, toast, when } from './dom.js';

const RESOLVED_DAYS = 3;
const DURATIONS = [['30m', 30], ['1h', 60], ['2h', 120], ['4h', 240], ['8h', 480], ['24h', 1440]];

export function board(container, ctx) {
  const openList = h('div.incidents', { 'aria-live': 'polite', 'aria-busy': 'true' });
  const resolvedList = h('div.resolved');
  const openHeading = h('h1#open-h', {}, 'Open incidents');
  const expanded = new Set();
  const routesOpen = new Set();
  const routeChanges = new Map(); // incident id -> rendered list, kept across redraws of the board
  container.append(
    h('section', { 'aria-labelledby': 'open-h' }, openHeading, openList),
    h('section', { 'aria-labelledby': 'resolved-h' },
      h('h2#resolved-h', {}, 'Resolved in the last ' + RESOLVED_DAYS + ' days'), resolvedList));
  let stopped = false;
  let generation = 0;

  let inflight = false;
  let again = false;
  let shown = '';

  /** One refresh at a time; events arriving meanwhile cause one more when it is done. */
  async function refresh() {
    if (inflight) {
      again = true;
      return;
    }
    inflight = true;
    try {
      await load();
    } finally {
      inflight = false;
      if (again && !stopped) {
        again = false;
        refresh();
      }
    }
  }

  async function load() {
    const mine = ++generation;
    try {
      const [open, resolved, firing, acked] = await Promise.all([
        api('/incidents?status=open'),
        api('/incidents?status=resolved&limit=50'),
        api('/alerts?state=firing&limit=500'),
        api('/alerts?state=acknowledged&limit=500'),
      ]);
      if (stopped || mine !== generation) {
        return;
      }
      const alerts = new Map();
      for (const a of [...firing.items, ...acked.items]) {
        alerts.set(a.fingerprint, a);
      }
      const since = Date.now() - RESOLVED_DAYS * 86400000;
      const recent = resolved.filter((i) => i.resolvedAt && Date.parse(i.resolvedAt) >= since);
      const members = new Set(open.flatMap((i) => [i.root, ...i.children]).filter(Boolean).map((x) => x.fingerprint));
      const relevant = [...alerts.values()].filter((a) => members.has(a.fingerprint))
        .map((a) => [a.fingerprint, a.state, a.acknowledgedBy, a.silencedBy]);
      // an unchanged board is not redrawn, so a button is never replaced under a pointer
      const signature = JSON.stringify([open, recent.map((i) => [i.id, i.resolvedAt, i.title]), relevant]);
      if (signature !== shown) {
        shown = signature;
        render(open, recent, alerts);
      }
    } catch (err) {
      if (!stopped) {
        toast('Could not load incidents: ' + err.message, true);
      }
    }
  }

  function render(open, resolved, alerts) {
    const focused = document.activeElement && document.activeElement.id;
    openHeading.textContent = 'Open incidents (' + open.length + ')';
    openList.replaceChildren(...(open.length ? open.map((i) => incidentCard(i, alerts)) : [
      h('p.calm', {}, 'Nothing is broken. Every circuit, tunnel and session is as it should be.')]));
    openList.setAttribute('aria-busy', 'false');
    const recent = resolved;
    resolvedList.replaceChildren(recent.length ? h('ul.plain', {}, recent.map(resolvedRow))
      : h('p.muted', {}, 'No incident resolved in the last ' + RESOLVED_DAYS + ' days.'));
    if (focused && document.getElementById(focused)) {
      document.getElementById(focused).focus();
    }
    if (!performance.getEntriesByName('meshwatch:board').length) {
      performance.mark('meshwatch:board'); // first useful paint of the board (bin/bench console)
    }
  }

  function incidentCard(i, alerts) {
    const details = h('details', { open: expanded.has(i.id) },
      h('summary', {}, 'Timeline (' + i.timeline.length + ' entries)'),
      h('ol.timeline', {}, i.timeline.map((t) => h('li', {}, when(t.time), ' ', t.what))));
    details.addEventListener('toggle', () => (details.open ? expanded.add(i.id) : expanded.delete(i.id)));
    const routes = h('div.route-changes', { 'aria-live': 'polite' }, routeChanges.get(i.id) || h('p.muted', {}, '…'));
    const routesDetails = h('details', { open: routesOpen.has(i.id), 'data-route-changes': i.id },
      h('summary', {}, 'Route changes in the blast radius'), routes);
    routesDetails.addEventListener('toggle', () => {
      if (routesDetails.open) {
        routesOpen.add(i.id);
        loadRouteChanges(i.id, routes);
      } else {
        routesOpen.delete(i.id);
      }
    });
    const impact = i.impact || {};
    return h('article.card.incident', { 'data-incident': i.id, 'data-root': i.root ? i.root.name : '',
      'aria-labelledby': 'title-' + i.id, class: 'sev-' + i.severity },
    h('header.row', {},
      h('span.badge', { class: 'sev-' + i.severity }, i.severity),
      h('h2.title', { id: 'title-' + i.id }, i.title)),
    h('p.muted', {}, 'Opened ', when(i.openedAt), ' (' + ago(i.openedAt) + ')'),
    h('h3', {}, 'Root cause'),
    i.root ? alertRow(i.root, alerts.get(i.root.fingerprint), 'root') : h('p.muted', {}, 'unknown'),
    h('h3', {}, 'Blast radius'),
    h('dl.impact', {},
      impactItem('Sessions down', impact.sessionsDown),
      impactItem('Tunnel groups failed over', impact.tunnelGroupsFailedOver),
      impactItem('Prefixes moved', impact.prefixesMoved),
      impactItem('Prefixes unreachable', impact.prefixesUnreachable)),
    i.children.length ? [h('h3', {}, 'Explained by it (' + i.children.length + ', inhibited)'),
      h('ul.plain.children', {}, i.children.map((c) => h('li', {}, alertRow(c, alerts.get(c.fingerprint), 'child'))))] : null,
    details, routesDetails);
  }

  /** Which prefixes moved where and when during the incident: best-path changes from the routers' logs. */
  async function loadRouteChanges(id, into) {
    try {
      const r = await api('/incidents/' + encodeURIComponent(id) + '/route-changes');
      const rows = [];
      for (const p of r.prefixes) {
        for (const c of p.changes.filter((x) => x.kind === 'best_change')) {
          const to = c.path ? 'via ' + c.path.peer + ' (AS path ' + (c.path.asPath || 'empty') + ')' : 'no path';
          rows.push([c.time, h('li', {}, when(c.time), ' ', p.router + ' ' + p.prefix + ': ' + to
            + (c.reason ? ', ' + c.reason.replaceAll('_', ' ') : ''))]);
        }
      }
      rows.sort((a, b) => Date.parse(a[0]) - Date.parse(b[0]));
      const unanswered = r.unanswered.map((u) => h('li.muted', {}, u.router + ': ' + u.message));
      const list = rows.length || unanswered.length
        ? h('ol.timeline', {}, ...rows.map((x) => x[1]), ...unanswered)
        : h('p.muted', {}, r.prefixes.length ? 'No best path changed in the window.' : 'No prefix in the blast radius.');
      routeChanges.set(id, list);
      into.replaceChildren(list);
    } catch (err) {
      into.replaceChildren(h('p.muted', {}, 'Could not load the route changes: ' + err.message));
    }
  }

  function impactItem(label, list) {
    const items = list || [];
    return h('div', {}, h('dt', {}, label + ' (' + items.length + ')'),
      h('dd', {}, items.length ? items.join(', ') : 'none'));
  }

  function alertRow(signal, alert, role) {
    const state = alert ? alert.state : signal.status;
    const labels = Object.entries(signal.labels || {}).map(([k, v]) => k + '=' + v).join(' ');
    const actions = [];
    if (alert && alert.state !== 'resolved') {
      if (ctx.may('acknowledge') && alert.state === 'firing') {
        actions.push(h('button', { type: 'button', id: 'ack-' + signal.fingerprint, 'data-action': 'acknowledge',
          on: { click: () => change(signal, 'acknowledge') } }, 'Acknowledge'));
      }
      if (ctx.may('resolve')) {
        actions.push(h('button', { type: 'button', id: 'resolve-' + signal.fingerprint, 'data-action': 'resolve',
          on: { click: () => change(signal, 'resolve') } }, 'Resolve'));
      }
      if (ctx.may('silence')) {
        actions.push(h('button', { type: 'button', id: 'silence-' + signal.fingerprint, 'data-action': 'silence',
          on: { click: () => silenceDialog(signal) } }, 'Silence…'));
      }
    }
    return h('div.alert', { 'data-fingerprint': signal.fingerprint, 'data-state': state, 'data-role': role },
      h('div.row', {},
        h('strong', {}, signal.name),
        h('span.badge', { class: 'st-' + state }, state),
        signal.inhibited ? h('span.badge.st-inhibited', {}, 'inhibited') : null,
        alert && alert.silencedBy ? h('span.badge.st-silenced', {}, 'silenced') : null,
        h('code.labels', {}, labels)),
      h('p.summary', {}, signal.summary),
      alert && alert.acknowledgedBy ? h('p.muted.ack', {}, 'Acknowledged by ' + alert.acknowledgedBy + ' ',
        when(alert.acknowledgedAt), alert.ackComment ? ': ' + alert.ackComment : '') : null,
      actions.length ? h('div.actions', {}, actions) : null);
  }

  async function change(signal, what) {
    const comment = what === 'acknowledge' ? 'acknowledged from the console' : 'resolved from the console';
    try {
      await api('/alerts/' + encodeURIComponent(signal.fingerprint) + '/' + what, { method: 'POST', body: { comment } });
      toast(signal.name + ' ' + (what === 'acknowledge' ? 'acknowledged' : 'resolved'));
      refresh();
    } catch (err) {
      toast('Could not ' + what + ' ' + signal.name + ': ' + err.message, true);
    }
  }

  function silenceDialog(signal) {
    const labels = { alertname: signal.name, ...(signal.labels || {}) };
    const rows = Object.entries(labels).map(([name, value], n) => {
      const id = 'm-' + n;
      return { name, value, box: h('input', { type: 'checkbox', id, checked: true, 'data-label': name }), id };
    });
    const duration = h('select#silence-duration', { name: 'duration' },
      DURATIONS.map(([label, minutes]) => h('option', { value: minutes, selected: minutes === 120 }, label)));
    const comment = h('input#silence-comment', { type: 'text', required: true, value: 'repair of ' +
      (signal.labels && (signal.labels.circuit || signal.labels.router || signal.labels.tunnel_group) || signal.name) });
    const error = h('p.error', { role: 'alert' });
    const dialog = h('dialog#silence-dialog.card', { 'aria-labelledby': 'silence-h' });
    const form = h('form', { method: 'dialog', on: { submit: async (e) => {
      e.preventDefault();
      const matchers = rows.filter((r) => r.box.checked).map((r) => ({ name: r.name, value: r.value, isRegex: false, isEqual: true }));
      const endsAt = new Date(Date.now() + Number(duration.value) * 60000).toISOString();
      try {
        const saved = await api('/silences', { method: 'POST', body: { matchers, endsAt, comment: comment.value } });
        dialog.close();
        toast('Silenced until ' + new Date(saved.endsAt).toISOString().slice(11, 16) + ' UTC: '
          + matchers.map((m) => m.name + '=' + m.value).join(', '));
        refresh();
      } catch (err) {
        error.textContent = err.message;
      }
    } } },
    h('h2#silence-h', {}, 'Silence ' + signal.name),
    h('fieldset', {}, h('legend', {}, 'Match alerts with these labels'),
      rows.map((r) => h('div.check', {}, r.box, h('label', { for: r.id }, h('code', {}, r.name + '=' + r.value))))),
    h('label', { for: 'silence-duration' }, 'For'), duration,
    h('label', { for: 'silence-comment' }, 'Comment'), comment,
    error,
    h('div.actions', {},
      h('button.primary', { type: 'submit' }, 'Create silence'),
      h('button', { type: 'button', on: { click: () => dialog.close() } }, 'Cancel')));
    dialog.append(form);
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
  }

  function resolvedRow(i) {
    return h('li.resolved-item', { 'data-incident': i.id },
      h('span.badge', { class: 'sev-' + i.severity }, i.severity), ' ',
      h('span', {}, i.title), ' ',
      h('span.muted', {}, 'opened ', when(i.openedAt), ', resolved ', when(i.resolvedAt)));
  }

  const soon = debounce(refresh, 50);
  const off = ctx.onLive((type, data) => {
    if (type === 'incident' || type === 'alert' || type === 'signal' || (type === 'connection' && data === 'on')) {
      soon();
    }
  });
  // Safety net for a missed event; the stream is what keeps the board current.
  const timer = setInterval(refresh, 30000);
  refresh();
  return {
    stop() {
      stopped = true;
      off();
      clearInterval(timer);
    },
  };
}
