// Route lookup (a looking glass: best path with its reason and the alternatives) and the router page
// (sessions with since-when, flap counts and route counts per peer).
import { api, ApiFailure } from './api.js';
import { ago, debounce, h, toast, when } from './dom.js';

const REASONS = {
  only_path: 'the only path',
  router_reported: 'the router reported it as its own best path',
  local_pref: 'highest local preference',
  as_path_length: 'shortest AS path',
  origin: 'lowest origin (IGP before EGP before incomplete)',
  med: 'lowest MED',
  ebgp_over_ibgp: 'eBGP preferred over iBGP',
  router_id: 'lowest router id',
  cluster_list_length: 'shortest cluster list',
  peer_address: 'lowest peer address',
  path_id: 'lowest ADD-PATH path id',
};

export function reasonText(reason) {
  return REASONS[reason] || String(reason || '').replace(/_/g, ' ');
}

export function lookup(container, ctx) {
  const select = h('select#lookup-router', { name: 'router', required: true });
  const input = h('input#lookup-query', { type: 'text', name: 'q', required: true, placeholder: '10.1.200.7 or 10.1.200.0/24',
    autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'lookup-help' });
  const result = h('div#lookup-result', { 'aria-live': 'polite' });
  const routerList = h('ul.plain.routers');
  const form = h('form#lookup.card', { on: { submit: (e) => {
    e.preventDefault();
    run();
  } } },
  h('div.field', {}, h('label', { for: 'lookup-router' }, 'Router'), select),
  h('div.field', {}, h('label', { for: 'lookup-query' }, 'Address or prefix'), input),
  h('button.primary', { type: 'submit' }, 'Look up'),
  h('p#lookup-help.muted', {}, 'An address gives the longest-prefix match; a prefix its exact route (or, when none, the route covering it).'));
  container.append(h('h1', {}, 'Route lookup'), form, result, h('h2', {}, 'Routers'), routerList);

  api('/routers').then((routers) => {
    select.replaceChildren(...routers.map((r) => h('option', { value: r.id }, r.id)));
    routerList.replaceChildren(...routers.map((r) => h('li', {}, h('a', { href: '#/router/' + encodeURIComponent(r.id) }, r.id),
      ' ', h('span.muted', {}, r.established + '/' + r.sessions + ' sessions established, '
        + r.routes.map((c) => c.prefixes + ' ' + c.afi + ' prefixes').join(', ')))));
  }, (err) => toast('Could not list routers: ' + err.message, true));

  async function run() {
    const router = select.value;
    const q = input.value.trim();
    if (!router || !q) {
      return;
    }
    result.replaceChildren(h('p.muted', {}, 'Looking up ' + q + ' at ' + router + '…'));
    const base = '/routers/' + encodeURIComponent(router);
    try {
      let route = null;
      let note = null;
      if (q.includes('/')) {
        const page = await api(base + '/routes?prefix=' + encodeURIComponent(q) + '&match=exact');
        route = page.routes[0] || null;
        if (!route) {
          const covering = await api(base + '/routes?prefix=' + encodeURIComponent(q) + '&match=shorter');
          route = covering.routes[covering.routes.length - 1] || null;
          note = route ? 'No route for exactly ' + q + '; the most specific route covering it:' : null;
        }
      } else {
        route = await api(base + '/lookup?ip=' + encodeURIComponent(q));
      }
      result.replaceChildren(route ? routeView(router, route, note) : h('p.error', {}, 'No route of ' + router + ' covers ' + q + '.'));
    } catch (err) {
      result.replaceChildren(h('p.error', { role: 'alert' }, err instanceof ApiFailure && err.status === 404
        ? 'No route of ' + router + ' covers ' + q + '.' : err.message));
    }
  }
  return { stop() {} };
}

function routeView(router, r, note) {
  return h('section.card#route', { 'data-prefix': r.prefix, 'aria-labelledby': 'route-h' },
    note ? h('p.muted', {}, note) : null,
    h('h2#route-h', {}, r.prefix, h('span.muted', {}, ' at ' + router + ', VRF ' + r.vrf)),
    h('p', {}, 'Best path via ', h('strong#best-peer', {}, r.best.peer || 'the router itself'),
      ', chosen for: ', h('strong#best-reason', { 'data-reason': r.reason }, reasonText(r.reason)),
      r.reported ? ' (the router\'s own report)' : ''),
    pathTable([r.best], true),
    h('h3', {}, 'Alternatives (' + r.others.length + ')'),
    r.others.length ? pathTable(r.others, false) : h('p.muted', {}, 'None: this is the only path.'));
}

function pathTable(paths, best) {
  return h('div.table-wrap', {}, h('table.paths', { 'data-best': best ? 'true' : 'false' },
    h('thead', {}, h('tr', {}, ['Peer', 'Peer AS', 'Next hop', 'AS path', 'Origin', 'Local pref', 'MED', 'Communities']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, paths.map((p) => h('tr', {},
      h('td', {}, p.peer || 'self'), h('td', {}, p.peerAs == null ? '' : String(p.peerAs)), h('td', {}, p.nextHop),
      h('td', {}, p.asPath || '(empty)'), h('td', {}, p.origin), h('td', {}, p.localPref == null ? '' : String(p.localPref)),
      h('td', {}, p.med == null ? '' : String(p.med)), h('td', {}, (p.communities || []).join(' ')))))));
}

export function routerPage(container, ctx, id) {
  const summary = h('p.muted');
  const body = h('div.table-wrap', { 'aria-live': 'polite' });
  container.append(h('h1', {}, 'Router ' + id), summary, body,
    h('p', {}, h('a', { href: '#/lookup' }, 'Look up a route at another router')));
  let stopped = false;

  async function refresh() {
    try {
      const [routers, peers] = await Promise.all([api('/routers'), api('/routers/' + encodeURIComponent(id) + '/peers')]);
      if (stopped) {
        return;
      }
      const r = routers.find((x) => x.id === id);
      summary.textContent = r ? r.established + ' of ' + r.sessions + ' sessions established, ' + r.down + ' down; '
        + r.routes.map((c) => c.prefixes + ' ' + c.afi + ' prefixes (' + c.paths + ' paths) in VRF ' + c.vrf).join('; ')
        : 'No session or route known for this router yet.';
      body.replaceChildren(h('table#peers', {},
        h('caption.sr-only', {}, 'BGP sessions of ' + id),
        h('thead', {}, h('tr', {}, ['Peer', 'VRF', 'Peer AS', 'State', 'Since', 'Flaps', 'Last reason', 'IPv4 routes', 'IPv6 routes']
          .map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, peers.map((p) => h('tr', { 'data-peer': p.peer },
          h('th', { scope: 'row' }, p.peer), h('td', {}, p.vrf), h('td', {}, String(p.peerAs)),
          h('td', {}, h('span.badge', { class: 'st-' + p.state }, p.state)),
          h('td', {}, p.since ? [when(p.since), ' (' + ago(p.since) + ')'] : ''),
          h('td', {}, String(p.flaps)), h('td', {}, p.lastReason || ''),
          h('td', {}, String(p.ipv4Routes)), h('td', {}, String(p.ipv6Routes)))))));
    } catch (err) {
      if (!stopped) {
        body.replaceChildren(h('p.error', { role: 'alert' }, err.message));
      }
    }
  }
  const soon = debounce(refresh, 150);
  const off = ctx.onLive((type, data) => {
    if (type === 'session' && data && data.router === id) {
      soon();
    }
  });
  const timer = setInterval(refresh, 10000);
  refresh();
  return {
    stop() {
      stopped = true;
      off();
      clearInterval(timer);
    },
  };
}
