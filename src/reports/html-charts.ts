/**
 * The report's own browser script: draws the availability and latency timelines with uPlot from the JSON in
 * `#rift-data`, shades each fault window and marks the failover phases. Bands, markers and labels are DOM
 * elements laid over the canvas (class `fault-band`, `phase-marker`, `phase-label`), so they stay sharp,
 * carry titles, and can be inspected. Plain ES2017 in a string: it runs in the reader's browser, not in Node.
 *
 * Expected data: {series: {bucketMs, points: [{atMs, ok, failed, p50Ms, maxMs}]}, faults: [{id, kind,
 * target, startMs, endMs}], phases: [{name, label, atMs}], rtoMs, endMs}; times in ms since the run started.
 */
export const CHART_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('rift-data').textContent);
  var holder = document.getElementById('charts');
  if (!holder || !data.series || data.series.points.length === 0) return;
  if (typeof uPlot !== 'function') {
    holder.textContent = 'The chart library did not load.';
    return;
  }
  var COLORS = {ok: '#1a7f37', p50: '#0969da', max: '#bc4c00', fault: '#cf222e', phase: '#6639ba', grid: '#eaeef2', axis: '#57606a'};
  var LABEL_ROW = 17;

  // uPlot draws across undefined values and leaves a gap at null. A bucket no probe fell in (the prober's own
  // jitter, or a stall) keeps the availability it follows: undefined. Latency is bridged over an empty bucket
  // only between two buckets that had successes; next to failures it is a gap: no line through an outage.
  var points = data.series.points;
  var succeeded = points.map(function (point) { return point.ok + point.failed === 0 ? null : point.ok > 0; });
  var before = [], after = [], seen = null, i;
  for (i = 0; i < points.length; i++) { before.push(seen); if (succeeded[i] !== null) seen = succeeded[i]; }
  for (seen = null, i = points.length - 1; i >= 0; i--) { after[i] = seen; if (succeeded[i] !== null) seen = succeeded[i]; }
  var xs = [], availability = [], p50 = [], max = [];
  points.forEach(function (point, index) {
    var total = point.ok + point.failed;
    var bridge = total === 0 && before[index] === true && after[index] === true ? undefined : null;
    xs.push(point.atMs / 1000);
    availability.push(total > 0 ? (100 * point.ok) / total : undefined);
    p50.push(total > 0 ? point.p50Ms : bridge);
    max.push(total > 0 ? point.maxMs : bridge);
  });
  var lastPoint = data.series.points[data.series.points.length - 1];
  var xMax = (lastPoint.atMs + data.series.bucketMs) / 1000;
  data.faults.forEach(function (fault) { xMax = Math.max(xMax, fault.endMs / 1000); });
  // Empty points at the run's start and after the last bucket: the charts then span the whole run and every
  // fault window, and zooming back out is just the data's own range.
  if (xs[0] > 0) {
    xs.unshift(0); availability.unshift(null); p50.unshift(null); max.unshift(null);
  }
  xs.push(xMax); availability.push(null); p50.push(null); max.push(null);
  var whole = {min: 0, max: xMax};

  function seconds(value) {
    if (value === 0) return '0';
    return (Math.abs(value) < 10 ? +value.toFixed(2) : +value.toFixed(1)) + ' s';
  }
  function ms(value) {
    if (value === null || value === undefined) return '—';
    if (Math.abs(value) < 10) return +value.toFixed(2) + ' ms';
    if (Math.abs(value) < 1000) return Math.round(value) + ' ms';
    return +(value / 1000).toFixed(2) + ' s';
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Fault windows and phase markers over a chart; labels only on the first chart, above its plot area. */
  function annotations(withLabels) {
    var placed = [];
    function place(u) {
      var wrap = u.root.querySelector('.u-wrap');
      var plotLeft = u.over.offsetLeft;
      var plotWidth = u.over.clientWidth;
      placed.forEach(function (item) {
        var left = u.valToPos(item.start, 'x');
        var right = item.end === undefined ? left : u.valToPos(item.end, 'x');
        var visible = right >= 0 && left <= plotWidth;
        item.node.style.display = visible ? '' : 'none';
        if (item.end !== undefined) {
          var clippedLeft = Math.max(0, left);
          item.node.style.left = clippedLeft + 'px';
          item.node.style.width = Math.max(2, Math.min(plotWidth, right) - clippedLeft) + 'px';
          // A window cut by the plot's edge (when zoomed) has no edge line there: it did not start or end there.
          item.node.style.borderLeftStyle = left < 0 ? 'none' : '';
          item.node.style.borderRightStyle = right > plotWidth ? 'none' : '';
        } else {
          item.node.style.left = left + 'px';
        }
        if (item.label) {
          item.label.style.display = visible ? '' : 'none';
          var anchor = plotLeft + Math.max(0, Math.min(plotWidth, left));
          var width = item.label.offsetWidth;
          var flip = anchor + width > wrap.clientWidth - 4;
          item.label.style.left = (flip ? anchor - width : anchor) + 'px';
          item.label.classList.toggle('flipped', flip);
        }
      });
    }
    return {
      hooks: {
        init: [function (u) {
          var wrap = u.root.querySelector('.u-wrap');
          data.faults.forEach(function (fault) {
            var band = el('div', 'fault-band');
            band.dataset.fault = fault.id;
            band.title = fault.id + ' ' + fault.kind + ' on ' + fault.target + ': ' + seconds(fault.startMs / 1000) + ' → ' + seconds(fault.endMs / 1000);
            u.under.appendChild(band);
            var item = {node: band, start: fault.startMs / 1000, end: fault.endMs / 1000};
            if (withLabels) {
              item.label = el('div', 'chart-label fault-label', fault.id + ' ' + fault.kind + ' · ' + ms(fault.endMs - fault.startMs));
              item.label.style.top = '0px';
              wrap.appendChild(item.label);
            }
            placed.push(item);
          });
          data.phases.forEach(function (phase, index) {
            var marker = el('div', 'phase-marker phase-' + phase.name);
            marker.dataset.phase = phase.name;
            marker.title = phase.label + ' at ' + seconds(phase.atMs / 1000);
            u.over.appendChild(marker);
            var item = {node: marker, start: phase.atMs / 1000};
            if (withLabels) {
              var since = phase.name === 'fault-start' ? '' : ' +' + ms(phase.atMs - data.phases[0].atMs);
              item.label = el('div', 'chart-label phase-label phase-' + phase.name, phase.label + since);
              item.label.dataset.phase = phase.name;
              item.label.style.top = (index + 1) * LABEL_ROW + 'px';
              wrap.appendChild(item.label);
            }
            placed.push(item);
          });
          if (data.rtoMs !== null && data.phases.length > 0) {
            var span = el('div', 'rto-span');
            span.appendChild(el('span', 'rto-text', 'RTO ' + ms(data.rtoMs)));
            u.over.appendChild(span);
            placed.push({node: span, start: data.phases[0].atMs / 1000, end: (data.phases[0].atMs + data.rtoMs) / 1000});
          }
        }],
        draw: [place],
      },
    };
  }

  var charts = [];
  var syncing = false;
  function syncScales(u, key) {
    if (key !== 'x' || syncing) return;
    syncing = true;
    charts.forEach(function (other) {
      if (other !== u) other.setScale('x', {min: u.scales.x.min, max: u.scales.x.max});
    });
    syncing = false;
  }

  function axes(label, format, splits) {
    var y = {stroke: COLORS.axis, grid: {stroke: COLORS.grid}, ticks: {stroke: COLORS.grid}, label: label, size: 60, values: function (u, ticks) { return ticks.map(format); }};
    if (splits) y.splits = function () { return splits; };
    return [
      {stroke: COLORS.axis, grid: {stroke: COLORS.grid}, ticks: {stroke: COLORS.grid}, values: function (u, ticks) { return ticks.map(seconds); }},
      y,
    ];
  }

  function chart(id, options, columns) {
    var target = document.getElementById(id);
    var width = Math.max(320, target.clientWidth);
    options.width = width;
    options.scales.x = {time: false};
    options.cursor = {sync: {key: 'rift'}, drag: {x: true, y: false}};
    options.hooks = {setScale: [syncScales]};
    var u = new uPlot(options, columns, target);
    charts.push(u);
    return u;
  }

  var labelRows = data.phases.length + 1;
  chart('chart-availability', {
    title: 'Availability: share of probes that succeeded',
    height: 260 + labelRows * LABEL_ROW,
    padding: [labelRows * LABEL_ROW + 8, 16, 0, 0],
    // A little room below 0% and above 100%: a line at either is drawn whole, not half clipped.
    scales: {y: {range: [-4, 104]}},
    axes: axes('% of probes ok', function (value) { return value + '%'; }, [0, 25, 50, 75, 100]),
    series: [
      {label: 'time', value: function (u, value) { return value === null ? '—' : seconds(value); }},
      {label: 'availability', stroke: COLORS.ok, width: 2, fill: 'rgba(26, 127, 55, 0.08)', paths: uPlot.paths.stepped({align: 1}),
        value: function (u, value) { return value === null ? '—' : +value.toFixed(1) + '%'; }},
    ],
    plugins: [annotations(true)],
  }, [xs, availability]);

  chart('chart-latency', {
    title: 'Latency of successful probes',
    height: 260,
    padding: [12, 16, 0, 0],
    scales: {y: {range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; }}},
    axes: axes('ms', function (value) { return +value.toFixed(2) + ''; }),
    series: [
      {label: 'time', value: function (u, value) { return value === null ? '—' : seconds(value); }},
      {label: 'p50', stroke: COLORS.p50, width: 2, spanGaps: false, value: function (u, value) { return ms(value); }},
      {label: 'max', stroke: COLORS.max, width: 1, dash: [4, 3], spanGaps: false, value: function (u, value) { return ms(value); }},
    ],
    plugins: [annotations(false)],
  }, [xs, p50, max]);

  function zoom(range) {
    charts.forEach(function (u) { u.setScale('x', range); });
  }
  var closeUp = document.getElementById('zoom-failover');
  if (closeUp && data.phases.length > 0) {
    var first = data.phases[0].atMs / 1000;
    var last = data.phases[data.phases.length - 1].atMs / 1000;
    var pad = Math.max(0.25, (last - first) * 0.6);
    closeUp.hidden = false;
    closeUp.addEventListener('click', function () { zoom({min: Math.max(0, first - pad), max: Math.min(whole.max, last + pad)}); });
  }
  var reset = document.getElementById('zoom-reset');
  if (reset) {
    reset.hidden = false;
    reset.addEventListener('click', function () { zoom(whole); });
  }
  window.addEventListener('resize', function () {
    charts.forEach(function (u) {
      var width = Math.max(320, u.root.parentNode.clientWidth);
      u.setSize({width: width, height: u.height});
    });
  });
  // Labels are measured to keep them inside the chart: lay them out again now that the charts are in the page.
  charts.forEach(function (u) { u.redraw(false, false); });
  document.documentElement.dataset.charts = String(charts.length);
})();
`
