/* salw-routes map runtime (MIT, salw-routes developers).
 *
 * Builds every layer of a route map from one compact data block written by routes/maps.py.
 * Text from data reaches the page only through textContent / DOM nodes, never innerHTML.
 * The time, category, modus-operandi and weight filters recompute the per-path, per-edge and
 * per-crossing sums here, so the route-frequency overlay follows the filters, not only the points.
 * Maps with inferred legs (meta.has_inferred, column r_inf: 1 inferred from recorded routes,
 * 2 from priors) draw the segments whose flow comes mostly from inferred legs dashed (mostly
 * inferred from records) or dotted (mostly from priors); dashes, dots and gaps grow with the
 * line and thick lines get a white centre stripe. The layer switch "Inferred legs" leaves them
 * out. meta.evidence (what the route frequency rests on) is shown as text in the title panel
 * and the legend.
 */
(function () {
  "use strict";
  var SALW = (window.SALW = window.SALW || {});
  SALW.apps = SALW.apps || [];

  var FLOW_COLOURS = ["#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"];
  var FLOW_WIDTHS = [1.5, 3, 4.5, 6.5, 9];
  var HEX_COLOURS = ["#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486"];
  var TYPES = { i4: Int32Array, u4: Uint32Array, u2: Uint16Array, u1: Uint8Array };
  var UNDATED = -2147483648;
  var DAY_MS = 86400000;
  // dashes grow with the line: the gap stays wider than the line at every width, and the
  // butt caps of a dashed line never close it (round caps would add the width to each dash)
  var STRIPE_FROM = 4.5;  // px: inferred segments this wide get a white centre stripe too
  function inferredDash(w) {
    return Math.round(6 + 2.2 * w) + " " + Math.round(5 + 1.6 * w);
  }
  // legs from priors (a modelling assumption): square dots as long as the line is wide
  function priorDash(w) {
    return Math.max(2, Math.round(w)) + " " + Math.round(5 + 1.6 * w);
  }

  // ---------------------------------------------------------------- small DOM helpers
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent, child) {
    parent.appendChild(child);
    return child;
  }
  function pretty(v) {
    return String(v).replace(/_/g, " ");
  }
  function fmtNum(v) {
    if (v >= 100 || Math.abs(v - Math.round(v)) < 0.005) return Math.round(v).toLocaleString("en-GB");
    if (v >= 10) return v.toFixed(1);
    return String(parseFloat(v.toFixed(2)));
  }
  function dayToIso(d) {
    if (d === UNDATED) return "undated";
    return new Date(d * DAY_MS).toISOString().slice(0, 10);
  }
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function fmtDate(iso) {
    // "2019-01-01" -> "1 Jan 2019": one unambiguous format, independent of the browser locale
    var p = String(iso).split("-");
    return parseInt(p[2], 10) + " " + MONTHS[parseInt(p[1], 10) - 1] + " " + p[0];
  }
  function monthToDay(m, end) {
    var y = Math.floor(m / 12), mo = m % 12;
    if (end) return Math.round(Date.UTC(y, mo + 1, 1) / DAY_MS) - 1;
    return Math.round(Date.UTC(y, mo, 1) / DAY_MS);
  }
  function monthLabel(m) {
    var mo = (m % 12) + 1;
    return Math.floor(m / 12) + "-" + (mo < 10 ? "0" : "") + mo;
  }
  function hash01(i) {
    var h = (i + 1) * 2654435761;
    h = (h ^ (h >>> 16)) >>> 0;
    return (h % 10007) / 10007;
  }

  // ---------------------------------------------------------------- data decoding
  function b64bytes(s) {
    var bin = atob(s), n = bin.length, out = new Uint8Array(n);
    for (var i = 0; i < n; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function inflate(bytes) {
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(
        new Error("This browser cannot open the map data (it needs DecompressionStream: " +
          "Chrome/Edge 80+, Firefox 113+, Safari 16.4+).")
      );
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).arrayBuffer();
  }
  function columns(meta, buf) {
    var cols = {};
    Object.keys(meta.columns).forEach(function (name) {
      var spec = meta.columns[name];
      var T = TYPES[spec[0]];
      var a = new T(buf, spec[1], spec[2]);
      if (spec[3]) {
        a = new T(a); // copy, then undo the delta encoding
        for (var i = 1; i < a.length; i++) a[i] += a[i - 1];
      }
      cols[name] = a;
    });
    return cols;
  }

  // ---------------------------------------------------------------- the app (state + filters)
  SALW.app = function (map, dataId) {
    var node = document.getElementById(dataId);
    var meta = JSON.parse(node.textContent);
    var app = {
      map: map,
      meta: meta,
      cols: null,
      layers: [],
      controls: [],
      state: {
        from: null, to: null, undated: true, weight: meta.weight,
        cats: meta.categories.map(function () { return true; }),
        mos: meta.mos.map(function () { return true; }),
        srcs: (meta.sources || []).map(function () { return true; }),
        incidents: 0, quantity: 0, drawnEdges: 0, drawnCrossings: 0, maxEdge: 0,
        edgeTotal: 0, ready: false, updates: 0, inferred: true
      },
      _pending: []
    };
    map.getContainer().style.background = meta.tiles ? "#ffffff" : "#dde8f0";
    if (meta.attribution) map.attributionControl.addAttribution(meta.attribution);
    if (meta.bounds) map.fitBounds(meta.bounds, { padding: [10, 10] });
    app.onReady = function (fn) {
      if (app.state.ready) fn();
      else app._pending.push(fn);
    };
    var t0 = performance.now();
    app.timings = {};
    app.ready = (meta.compressed ? inflate(b64bytes(meta.blob)) : Promise.resolve(b64bytes(meta.blob).buffer))
      .then(function (buf) {
        var t1 = performance.now();
        app.cols = columns(meta, buf);
        prepare(app);
        app.state.ready = true;
        var t2 = performance.now();
        app._pending.forEach(function (fn) { fn(); });
        app._pending = [];
        var t3 = performance.now();
        app.update();
        var t4 = performance.now();
        app.timings = { inflate_ms: t1 - t0, decode_ms: t2 - t1, build_ms: t3 - t2, first_update_ms: t4 - t3 };
        return app;
      });
    app.ready.catch(function (err) {
      var box = el("div", "salw-error", "The map data could not be opened: " + err.message);
      map.getContainer().appendChild(box);
      throw err;
    });
    app.setFilter = function (f) {
      var s = app.state;
      if (f.from !== undefined) s.from = f.from === null ? null : Math.round(Date.parse(f.from) / DAY_MS);
      if (f.to !== undefined) s.to = f.to === null ? null : Math.round(Date.parse(f.to) / DAY_MS);
      if (f.undated !== undefined) s.undated = !!f.undated;
      if (f.weight !== undefined) s.weight = f.weight;
      if (f.categories) s.cats = meta.categories.map(function (c) { return f.categories.indexOf(c) >= 0; });
      if (f.mos) s.mos = meta.mos.map(function (c) { return f.mos.indexOf(c) >= 0; });
      if (f.sources) s.srcs = (meta.sources || []).map(function (c) { return f.sources.indexOf(c) >= 0; });
      if (f.inferred !== undefined) {
        s.inferred = !!f.inferred;
        // keep the layer switch in step (its add/remove handlers set the same state)
        var ig = app.inferredGroup;
        if (ig && s.inferred !== app.map.hasLayer(ig)) { if (s.inferred) ig.addTo(app.map); else app.map.removeLayer(ig); }
      }
      app.update();
      app.controls.forEach(function (c) { if (c.sync) c.sync(); });
    };
    app.update = function () {
      if (!app.state.ready) return;
      compute(app);
      app.layers.forEach(function (l) { if (l.refresh) l.refresh(); });
      app.controls.forEach(function (c) { if (c.refresh) c.refresh(); });
      app.state.updates += 1;
    };
    app.summary = function () {
      var s = app.state;
      return {
        incidents: s.incidents, quantity: s.quantity, drawnEdges: s.drawnEdges,
        drawnCrossings: s.drawnCrossings, maxEdge: s.maxEdge, edgeTotal: s.edgeTotal,
        from: s.from === null ? null : dayToIso(s.from), to: s.to === null ? null : dayToIso(s.to),
        updates: s.updates
      };
    };
    SALW.apps.push(app);
    window.salwMap = app;
    return app;
  };

  function prepare(app) {
    var m = app.meta, c = app.cols, n = m.n;
    // mercator coordinates of incidents in [0, 1] for fast binning at any zoom
    var mx = new Float64Array(n), my = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      if (c.i_lat[i] === UNDATED) { mx[i] = NaN; my[i] = NaN; continue; }
      var lon = c.i_lon[i] / 1e5, lat = c.i_lat[i] / 1e5;
      mx[i] = (lon + 180) / 360;
      var s = Math.sin((lat * Math.PI) / 180);
      my[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
    app.mx = mx;
    app.my = my;
    app.pass = new Uint8Array(n);
    app.pathW = new Float64Array(m.n_paths);
    app.edgeV = new Float64Array(m.n_edges);
    app.pathWI = new Float64Array(m.n_paths);
    app.edgeVI = new Float64Array(m.n_edges);
    app.pathWP = new Float64Array(m.n_paths);  // the part of pathWI / edgeVI from priors
    app.edgeVP = new Float64Array(m.n_edges);
    app.crossV = new Float64Array(m.crossings.length);
  }

  function compute(app) {
    var m = app.meta, c = app.cols, s = app.state, n = m.n;
    var d0 = s.from === null ? -Infinity : s.from, d1 = s.to === null ? Infinity : s.to;
    var pw = app.pathW, ev = app.edgeV, cv = app.crossV, pass = app.pass;
    var pwi = app.pathWI, evi = app.edgeVI, rinf = c.r_inf, useInf = s.inferred;
    var pwp = app.pathWP, evp = app.edgeVP;
    pw.fill(0);
    ev.fill(0);
    pwi.fill(0);
    evi.fill(0);
    pwp.fill(0);
    evp.fill(0);
    cv.fill(0);
    var byQty = s.weight === "quantity", count = 0, qty = 0;
    var day = c.i_day, cat = c.i_cat, mo = c.i_mo, q = c.i_qty, roff = c.r_off, rp = c.r_path, rpr = c.r_prob;
    var src = c.i_src;
    for (var i = 0; i < n; i++) {
      var d = day[i];
      var ok = s.cats[cat[i]] && s.mos[mo[i]] && (!src || s.srcs[src[i]]) && (d === UNDATED ? s.undated : d >= d0 && d <= d1);
      pass[i] = ok ? 1 : 0;
      if (!ok) continue;
      count += 1;
      qty += q[i];
      var w = byQty ? q[i] : 1;
      for (var j = roff[i]; j < roff[i + 1]; j++) {
        if (rinf && rinf[j]) {
          if (!useInf) continue;
          pwi[rp[j]] += (rpr[j] / 65535) * w;
          if (rinf[j] === 2) pwp[rp[j]] += (rpr[j] / 65535) * w;
        }
        pw[rp[j]] += (rpr[j] / 65535) * w;
      }
    }
    var poff = c.p_off, pe = c.p_edge, pxo = c.p_xoff, px = c.p_cross;
    for (var p = 0; p < m.n_paths; p++) {
      var v = pw[p];
      if (v <= 0) continue;
      for (var k = poff[p]; k < poff[p + 1]; k++) ev[pe[k]] += v;
      if (pwi[p] > 0) for (var k3 = poff[p]; k3 < poff[p + 1]; k3++) evi[pe[k3]] += pwi[p];
      if (pwp[p] > 0) for (var k4 = poff[p]; k4 < poff[p + 1]; k4++) evp[pe[k4]] += pwp[p];
      for (var k2 = pxo[p]; k2 < pxo[p + 1]; k2++) cv[px[k2]] += v;
    }
    var mx = 0, tot = 0, drawn = 0;
    for (var e = 0; e < m.n_edges; e++) {
      if (ev[e] > 1e-9) { drawn += 1; tot += ev[e]; if (ev[e] > mx) mx = ev[e]; }
    }
    var dc = 0;
    for (var x = 0; x < cv.length; x++) if (cv[x] > 1e-9) dc += 1;
    s.incidents = count;
    s.quantity = qty;
    s.drawnEdges = drawn;
    s.drawnCrossings = dc;
    s.maxEdge = mx;
    s.edgeTotal = tot;
  }

  function flowClass(breaks, v) {
    var k = 0;
    while (k < breaks.length && v > breaks[k]) k++;
    return Math.min(k, FLOW_COLOURS.length - 1);
  }
  function currentBreaks(app) {
    return app.state.weight === "quantity" ? app.meta.breaks_quantity : app.meta.breaks_incidents;
  }
  function weightWord(app) {
    return app.state.weight === "quantity" ? "items" : "incidents";
  }

  // ---------------------------------------------------------------- layers
  SALW.layer = function (app, kind, opts) {
    var group = L.featureGroup();
    var layer = { group: group, kind: kind, opts: opts || {} };
    app.layers.push(layer);
    app.onReady(function () { BUILD[kind](app, layer); });
    return group;
  };

  function coordsOf(c, off, lonName, latName, a, b) {
    var out = [], lon = c[lonName], lat = c[latName];
    for (var i = a; i < b; i++) out.push([lat[i] / 1e5, lon[i] / 1e5]);
    return out;
  }

  var BUILD = {};

  // one canvas for every interactive layer: stacked canvases would hide each other's events
  function shared(app) {
    if (!app.renderer) app.renderer = L.canvas({ padding: 0.5, tolerance: 3 });
    return app.renderer;
  }

  BUILD.borders = function (app, layer) {
    var m = app.meta, c = app.cols, g = layer.group;
    var renderer = L.canvas({ padding: 0.5 });
    var rings = {};
    for (var r = 0; r < c.b_roff.length - 1; r++) {
      var ci = c.b_ring_country[r];
      (rings[ci] = rings[ci] || []).push(coordsOf(c, null, "b_lon", "b_lat", c.b_roff[r], c.b_roff[r + 1]));
    }
    m.countries.forEach(function (ctry, ci) {
      if (!rings[ci]) return;
      var focus = ctry.focus;
      L.polygon(rings[ci], {
        renderer: renderer, interactive: false, color: "#8a8a8a", weight: focus ? 1.2 : 0.8,
        fillColor: focus ? "#f7f4ec" : "#ecebe6", fillOpacity: m.tiles ? 0 : 1
      }).addTo(g);
    });
    m.countries.forEach(function (ctry) {
      if (!ctry.label) return;
      var div = el("div", "salw-country" + (ctry.focus ? " salw-focus" : ""), ctry.name);
      L.marker(ctry.label, {
        icon: L.divIcon({ className: "salw-label-icon", html: div, iconSize: null }),
        interactive: false, keyboard: false
      }).addTo(g);
    });
  };

  BUILD.flows = function (app, layer) {
    var m = app.meta, c = app.cols, g = layer.group;
    var renderer = shared(app);
    var lines = new Array(m.n_edges), bounds = new Array(m.n_edges);
    for (var e = 0; e < m.n_edges; e++) {
      var pts = coordsOf(c, null, "e_lon", "e_lat", c.e_off[e], c.e_off[e + 1]);
      var line = L.polyline(pts, { renderer: renderer, lineCap: "round", lineJoin: "round" });
      line._salwEdge = e;
      lines[e] = line;
      bounds[e] = L.latLngBounds(pts);
    }
    var lineGroup = L.featureGroup().addTo(g);
    lineGroup.bindTooltip(function (l) { return edgeTooltip(app, l._salwEdge); }, { sticky: true, className: "salw-tip" });
    // a white centre stripe on thick inferred segments: seen on a segment of any length (a road
    // segment shorter than one dash would otherwise show no gap at all)
    var stripeGroup = L.layerGroup().addTo(g), stripes = new Array(m.n_edges);
    var arrowGroup = L.layerGroup().addTo(g);
    var order = [];
    layer.lines = lines;
    layer.stripes = stripeGroup;
    layer.arrows = arrowGroup;
    layer.refresh = function () {
      var ev = app.edgeV, evi = app.edgeVI, evp = app.edgeVP, br = currentBreaks(app);
      order = [];
      for (var e = 0; e < m.n_edges; e++) if (ev[e] > 1e-9) order.push(e);
      order.sort(function (a, b) { return ev[a] - ev[b] || a - b; });
      lineGroup.clearLayers();
      stripeGroup.clearLayers();
      order.forEach(function (e) {
        var k = flowClass(br, ev[e]), w = FLOW_WIDTHS[k];
        // more than half of the segment's expected flow comes from inferred legs: dotted when
        // most of that is from priors, dashed when most is inferred from recorded routes
        var dash = null;
        if (m.has_inferred && evi[e] > ev[e] / 2) dash = evp[e] > evi[e] / 2 ? priorDash(w) : inferredDash(w);
        lines[e].setStyle({ color: FLOW_COLOURS[k], weight: w, opacity: 0.9, dashArray: dash,
          lineCap: dash ? "butt" : "round" });
        lineGroup.addLayer(lines[e]);
        if (dash && w >= STRIPE_FROM) {
          stripes[e] = stripes[e] || L.polyline(lines[e].getLatLngs(), {
            renderer: renderer, interactive: false, color: "#ffffff", opacity: 0.95, lineCap: "butt" });
          stripes[e].setStyle({ weight: Math.max(1.5, w * 0.3) });
          stripeGroup.addLayer(stripes[e]);
        }
      });
      drawArrows();
    };
    function drawArrows() {
      arrowGroup.clearLayers();
      if (!app.map.hasLayer(g)) return;
      var map = app.map, view = map.getBounds().pad(0.1), ev = app.edgeV, br = currentBreaks(app);
      var spacing = 160, budget = 2500;
      for (var oi = order.length - 1; oi >= 0 && budget > 0; oi--) {
        var e = order[oi];
        if (!view.intersects(bounds[e])) continue;
        var ll = lines[e].getLatLngs(), pts = ll.map(function (p) { return map.latLngToLayerPoint(p); });
        var cum = [0];
        for (var i = 1; i < pts.length; i++) cum.push(cum[i - 1] + pts[i].distanceTo(pts[i - 1]));
        var total = cum[cum.length - 1];
        var k = flowClass(br, ev[e]), size = 3 + FLOW_WIDTHS[k] * 0.9;
        if (k === 0 && order.length > 50) continue; // keep the thinnest class clean on busy maps
        for (var s = hash01(e) * spacing; s < total && budget > 0; s += spacing) {
          var j = 1;
          while (j < cum.length - 1 && cum[j] < s) j++;
          var a = pts[j - 1], b = pts[j], seg = cum[j] - cum[j - 1];
          if (seg <= 0) continue;
          var t = (s - cum[j - 1]) / seg, dx = (b.x - a.x) / seg, dy = (b.y - a.y) / seg;
          var px = a.x + (b.x - a.x) * t, py = a.y + (b.y - a.y) * t;
          var tip = L.point(px + dx * size, py + dy * size);
          var l = L.point(px - dx * size - dy * size * 0.75, py - dy * size + dx * size * 0.75);
          var r = L.point(px - dx * size + dy * size * 0.75, py - dy * size - dx * size * 0.75);
          L.polygon([tip, l, r].map(function (p) { return map.layerPointToLatLng(p); }), {
            renderer: renderer, interactive: false, stroke: false, fillColor: "#3d0a0a", fillOpacity: 0.85
          }).addTo(arrowGroup);
          budget -= 1;
        }
      }
    }
    app.map.on("zoomend moveend", drawArrows);
    g.on("add", function () { setTimeout(drawArrows, 0); });
    g.on("remove", function () { arrowGroup.clearLayers(); });
  };

  function edgeTooltip(app, e) {
    var m = app.meta, c = app.cols, box = el("div", "salw-pop");
    var road = c.e_road[e] ? m.e_roads[c.e_road[e]] : null;
    add(box, el("b", null, (road ? road + " · " : "") + m.modes[c.e_mode[e]]));
    add(box, el("div", null, fmtNum(app.edgeV[e]) + " " + weightWord(app) + " (expected, filtered)"));
    if (m.has_inferred && app.edgeVI[e] > 0) {
      var fromRec = app.edgeVI[e] - app.edgeVP[e];
      add(box, el("div", "salw-muted", fmtNum(app.edgeVI[e]) + " of them on inferred legs: " +
        fmtNum(fromRec > 0 ? fromRec : 0) + " inferred from recorded routes, " +
        fmtNum(app.edgeVP[e]) + " from priors"));
    }
    return box;
  }

  // the layer switch "Inferred legs (dashed, dotted)": on = recorded and inferred legs, off = recorded
  // legs only; it draws nothing itself, the route-frequency and crossing layers follow it
  BUILD.inferred = function (app, layer) {
    var g = layer.group;
    app.inferredGroup = g;
    app.state.inferred = app.map.hasLayer(g);
    g.on("add", function () { app.state.inferred = true; app.update(); });
    g.on("remove", function () { app.state.inferred = false; app.update(); });
    app.update();
  };

  BUILD.crossings = function (app, layer) {
    var m = app.meta, g = layer.group;
    var renderer = shared(app);
    var marks = m.crossings.map(function (x, i) {
      var mk = L.circleMarker([x.lat, x.lon], { renderer: renderer, weight: 1, color: "#333333" });
      mk.bindPopup(function () { return crossingPopup(app, i); }, { maxWidth: 320 });
      mk.bindTooltip(function () { return el("span", null, x.name); }, { className: "salw-tip" });
      return mk;
    });
    layer.marks = marks;
    marks.forEach(function (mk) { mk.addTo(g); });
    layer.refresh = function () {
      var cv = app.crossV, mx = 0;
      for (var i = 0; i < cv.length; i++) if (cv[i] > mx) mx = cv[i];
      var br = app.state.weight === "quantity" ? m.cross_breaks_quantity : m.cross_breaks_incidents;
      marks.forEach(function (mk, i) {
        var v = cv[i];
        if (v > 1e-9) {
          var k = flowClass(br, v);
          mk.setStyle({ radius: 4 + 14 * Math.sqrt(v / (mx || 1)), fillColor: FLOW_COLOURS[k], fillOpacity: 0.95, color: "#222222", weight: 1.2 });
          mk.bringToFront();
        } else {
          mk.setStyle({ radius: 2.5, fillColor: "#ffffff", fillOpacity: 1, color: "#555555", weight: 1 });
        }
      });
    };
  };

  function crossingPopup(app, xi) {
    var m = app.meta, c = app.cols, x = m.crossings[xi], box = el("div", "salw-pop");
    add(box, el("div", "salw-pop-title", x.name));
    var sides = add(box, el("table", "salw-kv"));
    [[x.ja, x.name_a], [x.jb, x.name_b]].forEach(function (row) {
      var tr = add(sides, el("tr"));
      add(tr, el("td", null, row[0]));
      add(tr, el("td", null, row[1]));
    });
    add(box, el("div", "salw-muted", x.id + " · " + x.mode));
    // counts by category and top corridors through this crossing, for the current filters
    var byCat = new Float64Array(m.categories.length), byCor = {}, total = 0;
    var s = app.state, byQty = s.weight === "quantity";
    var pathHas = new Uint8Array(m.n_paths);
    for (var p = 0; p < m.n_paths; p++) {
      for (var k = c.p_xoff[p]; k < c.p_xoff[p + 1]; k++) if (c.p_cross[k] === xi) { pathHas[p] = 1; break; }
    }
    for (var i = 0; i < m.n; i++) {
      if (!app.pass[i]) continue;
      var w = byQty ? c.i_qty[i] : 1;
      for (var j = c.r_off[i]; j < c.r_off[i + 1]; j++) {
        var pth = c.r_path[j];
        if (!pathHas[pth]) continue;
        if (c.r_inf && c.r_inf[j] && !s.inferred) continue;
        var v = (c.r_prob[j] / 65535) * w;
        byCat[c.i_cat[i]] += v;
        var cor = c.p_corridor[pth];
        byCor[cor] = (byCor[cor] || 0) + v;
        total += v;
      }
    }
    add(box, el("div", "salw-pop-total", fmtNum(total) + " " + weightWord(app) + " expected through here"));
    if (total > 0) {
      add(box, el("div", "salw-pop-h", "By category"));
      var t1 = add(box, el("table", "salw-kv"));
      m.categories.forEach(function (cat, ci) {
        if (byCat[ci] <= 1e-9) return;
        var tr = add(t1, el("tr"));
        add(tr, el("td", null, pretty(cat)));
        add(tr, el("td", "salw-num", fmtNum(byCat[ci])));
      });
      add(box, el("div", "salw-pop-h", "Top corridors"));
      var t2 = add(box, el("table", "salw-kv"));
      Object.keys(byCor).sort(function (a, b) { return byCor[b] - byCor[a] || a - b; }).slice(0, 5).forEach(function (cor) {
        var tr = add(t2, el("tr"));
        add(tr, el("td", null, m.corridors[cor]));
        add(tr, el("td", "salw-num", fmtNum(byCor[cor])));
      });
    }
    return box;
  }

  BUILD.corridors = function (app, layer) {
    var m = app.meta, c = app.cols, g = layer.group;
    layer.refresh = function () {
      g.clearLayers();
      badges = [];
      var ev = app.edgeV, best = {}, sum = {};
      for (var e = 0; e < m.n_edges; e++) {
        var r = c.e_road[e];
        if (!r || ev[e] <= 1e-9) continue;
        sum[r] = (sum[r] || 0) + ev[e] * (c.e_len[e] || 1);
        if (best[r] === undefined || ev[e] > ev[best[r]]) best[r] = e;
      }
      var keys = Object.keys(best).sort(function (a, b) { return sum[b] - sum[a] || a - b; }).slice(0, m.max_corridor_labels);
      keys.forEach(function (r) {
        var e = best[r], a = c.e_off[e], b = c.e_off[e + 1], mid = a + Math.floor((b - a - 1) / 2);
        var ll = [c.e_lat[mid] / 1e5, c.e_lon[mid] / 1e5];
        var box = el("div", "salw-corridor", m.e_roads[r]);
        L.marker(ll, { icon: L.divIcon({ className: "salw-label-icon", html: box, iconSize: null }), interactive: false, keyboard: false }).addTo(g);
        badges.push(box);
      });
      declutter();
    };
    // hide a badge whose screen box overlaps one already placed (badges come busiest first)
    var badges = [];
    function declutter() {
      if (!app.map.hasLayer(g)) return;
      var placed = [];
      badges = badges.filter(function (b) { return b.isConnected; });
      badges.forEach(function (b) { b.style.visibility = ""; });
      badges.forEach(function (b) {
        var r = b.getBoundingClientRect();
        if (!r.width) return;
        var hit = placed.some(function (q) {
          return r.left < q.right + 2 && q.left < r.right + 2 && r.top < q.bottom + 2 && q.top < r.bottom + 2;
        });
        if (hit) b.style.visibility = "hidden";
        else placed.push(r);
      });
    }
    layer.declutter = declutter;
    app.map.on("zoomend", declutter);
    g.on("add", function () { setTimeout(declutter, 0); });
  };

  BUILD.incidents = function (app, layer) {
    var mode = app.meta.incident_mode;
    if (mode === "heat") return buildHeat(app, layer);
    return buildBinned(app, layer, mode);
  };

  function buildHeat(app, layer) {
    var m = app.meta, c = app.cols, g = layer.group;
    var heat = L.heatLayer([], { radius: 14, blur: 16, minOpacity: 0.3, maxZoom: 11 }).addTo(g);
    layer.refresh = function () {
      var pts = [], byQty = app.state.weight === "quantity";
      for (var i = 0; i < m.n; i++) {
        if (!app.pass[i] || c.i_lat[i] === UNDATED) continue;
        pts.push([c.i_lat[i] / 1e5, c.i_lon[i] / 1e5, byQty ? c.i_qty[i] : 1]);
      }
      heat.options.max = Math.max(1, pts.length / 400);
      heat.setLatLngs(pts);
      layer.drawn = pts.length;
    };
  }

  function buildBinned(app, layer, mode) {
    var m = app.meta, c = app.cols, g = layer.group, map = app.map;
    var renderer = shared(app);
    var hexR = 16, cell = 56;
    layer.refresh = function () {
      g.clearLayers();
      if (!map.hasLayer(g)) return;
      var z = map.getZoom(), scale = 256 * Math.pow(2, z);
      var view = map.getPixelBounds(), pad = 80;
      var x0 = view.min.x - pad, y0 = view.min.y - pad, x1 = view.max.x + pad, y1 = view.max.y + pad;
      var bins = new Map(), i, px, py, key;
      var sqrt3 = Math.sqrt(3);
      for (i = 0; i < m.n; i++) {
        if (!app.pass[i]) continue;
        px = app.mx[i] * scale;
        py = app.my[i] * scale;
        if (px !== px) continue;
        if (px < x0 || px > x1 || py < y0 || py > y1) continue;
        var col, row;
        if (mode === "hex") {
          // pointy-top hexagons: axial rounding
          var qf = ((sqrt3 / 3) * px - py / 3) / hexR, rf = ((2 / 3) * py) / hexR, sf = -qf - rf;
          var q = Math.round(qf), r = Math.round(rf), s = Math.round(sf);
          var dq = Math.abs(q - qf), dr = Math.abs(r - rf), ds = Math.abs(s - sf);
          if (dq > dr && dq > ds) q = -r - s;
          else if (dr > ds) r = -q - s;
          col = q; row = r;
        } else {
          col = Math.floor(px / cell); row = Math.floor(py / cell);
        }
        key = col + "," + row;
        var b = bins.get(key);
        if (!b) { b = { n: 0, sx: 0, sy: 0, col: col, row: row, first: i }; bins.set(key, b); }
        b.n += 1; b.sx += px; b.sy += py;
      }
      var maxN = 1;
      bins.forEach(function (b) { if (b.n > maxN) maxN = b.n; });
      layer.maxBin = maxN;
      layer.bins = bins.size;
      bins.forEach(function (b) {
        if (mode === "hex") {
          var cx = hexR * sqrt3 * (b.col + b.row / 2), cy = hexR * 1.5 * b.row, ring = [];
          for (var k = 0; k < 6; k++) {
            var ang = (Math.PI / 180) * (60 * k - 30);
            ring.push(map.unproject(L.point(cx + hexR * Math.cos(ang), cy + hexR * Math.sin(ang)), z));
          }
          var ci = maxN <= 1 ? 0 : Math.min(HEX_COLOURS.length - 1, Math.floor((Math.log(b.n) / Math.log(maxN)) * (HEX_COLOURS.length - 1) + 0.5));
          var hx = L.polygon(ring, { renderer: renderer, weight: 0.5, color: "#ffffff", fillColor: HEX_COLOURS[ci], fillOpacity: 0.72 });
          hx.bindTooltip(el("span", null, b.n.toLocaleString("en-GB") + " incident(s)"), { className: "salw-tip" });
          hx.addTo(g);
          hx.bringToBack();
        } else if (b.n === 1) {
          var i1 = b.first, ll = [c.i_lat[i1] / 1e5, c.i_lon[i1] / 1e5];
          var dot = L.circleMarker(ll, { renderer: renderer, radius: 5, weight: 1, color: "#222222", fillColor: m.category_colours[c.i_cat[i1]], fillOpacity: 0.95 });
          dot.bindPopup(function () { return incidentPopup(app, i1); }, { maxWidth: 320 });
          dot.addTo(g);
        } else {
          var cll = map.unproject(L.point(b.sx / b.n, b.sy / b.n), z);
          var rad = 8 + 3 * Math.log(b.n);
          var cm = L.circleMarker(cll, { renderer: renderer, radius: rad, weight: 1.5, color: "#ffffff", fillColor: "#54278f", fillOpacity: 0.55 });
          cm.bindTooltip(String(b.n), { permanent: true, direction: "center", className: "salw-count" });
          cm.on("click", function () { map.setView(cll, Math.min(z + 2, map.getMaxZoom() || 18)); });
          cm.addTo(g);
          cm.bringToBack(); // clusters under the routes; single points stay on top
        }
      });
    };
    map.on("zoomend moveend", layer.refresh);
    g.on("add", function () { setTimeout(layer.refresh, 0); });
  }

  function incidentPopup(app, i) {
    var m = app.meta, c = app.cols, t = m.incident_text, box = el("div", "salw-pop");
    add(box, el("div", "salw-pop-title", t ? t.id[i] : "incident"));
    var tb = add(box, el("table", "salw-kv"));
    var rows = [
      ["date", dayToIso(c.i_day[i])],
      ["category", pretty(m.categories[c.i_cat[i]])],
      ["modus operandi", pretty(m.mos[c.i_mo[i]])],
      ["quantity", String(c.i_qty[i])]
    ];
    if (c.i_src) rows.push(["source", m.sources[c.i_src[i]]]);
    if (t) {
      rows.push(["place", t.place[i]]);
      rows.push(["jurisdiction", t.jurisdiction[i]]);
      rows.push(["notes", t.notes[i]]);
    }
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined || r[1] === "") return;
      var tr = add(tb, el("tr"));
      add(tr, el("td", null, r[0]));
      add(tr, el("td", null, r[1]));
    });
    return box;
  }

  // ---------------------------------------------------------------- controls
  SALW.control = function (app, kind, opts) {
    var ctl = { kind: kind, opts: opts || {} };
    app.controls.push(ctl);
    CONTROLS[kind](app, ctl);
    return ctl;
  };

  function leafletControl(app, position, build) {
    var C = L.Control.extend({
      onAdd: function () {
        var div = el("div", "salw-box leaflet-bar");
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        build(div);
        return div;
      }
    });
    return new C({ position: position }).addTo(app.map);
  }

  var CONTROLS = {};

  CONTROLS.title = function (app, ctl) {
    var o = ctl.opts, stats, range;
    leafletControl(app, "topleft", function (div) {
      div.classList.add("salw-title");
      add(div, el("div", "salw-title-main", o.title));
      if (o.subtitle) add(div, el("div", "salw-muted", o.subtitle));
      range = add(div, el("div", "salw-range"));
      stats = add(div, el("div", "salw-stats"));
      var ev = app.meta.evidence;
      if (ev) {
        add(div, el("div", "salw-evidence", ev.text));
        if (ev.warning) add(div, el("div", "salw-evidence-warning", ev.warning));
      }
      if (o.source) add(div, el("div", "salw-muted", "Data: " + o.source));
    });
    ctl.refresh = function () {
      var s = app.state;
      var lo = s.from === null ? app.meta.date_min : dayToIso(s.from);
      var hi = s.to === null ? app.meta.date_max : dayToIso(s.to);
      // no dated incident: no range at all (never "null – null")
      range.textContent = lo && hi ? fmtDate(lo) + " – " + fmtDate(hi) : "";
      range.style.display = lo && hi ? "" : "none";
      stats.textContent = s.incidents.toLocaleString("en-GB") + " of " + app.meta.n.toLocaleString("en-GB") +
        " incidents · " + s.quantity.toLocaleString("en-GB") + " items";
    };
    app.onReady(ctl.refresh);
  };

  CONTROLS.scale = function (app) {
    L.control.scale({ imperial: false, maxWidth: 160, position: "bottomleft" }).addTo(app.map);
  };

  CONTROLS.marking = function (app, ctl) {
    app.map.getContainer().classList.add("salw-marked");
    ["top", "bottom"].forEach(function (pos) {
      var b = el("div", "salw-marking salw-marking-" + pos, ctl.opts.text);
      app.map.getContainer().appendChild(b);
    });
  };

  CONTROLS.footnote = function (app, ctl) {
    leafletControl(app, "bottomleft", function (div) {
      div.classList.add("salw-footnote");
      add(div, el("div", null, ctl.opts.text));
    });
  };

  CONTROLS.legend = function (app, ctl) {
    var m = app.meta, flowBox, note;
    leafletControl(app, "bottomright", function (div) {
      div.classList.add("salw-legend");
      add(div, el("div", "salw-pop-h", "Route frequency"));
      note = add(div, el("div", "salw-muted"));
      flowBox = add(div, el("div"));
      if (m.crossings.length) {
        add(div, el("div", "salw-pop-h", "Border crossings"));
        var r1 = add(div, el("div", "salw-legend-row"));
        var sw1 = add(r1, el("span", "salw-dot"));
        sw1.style.cssText = "background:#fd8d3c;width:14px;height:14px";
        add(r1, el("span", null, "used (size and colour: frequency)"));
        var r2 = add(div, el("div", "salw-legend-row"));
        var sw2 = add(r2, el("span", "salw-dot"));
        sw2.style.cssText = "background:#fff;border:1px solid #555;width:6px;height:6px";
        add(r2, el("span", null, "not on any route"));
      }
      add(div, el("div", "salw-pop-h", "Incidents (" + m.incident_mode_label + ")"));
      if (m.incident_mode === "cluster") {
        var holder = div;
        if (m.categories.length > 6) {
          holder = add(div, el("details", "salw-group"));
          add(holder, el("summary", null, m.categories.length + " categories"));
        }
        var cl = add(holder, el("div", "salw-legend-row"));
        var cs = add(cl, el("span", "salw-dot"));
        cs.style.cssText = "background:#54278f;opacity:0.6;width:16px;height:16px";
        add(cl, el("span", null, "cluster (number of incidents)"));
        m.categories.forEach(function (cat, i) {
          var r = add(holder, el("div", "salw-legend-row"));
          var sw = add(r, el("span", "salw-dot"));
          sw.style.background = m.category_colours[i];
          add(r, el("span", null, pretty(cat)));
        });
      } else if (m.incident_mode === "hex") {
        var ramp = add(div, el("div", "salw-ramp"));
        ramp.style.background = "linear-gradient(to right," + HEX_COLOURS.join(",") + ")";
        add(div, el("div", "salw-muted", "fewer → more incidents per hexagon"));
      } else {
        var hr = add(div, el("div", "salw-ramp"));
        hr.style.background = "linear-gradient(to right,blue,cyan,lime,yellow,red)";
        add(div, el("div", "salw-muted", "incident density"));
      }
    });
    ctl.refresh = function () {
      var br = currentBreaks(app);
      flowBox.textContent = "";
      if (!m.n_edges) {
        note.textContent = "no routes on this map";
        return;
      }
      var mx = app.state.maxEdge;
      if (mx <= 1e-9) {
        note.textContent = "no routes for the current filters";
        return;
      }
      note.textContent = "expected " + weightWord(app) + " per road segment; arrows: direction";
      // class k holds values in (br[k-1], br[k]]: show only the classes the current maximum
      // reaches, and end the top one at that maximum (never "> 1.08" when nothing exceeds 0.68)
      var top = flowClass(br, mx);
      for (var k = 0; k <= top; k++) {
        var lo = k === 0 ? 0 : br[k - 1], hi = k === top ? mx : br[k];
        var label = fmtNum(lo) + " – " + fmtNum(hi);
        var r = add(flowBox, el("div", "salw-legend-row"));
        var sw = add(r, el("span", "salw-line"));
        sw.style.background = FLOW_COLOURS[k];
        sw.style.height = FLOW_WIDTHS[k] + "px";
        add(r, el("span", null, label));
      }
      if (m.has_inferred && app.state.inferred) {  // the kinds of inferred legs this map has
        var kinds = m.inferred_kinds || [1];
        [[1, "salw-line salw-line-inferred",
          "dashed: mostly inferred legs (from recorded routes nearby; model, not in the records)"],
         [2, "salw-line salw-line-inferred salw-line-prior",
          "dotted: mostly legs from priors (a modelling assumption, not in the records)"]
        ].forEach(function (k) {
          if (kinds.indexOf(k[0]) < 0) return;
          var ri = add(flowBox, el("div", "salw-legend-row salw-inferred-kind"));
          add(ri, el("span", k[1]));
          add(ri, el("span", null, k[2]));
        });
        var styled = kinds.map(function (k) { return k === 2 ? "dotted" : "dashed"; }).join(" or ");
        add(flowBox, el("div", "salw-muted", "thick " + styled + " lines carry a white centre line"));
      }
      var ev = m.evidence;
      if (ev) {  // one entry per evidence class, with its share of the route frequency
        add(flowBox, el("div", "salw-pop-h", "What the routes rest on"));
        [["recorded", "recorded routes", "salw-line salw-line-recorded"],
         ["inferred_from_records", "inferred from recorded routes", "salw-line salw-line-inferred"],
         ["inferred_from_priors", "from priors" + (ev.priors ? ": " + ev.priors : ""),
          "salw-line salw-line-inferred salw-line-prior"]].forEach(function (c) {
          var rc = add(flowBox, el("div", "salw-legend-row salw-evidence-class"));
          add(rc, el("span", c[2]));
          add(rc, el("span", null, ev.percent[c[0]] + " % " + c[1]));
        });
      }
    };
    app.onReady(ctl.refresh);
  };

  CONTROLS.filters = function (app, ctl) {
    var m = app.meta, fromIn, toIn, fromLab, toLab, undIn, catIns = [], moIns = [], srcIns = [], wSel;
    leafletControl(app, "topright", function (div) {
      div.classList.add("salw-filters");
      add(div, el("div", "salw-pop-h", "Filters"));
      if (m.month_min !== null) {
        fromLab = add(div, el("label", "salw-range-label"));
        fromIn = add(div, el("input"));
        toLab = add(div, el("label", "salw-range-label"));
        toIn = add(div, el("input"));
        [fromIn, toIn].forEach(function (inp, k) {
          inp.type = "range"; inp.min = m.month_min; inp.max = m.month_max; inp.step = 1;
          inp.value = k ? m.month_max : m.month_min;
          inp.className = k ? "salw-to" : "salw-from";
          inp.addEventListener("input", function () {
            var a = +fromIn.value, b = +toIn.value;
            if (a > b) { if (k) fromIn.value = b; else toIn.value = a; }
            apply();
          });
        });
        if (m.n_undated) {
          var ul = add(div, el("label", "salw-check"));
          undIn = add(ul, el("input"));
          undIn.type = "checkbox"; undIn.checked = true;
          add(ul, el("span", null, "include " + m.n_undated + " undated"));
          undIn.addEventListener("change", apply);
        }
      }
      var wl = add(div, el("label", "salw-range-label", "Weight routes by "));
      wSel = add(wl, el("select", "salw-weight"));
      [["incidents", "incidents"], ["quantity", "items seized"]].forEach(function (o) {
        var op = add(wSel, el("option", null, o[1]));
        op.value = o[0];
      });
      wSel.value = m.weight;
      wSel.addEventListener("change", apply);
      function group(title, values, store, cls, counts) {
        var det = add(div, el("details", "salw-group"));
        det.open = values.length <= 8;
        add(det, el("summary", null, title));
        values.forEach(function (v, i) {
          var lab = add(det, el("label", "salw-check"));
          var inp = add(lab, el("input", cls));
          inp.type = "checkbox"; inp.checked = true; inp.value = String(i);
          inp.addEventListener("change", apply);
          if (cls === "salw-cat") {
            var sw = add(lab, el("span", "salw-dot"));
            sw.style.background = m.category_colours[i];
          }
          add(lab, el("span", null, counts ? v + " (" + counts[i] + ")" : pretty(v)));
          store.push(inp);
        });
      }
      if (m.sources) group("Source (reporting agency)", m.sources, srcIns, "salw-src", m.source_counts);
      group("Category", m.categories, catIns, "salw-cat");
      group("Modus operandi", m.mos, moIns, "salw-mo");
    });
    function labels() {
      if (!fromIn) return;
      fromLab.textContent = "From " + monthLabel(+fromIn.value);
      toLab.textContent = "To " + monthLabel(+toIn.value);
    }
    function apply() {
      var s = app.state;
      if (fromIn) {
        var a = +fromIn.value, b = +toIn.value;
        s.from = a === m.month_min ? null : monthToDay(a, false);
        s.to = b === m.month_max ? null : monthToDay(b, true);
      }
      if (undIn) s.undated = undIn.checked;
      s.weight = wSel.value;
      s.cats = catIns.map(function (x) { return x.checked; });
      s.mos = moIns.map(function (x) { return x.checked; });
      if (srcIns.length) s.srcs = srcIns.map(function (x) { return x.checked; });
      labels();
      app.update();
    }
    ctl.sync = function () {
      var s = app.state;
      catIns.forEach(function (x, i) { x.checked = s.cats[i]; });
      moIns.forEach(function (x, i) { x.checked = s.mos[i]; });
      srcIns.forEach(function (x, i) { x.checked = s.srcs[i]; });
      wSel.value = s.weight;
      if (undIn) undIn.checked = s.undated;
      if (fromIn) {
        var fd = s.from === null ? null : new Date(s.from * DAY_MS), td = s.to === null ? null : new Date(s.to * DAY_MS);
        fromIn.value = fd ? Math.max(m.month_min, fd.getUTCFullYear() * 12 + fd.getUTCMonth()) : m.month_min;
        toIn.value = td ? Math.min(m.month_max, td.getUTCFullYear() * 12 + td.getUTCMonth()) : m.month_max;
      }
      labels();
    };
    labels();
  };
})();
