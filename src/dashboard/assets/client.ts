// The dashboard's only script. It draws the plots (uPlot) from the JSON each figure carries, and keeps the
// page current without a full reload: it fetches the same URL and swaps the live region in place. Filters and
// window links go through the same swap. Without JavaScript every page still works: the filters are a plain
// form and the windows plain links; only the plots and the refresh need it.
// Plain ES2017 with no template literals, so that it can live in this string unchanged.

export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var plots = [];
  /* The drawn uPlot instances; the browser test reads their series from here. */
  window.tcCanaryPlots = plots;
  var busy = false;

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function formatValue(value, unit) {
    if (value === null || value === undefined) return '';
    if (unit === 'ms') return value >= 1000 ? (value / 1000).toFixed(value >= 10000 ? 0 : 1) + ' s' : Math.round(value) + ' ms';
    if (unit === 's') return value >= 120 ? (value / 60).toFixed(value >= 600 ? 0 : 1) + ' min' : Math.round(value) + ' s';
    return (Number.isInteger(value) ? value : value.toFixed(2)) + (unit && unit !== 'count' ? ' ' + unit : '');
  }

  /* Time ticks in UTC, 24-hour, with the date under the first tick of each day. */
  function timeTicks(u, ticks) {
    var lastDay = null;
    return ticks.map(function (t) {
      var iso = new Date(t * 1000).toISOString();
      var day = iso.slice(5, 10);
      var label = iso.slice(11, 16);
      if (day !== lastDay) label += '\n' + day;
      lastDay = day;
      return label;
    });
  }

  /* Each version change as a vertical line across the plot, labelled with the version at its top. */
  function drawVersionLines(u, versions) {
    var ctx = u.ctx;
    var top = u.bbox.top;
    var bottom = u.bbox.top + u.bbox.height;
    ctx.save();
    ctx.strokeStyle = cssVar('--muted');
    ctx.fillStyle = cssVar('--muted');
    ctx.lineWidth = Math.max(1, devicePixelRatio);
    ctx.setLineDash([3 * devicePixelRatio, 3 * devicePixelRatio]);
    ctx.font = (11 * devicePixelRatio) + 'px sans-serif';
    ctx.textBaseline = 'top';
    versions.forEach(function (change) {
      var x = Math.round(u.valToPos(change.at, 'x', true));
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.fillText(change.version, x + 3 * devicePixelRatio, top + 2 * devicePixelRatio);
    });
    ctx.restore();
  }

  function drawPlot(figure) {
    var source = figure.querySelector('script[type="application/json"]');
    var target = figure.querySelector('.plot-canvas');
    if (!source || !target || typeof uPlot === 'undefined') return;
    var spec = JSON.parse(source.textContent);
    if (spec.x.length === 0) return;
    var hasLimit = spec.limit.some(function (v) { return v !== null; });
    var series = [{}, {
      label: spec.name, stroke: cssVar('--plot-value'), width: 1.5,
      fill: cssVar('--plot-value') + '1f',
      points: { show: spec.x.length <= 120, size: 4 },
      value: function (u, v) { return formatValue(v, spec.unit); }
    }];
    var data = [spec.x, spec.value];
    if (hasLimit) {
      series.push({
        label: 'limit', stroke: cssVar('--plot-limit'), width: 2, dash: [8, 5], points: { show: false },
        value: function (u, v) { return formatValue(v, spec.unit); }
      });
      data.push(spec.limit);
    }
    var axis = { stroke: cssVar('--muted'), grid: { stroke: cssVar('--grid'), width: 1 }, ticks: { stroke: cssVar('--grid') } };
    var options = {
      width: Math.max(200, target.clientWidth), height: 240,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      scales: { x: { time: true, range: [spec.from, spec.to] }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.12 : 1]; } } },
      series: series,
      axes: [Object.assign({}, axis, { values: timeTicks, size: 44 }), Object.assign({}, axis, { size: 64, values: function (u, ticks) { return ticks.map(function (t) { return formatValue(t, spec.unit); }); } })],
      cursor: { points: { size: 6 } },
      hooks: { draw: [function (u) { drawVersionLines(u, spec.versions || []); }] }
    };
    var chart = new uPlot(options, data, target);
    chart.metricName = spec.name;
    chart.versionChanges = spec.versions || [];
    plots.push(chart);
    figure.setAttribute('data-rendered', 'true');
  }

  function drawPlots() {
    plots.splice(0).forEach(function (chart) { chart.destroy(); });
    document.querySelectorAll('figure.plot').forEach(drawPlot);
  }

  var resizeTimer;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      plots.forEach(function (chart) {
        var target = chart.root.parentElement;
        if (target) chart.setSize({ width: Math.max(200, target.clientWidth), height: 240 });
      });
    }, 150);
  });

  function setStatus(text, stale) {
    var status = document.querySelector('.updated');
    if (!status) return;
    status.classList.toggle('stale', stale);
    if (text !== null) status.textContent = text;
  }

  /* Fetches url and swaps the live region, keeping focus on the same control when it survives. */
  function load(url) {
    if (busy) return Promise.resolve();
    busy = true;
    var live = document.getElementById('live');
    live.classList.add('loading');
    live.setAttribute('aria-busy', 'true');
    var focusedName = document.activeElement && live.contains(document.activeElement) ? document.activeElement.getAttribute('name') : null;
    return fetch(url, { headers: { Accept: 'text/html' }, cache: 'no-store' })
      .then(function (response) { return response.text(); })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, 'text/html');
        var nextLive = next.getElementById('live');
        if (!nextLive) throw new Error('no live region in the answer');
        live.replaceWith(nextLive);
        var status = next.querySelector('.updated');
        if (status) document.querySelector('.updated').replaceWith(status);
        document.title = next.title;
        setStatus(null, false);
        if (focusedName) {
          var control = nextLive.querySelector('[name="' + focusedName + '"]');
          if (control) control.focus();
        }
        drawPlots();
      })
      .catch(function () {
        live.classList.remove('loading');
        live.removeAttribute('aria-busy');
        setStatus('Update failed at ' + new Date().toISOString().slice(11, 19) + ' UTC; retrying', true);
      })
      .then(function () { busy = false; });
  }

  function navigate(url) {
    history.replaceState(null, '', url);
    return load(url);
  }

  function filterUrl(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value) params.set(key, value); });
    var query = params.toString();
    return location.pathname + (query ? '?' + query : '');
  }

  document.addEventListener('change', function (event) {
    var form = event.target.closest && event.target.closest('form.filters');
    if (form) navigate(filterUrl(form));
  });
  document.addEventListener('submit', function (event) {
    if (!event.target.matches('form.filters')) return;
    event.preventDefault();
    navigate(filterUrl(event.target));
  });
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-swap]');
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(link.getAttribute('href'));
  });

  function editing() {
    var active = document.activeElement;
    return active && active.matches && active.matches('#live select, #live input');
  }

  var seconds = Number(document.body.getAttribute('data-refresh'));
  if (seconds > 0) {
    setInterval(function () {
      if (!document.hidden && !editing()) load(location.href);
    }, seconds * 1000);
  }
  window.tcCanaryRefresh = function () { return load(location.href); };
  drawPlots();
})();
`;
