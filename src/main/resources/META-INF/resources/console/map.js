// The topology map: routers of the inventory by cloud and region, circuits and IPSec tunnel groups
// as links coloured by state; a link's probes (a chart of what this page has seen) and sessions.
import { api } from './api.js';
import { debounce, h, s, toast, when } from './dom.js';

const W = 1000;
const COLUMN_ORDER = ['aws', 'equinix', 'azure', 'gcp'];
const EDGE_CLOUD = { 'direct-connect': 'aws', expressroute: 'azure', interconnect: 'gcp' };
const CLOUD_NAMES = { aws: 'AWS', azure: 'Azure', gcp: 'Google Cloud', equinix: 'Equinix' };
const SAMPLES = 60;

/** The state a tunnel group is drawn in, from its phase. */
export function groupState(phase) {
  if (phase === 'normal') {
    return 'up';
  }
  if (phase === 'down') {
    return 'down';
  }
  return 'backup';
}

function cloudOf(router) {
  const first = (router.site || '').split('-')[0].toLowerCase();
  return first || 'other';
}

function cloudName(c) {
  return CLOUD_NAMES[c] || c.toUpperCase();
}

export function map(container, ctx) {
  const svgBox = h('div.mapbox');
  const table = h('div.table-wrap');
  const detail = h('aside#link-detail.card', { 'aria-live': 'polite', hidden: true });
  container.append(h('h1', {}, 'Mesh'),
    h('p.muted.legend', {}, 'Links: ', h('span.key.up', {}, 'up'), ' ', h('span.key.degraded', {}, 'degraded'), ' ',
      h('span.key.down', {}, 'down'), ' ', h('span.key.backup', {}, 'on backup'),
      '. Solid lines are circuits, dashed curves IPSec tunnel groups. Select a link for its probes and sessions.'),
    svgBox, detail, h('h2', {}, 'Links'), table);
  let inventory = null;
  let circuits = new Map();
  let groups = new Map();
  let selected = null;
  let stopped = false;
  let simAvailable = false;
  let detailToken = 0;
  const samples = new Map(); // circuit id -> [{t, latencyMs, lossPct, jitterMs}]

  async function load() {
    try {
      const [inv, cs, ts] = await Promise.all([api('/inventory'), api('/circuits'), api('/tunnels')]);
      if (stopped) {
        return;
      }
      inventory = inv;
      circuits = new Map(cs.map((c) => [c.id, c]));
      groups = new Map(ts.map((g) => [g.id, g]));
      for (const c of cs) {
        remember(c);
      }
      draw();
    } catch (err) {
      toast('Could not load the map: ' + err.message, true);
    }
  }

  async function refreshState() {
    try {
      const [cs, ts] = await Promise.all([api('/circuits'), api('/tunnels')]);
      if (stopped || !inventory) {
        return;
      }
      circuits = new Map(cs.map((c) => [c.id, c]));
      groups = new Map(ts.map((g) => [g.id, g]));
      for (const c of cs) {
        remember(c);
      }
      draw();
    } catch (err) {
      toast('Could not refresh the map: ' + err.message, true);
    }
  }

  function remember(c) {
    if (!c.probe) {
      return;
    }
    const list = samples.get(c.id) || [];
    if (!list.length || list[list.length - 1].t !== c.probe.time) {
      list.push({ t: c.probe.time, latencyMs: c.probe.latencyMs, lossPct: c.probe.lossPct, jitterMs: c.probe.jitterMs });
      if (list.length > SAMPLES) {
        list.shift();
      }
      samples.set(c.id, list);
    }
  }

  function layout() {
    const nodes = new Map();
    for (const r of inventory.routers) {
      nodes.set(r.id, { id: r.id, cloud: cloudOf(r), place: r.region || r.site || '', router: true });
    }
    for (const c of inventory.circuits) {
      if (c.z && !c.z.router) {
        const id = 'edge:' + c.id;
        nodes.set(id, { id, label: c.z.interface || c.id, cloud: EDGE_CLOUD[c.kind] || 'other', place: c.kind, router: false });
      }
    }
    const clouds = [...new Set([...nodes.values()].map((n) => n.cloud))]
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const columnWidth = W / clouds.length;
    const columns = clouds.map((cloud) => [...nodes.values()].filter((n) => n.cloud === cloud)
      .sort((a, b) => a.place.localeCompare(b.place) || a.id.localeCompare(b.id)));
    const ends = inventory.circuits.filter((c) => c.a && c.a.router)
      .map((c) => [c.a.router, c.z && c.z.router ? c.z.router : 'edge:' + c.id]);
    const place = () => columns.forEach((members) => members.forEach((n, row) => {
      n.row = row;
    }));
    place();
    // fewer crossings: each column ordered by the mean row of its nodes' circuit neighbours (twice)
    for (let pass = 0; pass < 2; pass++) {
      for (const members of columns) {
        const key = new Map(members.map((n, i) => {
          const rows = ends.filter((e) => e.includes(n.id)).map((e) => nodes.get(e[0] === n.id ? e[1] : e[0]))
            .filter((o) => o && o.cloud !== n.cloud).map((o) => o.row);
          return [n.id, rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length + i / 1000 : 1000 + i];
        }));
        members.sort((a, b) => key.get(a.id) - key.get(b.id));
        place();
      }
    }
    let height = 0;
    columns.forEach((members, col) => members.forEach((n) => {
      n.x = columnWidth * col + columnWidth / 2;
      n.y = 90 + n.row * 120;
      height = Math.max(height, n.y + 70);
    }));
    return { nodes, clouds, columnWidth, height };
  }

  function rank(cloud) {
    const i = COLUMN_ORDER.indexOf(cloud);
    return i < 0 ? COLUMN_ORDER.length : i;
  }

  function links(nodes) {
    const out = [];
    for (const c of inventory.circuits) {
      const a = nodes.get(c.a && c.a.router);
      const z = nodes.get(c.z && c.z.router ? c.z.router : 'edge:' + c.id);
      if (!a || !z) {
        continue;
      }
      const state = circuits.get(c.id) ? circuits.get(c.id).state : 'unknown';
      out.push({ key: 'circuit:' + c.id, kind: 'circuit', id: c.id, a, z, state, label: c.kind });
    }
    for (const g of inventory['tunnel-groups'] || []) {
      const primary = g.tunnels.find((t) => t.role === 'primary') || g.tunnels[0];
      const a = nodes.get(primary.router);
      const circuit = inventory.circuits.find((c) => c.id === primary.circuit);
      let z = null;
      if (circuit) {
        const far = circuit.a.router === primary.router ? circuit.z : circuit.a;
        z = nodes.get(far.router ? far.router : 'edge:' + circuit.id);
      }
      if (!a || !z) {
        continue;
      }
      const live = groups.get(g.id);
      out.push({ key: 'tunnel:' + g.id, kind: 'tunnel', id: g.id, a, z, state: live ? groupState(live.phase) : 'unknown',
        phase: live ? live.phase : 'unknown', label: 'IPSec' });
    }
    return out;
  }

  let drawn = '';

  function draw() {
    const { nodes, clouds, columnWidth, height } = layout();
    const all = links(nodes);
    const signature = JSON.stringify([inventory, [...circuits.values()].map((c) => [c.id, c.state, c.since]),
      [...groups.values()].map((g) => [g.id, g.phase, g.carrying, g.lastFailover, g.lastFailback])]);
    if (signature === drawn) {
      if (selected) {
        showDetail(selected);
      }
      return;
    }
    drawn = signature;
    const svg = s('svg', { viewBox: '0 0 ' + W + ' ' + height, role: 'group', 'aria-label': 'Map of the mesh', class: 'map' });
    clouds.forEach((cloud, col) => {
      svg.append(s('text', { x: columnWidth * col + columnWidth / 2, y: 28, class: 'cloud', 'text-anchor': 'middle' }, cloudName(cloud)));
    });
    for (const l of all) {
      const d = pathOf(l);
      const g = s('g', { class: 'link ' + l.kind + ' state-' + l.state + (selected === l.key ? ' selected' : ''),
        tabindex: 0, role: 'button', 'data-link': l.key, 'data-state': l.state, 'data-phase': l.phase,
        'aria-label': (l.kind === 'circuit' ? 'Circuit ' : 'Tunnel group ') + l.id + ': ' + stateText(l),
        on: { click: () => select(l.key), keydown: (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            select(l.key);
          }
        } } },
      s('title', {}, l.id + ': ' + stateText(l)),
      s('path', { d, class: 'hit' }),
      s('path', { d, class: 'line' }));
      svg.append(g);
    }
    for (const n of nodes.values()) {
      const label = n.router ? n.id : n.label;
      const node = s('g', { class: 'node' + (n.router ? ' router' : ' edge'), 'data-node': n.id },
        s('rect', { x: n.x - 78, y: n.y - 24, width: 156, height: 48, rx: 8 }),
        s('text', { x: n.x, y: n.y - 3, 'text-anchor': 'middle', class: 'name' }, label.length > 22 ? label.slice(0, 21) + '…' : label),
        s('text', { x: n.x, y: n.y + 15, 'text-anchor': 'middle', class: 'place' }, n.place));
      if (n.router) {
        const a = s('a', { href: '#/router/' + encodeURIComponent(n.id) }, node);
        svg.append(a);
      } else {
        svg.append(node);
      }
    }
    const focused = document.activeElement;
    const focusedLink = focused && focused.dataset ? focused.dataset.link : null;
    const focusedRow = focused && focused.closest && focused.closest('tr[data-row]') ? focused.closest('tr[data-row]').dataset.row : null;
    svgBox.replaceChildren(svg);
    table.replaceChildren(linkTable(all));
    if (!performance.getEntriesByName('meshwatch:map').length) {
      performance.mark('meshwatch:map'); // first useful paint of the map (bin/bench console)
    }
    if (focusedLink) {
      const again = svgBox.querySelector('[data-link="' + CSS.escape(focusedLink) + '"]');
      if (again) {
        again.focus();
      }
    } else if (focusedRow) {
      const again = table.querySelector('tr[data-row="' + CSS.escape(focusedRow) + '"] button');
      if (again) {
        again.focus();
      }
    }
    if (selected) {
      showDetail(selected);
    }
  }

  function pathOf(l) {
    if (l.kind === 'circuit') {
      return 'M' + l.a.x + ' ' + l.a.y + ' L' + l.z.x + ' ' + l.z.y;
    }
    const mx = (l.a.x + l.z.x) / 2;
    const my = (l.a.y + l.z.y) / 2;
    const dx = l.z.x - l.a.x;
    const dy = l.z.y - l.a.y;
    const len = Math.hypot(dx, dy) || 1;
    const bend = 55;
    return 'M' + l.a.x + ' ' + l.a.y + ' Q' + (mx - (dy / len) * bend) + ' ' + (my + (dx / len) * bend) + ' ' + l.z.x + ' ' + l.z.y;
  }

  function stateText(l) {
    if (l.kind === 'tunnel') {
      return l.state === 'backup' ? 'on backup (' + l.phase + ')' : l.state;
    }
    return l.state;
  }

  function linkTable(all) {
    return h('table.links', {},
      h('caption.sr-only', {}, 'Circuits and tunnel groups with their state'),
      h('thead', {}, h('tr', {}, ['Link', 'Kind', 'State', 'Carrying', 'Last failover', 'Last failback'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, all.map((l) => {
        const g = l.kind === 'tunnel' ? groups.get(l.id) : null;
        const c = l.kind === 'circuit' ? circuits.get(l.id) : null;
        return h('tr', { 'data-row': l.key },
          h('th', { scope: 'row' }, h('button.link', { type: 'button', on: { click: () => select(l.key) } }, l.id)),
          h('td', {}, l.kind === 'circuit' ? (c ? c.kind : l.label) : 'IPSec tunnel group'),
          h('td', {}, h('span.badge', { class: 'st-' + l.state }, stateText(l))),
          h('td', {}, g ? g.carrying || 'none' : ''),
          h('td', {}, g ? switchover(g.lastFailover) : ''),
          h('td', {}, g ? switchover(g.lastFailback) : ''));
      })));
  }

  function switchover(sw) {
    if (!sw) {
      return h('span.muted', {}, 'never');
    }
    return h('span', {}, when(sw.start), sw.durationSeconds != null ? ' (' + sw.durationSeconds.toFixed(1) + ' s)' : ' (in progress)');
  }

  function select(key) {
    selected = key;
    for (const el of svgBox.querySelectorAll('.link')) {
      el.classList.toggle('selected', el.dataset.link === key);
    }
    showDetail(key);
  }

  async function showDetail(key) {
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const circuitIds = [];
    const sessions = [];
    const parts = [];
    if (kind === 'circuit') {
      const c = circuits.get(id);
      const inv = inventory.circuits.find((x) => x.id === id);
      circuitIds.push(id);
      sessions.push(...(inv ? inv.sessions || [] : []));
      parts.push(h('h2', {}, 'Circuit ' + id),
        h('p', {}, inv ? inv.provider : '', ' · ', c ? c.kind : ''),
        h('p', {}, 'State ', h('span.badge', { class: 'st-' + (c ? c.state : 'unknown') }, c ? c.state : 'unknown'),
          c && c.since ? [' since ', when(c.since)] : null),
        c && c.reasons && c.reasons.length ? h('ul', {}, c.reasons.map((r) => h('li', {}, r))) : null);
      if (ctx.may('simulate') && simAvailable) {
        parts.push(h('button.danger', { type: 'button', id: 'cut-' + id, on: { click: () => cut(id) } },
          'Cut this circuit (simulator)'));
      }
    } else {
      const g = groups.get(id);
      const inv = (inventory['tunnel-groups'] || []).find((x) => x.id === id);
      for (const t of inv ? inv.tunnels : []) {
        if (t.circuit) {
          circuitIds.push(t.circuit);
        }
        if (t.session) {
          sessions.push(t.session);
        }
      }
      parts.push(h('h2', {}, 'Tunnel group ' + id),
        g ? h('p', {}, 'Phase ', h('span.badge', { class: 'st-' + groupState(g.phase) }, g.phase), ', carrying ',
          h('strong', {}, g.carrying || 'nothing'), ', failover objective ' + g.objectiveSeconds + ' s') : null,
        g ? h('ul', {}, g.tunnels.map((t) => h('li', {}, t.id + ' (' + t.role + (t.circuit ? ', over ' + t.circuit : ', internet')
          + '): ' + t.status))) : null,
        g ? h('p', {}, 'Last failover: ', switchover(g.lastFailover), '. Last failback: ', switchover(g.lastFailback), '.') : null);
    }
    for (const cid of circuitIds) {
      parts.push(probeChart(cid));
    }
    const token = ++detailToken;
    const sessionBox = h('div.sessions');
    parts.push(h('h3', {}, 'Sessions'), sessionBox);
    const rows = [];
    for (const sess of sessions) {
      try {
        const peers = await api('/routers/' + encodeURIComponent(sess.router) + '/peers');
        const p = peers.find((x) => x.peer === sess.peer && (x.vrf || 'default') === (sess.vrf || 'default'));
        rows.push(h('tr', {}, h('td', {}, h('a', { href: '#/router/' + encodeURIComponent(sess.router) }, sess.router)),
          h('td', {}, sess.peer), h('td', {}, h('span.badge', { class: 'st-' + (p ? p.state : 'unknown') }, p ? p.state : 'unknown')),
          h('td', {}, p && p.since ? when(p.since) : ''), h('td', {}, p ? String(p.flaps) : '')));
      } catch (err) {
        rows.push(h('tr', {}, h('td', { colspan: 5 }, sess.router + ' ' + sess.peer + ': ' + err.message)));
      }
    }
    if (token !== detailToken || stopped) {
      return;
    }
    sessionBox.replaceChildren(rows.length ? h('div.table-wrap', {}, h('table', {}, h('thead', {}, h('tr', {},
      ['Router', 'Peer', 'State', 'Since', 'Flaps'].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows)))
      : h('p.muted', {}, 'No BGP session rides this link.'));
    const focused = document.activeElement && detail.contains(document.activeElement) ? document.activeElement.id : null;
    detail.hidden = false;
    detail.replaceChildren(...parts);
    detail.dataset.link = key;
    if (focused && document.getElementById(focused)) {
      document.getElementById(focused).focus();
    }
  }

  function probeChart(circuitId) {
    const list = samples.get(circuitId) || [];
    const last = list[list.length - 1];
    const figure = h('figure.probes', {},
      h('figcaption', {}, 'Probes over ' + circuitId + (last ? ': latency ' + fmt(last.latencyMs) + ' ms, loss '
        + fmt(last.lossPct) + ' %, jitter ' + fmt(last.jitterMs) + ' ms' : ': none yet')));
    if (list.length > 1) {
      const w = 320;
      const ht = 90;
      const svg = s('svg', { viewBox: '0 0 ' + w + ' ' + ht, class: 'chart', role: 'img',
        'aria-label': 'Latency, loss and jitter of the last ' + list.length + ' probes over ' + circuitId });
      for (const [field, cls] of [['latencyMs', 'lat'], ['lossPct', 'loss'], ['jitterMs', 'jit']]) {
        const max = Math.max(1, ...list.map((p) => p[field] || 0));
        const pts = list.map((p, n) => (n * (w - 4) / (list.length - 1) + 2).toFixed(1) + ','
          + (ht - 4 - ((p[field] || 0) / max) * (ht - 8)).toFixed(1)).join(' ');
        svg.append(s('polyline', { points: pts, class: cls }));
      }
      figure.append(svg, h('p.muted.small', {}, h('span.k-lat', {}, 'latency'), ' · ', h('span.k-loss', {}, 'loss'), ' · ',
        h('span.k-jit', {}, 'jitter'), ' (each scaled to its own maximum; samples seen since this page opened)'));
    }
    return figure;
  }

  function fmt(v) {
    return v == null ? '?' : Number(v).toFixed(2);
  }

  async function cut(circuitId) {
    try {
      const run = await api('/sim/scenarios/circuit-cut', { method: 'POST', body: { circuit: circuitId } });
      toast('Simulator: ' + circuitId + ' cut (' + run.id + '); repaired after ' + run.duration);
    } catch (err) {
      toast('Could not cut ' + circuitId + ': ' + err.message, true);
    }
  }

  if (ctx.may('simulate')) {
    api('/sim/scenarios').then((catalogue) => {
      simAvailable = !!catalogue.enabled;
      if (selected) {
        showDetail(selected);
      }
    }, () => {
      simAvailable = false;
    });
  }
  const soon = debounce(refreshState, 100);
  const off = ctx.onLive((type) => {
    if (type === 'signal' || type === 'incident' || type === 'session') {
      soon();
    }
  });
  // Probes are not on the stream: their figures are read every 3 s while the map is shown.
  const timer = setInterval(refreshState, 3000);
  load();
  return {
    stop() {
      stopped = true;
      off();
      clearInterval(timer);
    },
  };
}
