/* civicspace dashboards: plots the figures embedded as JSON, follows chart clicks to the
   pages of the site, and drives the compare page. No network, no inline script. */
(function () {
  "use strict";
  var SAFE = /^(\.\.\/)?((country|doc)\/[A-Za-z0-9_-]+\.html)?(#[A-Za-z0-9_-]+)?$/;

  function go(url) {
    if (typeof url === "string" && url !== "" && SAFE.test(url)) {
      window.location.href = url;
    }
  }

  function plot(div, data, layout, config) {
    return Plotly.newPlot(div, data, layout, config).then(function () {
      div.setAttribute("data-rendered", "1");
      div.on("plotly_click", function (ev) {
        var p = ev && ev.points && ev.points[0];
        if (p) { go(p.customdata); }
      });
    });
  }

  /* dashboards/render.py share_x: a trace's x given as {same_x_as: i} is trace i's x */
  function sharedX(data) {
    for (var i = 0; i < data.length; i++) {
      var x = data[i].x;
      if (x && typeof x === "object" && !Array.isArray(x) && typeof x.same_x_as === "number" &&
          data[x.same_x_as] && Array.isArray(data[x.same_x_as].x)) {
        data[i].x = data[x.same_x_as].x.slice();
      }
    }
    return data;
  }

  function plotAll() {
    var blocks = document.querySelectorAll("script.plot-data");
    for (var i = 0; i < blocks.length; i++) {
      var spec = JSON.parse(blocks[i].textContent);
      spec.data = sharedX(spec.data || []);
      var div = document.getElementById(blocks[i].getAttribute("data-div"));
      if (div) { plot(div, spec.data, spec.layout, spec.config); }
    }
  }

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (attrs) { for (var k in attrs) { e.setAttribute(k, attrs[k]); } }
    return e;
  }

  function escapeHtml(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }


  function compare() {
    var src = document.getElementById("compare-data");
    if (!src) { return; }
    var data = JSON.parse(src.textContent);
    var PALETTE = data.palette, DASHES = data.dashes;  /* from dashboards/palette.py */
    var sel = document.getElementById("cmp-countries");
    var fsel = document.getElementById("cmp-freedom");
    var filter = document.getElementById("cmp-filter");
    var band = document.getElementById("cmp-intervals");
    var div = document.getElementById("fig-compare");
    var tableBox = document.getElementById("cmp-table");
    var byIso = {};
    data.countries.forEach(function (c) {
      byIso[c.iso3] = c;
      sel.appendChild(el("option", c.name + " (" + c.iso3 + ")", { value: c.iso3 }));
    });
    data.freedoms.forEach(function (f) {
      fsel.appendChild(el("option", f.label, { value: f.key }));
    });
    var chosen = data.defaults.slice();
    var freedom = data.freedoms.length ? data.freedoms[0].key : "";
    var m = /(?:^#|&)c=([A-Za-z0-9_,-]*)/.exec(window.location.hash);
    if (m) { chosen = m[1].split(",").filter(function (c) { return byIso[c]; }); }
    var mf = /(?:^#|&)f=([a-z]+)/.exec(window.location.hash);
    if (mf && data.freedoms.some(function (f) { return f.key === mf[1]; })) { freedom = mf[1]; }
    fsel.value = freedom;
    Array.prototype.forEach.call(sel.options, function (o) {
      o.selected = chosen.indexOf(o.value) >= 0;
    });

    function draw() {
      chosen = Array.prototype.filter.call(sel.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; });
      freedom = fsel.value;
      var traces = [];
      var rows = [];
      chosen.forEach(function (iso, i) {
        var s = (data.series[iso] || {})[freedom] || [];
        var colour = PALETTE[i % PALETTE.length];
        var x = s.map(function (p) { return p[0]; });
        if (band.checked) {
          traces.push({ type: "scatter", mode: "lines", x: x, hoverinfo: "skip",
            y: s.map(function (p) { return p[3]; }), line: { width: 0 }, showlegend: false });
          traces.push({ type: "scatter", mode: "lines", x: x, hoverinfo: "skip", fill: "tonexty",
            y: s.map(function (p) { return p[2]; }), line: { width: 0 }, showlegend: false,
            fillcolor: "rgba(60,60,60,0.12)" });
        }
        traces.push({ type: "scatter", mode: "lines+markers", x: x,
          y: s.map(function (p) { return p[1]; }), name: escapeHtml(byIso[iso].name),
          customdata: s.map(function () { return byIso[iso].url; }),
          line: { color: colour, width: 2, dash: DASHES[Math.floor(i / PALETTE.length) % DASHES.length] },
          marker: { color: colour, size: 5 } });
        if (s.length) { rows.push([byIso[iso], s[s.length - 1]]); }
      });
      Plotly.react(div, traces, data.layout, data.config).then(function () {
        div.setAttribute("data-rendered", "1");
      });
      var label = fsel.options[fsel.selectedIndex] ? fsel.options[fsel.selectedIndex].text : "";
      tableBox.textContent = "";
      var t = el("table", null, { "class": "data" });
      t.appendChild(el("caption", "Latest score of the chosen countries: " + label));
      var hr = el("tr");
      ["Country", "Latest quarter start", "Score", "80% interval"].forEach(function (h) {
        hr.appendChild(el("th", h, { scope: "col" }));
      });
      t.appendChild(el("thead")).appendChild(hr);
      var tb = t.appendChild(el("tbody"));
      rows.forEach(function (r) {
        var tr = el("tr");
        var td = el("td");
        var a = el("a", r[0].name, { href: r[0].url });
        td.appendChild(a);
        tr.appendChild(td);
        tr.appendChild(el("td", r[1][0]));
        tr.appendChild(el("td", Math.round(r[1][1])));
        tr.appendChild(el("td", Math.round(r[1][2]) + " to " + Math.round(r[1][3])));
        tb.appendChild(tr);
      });
      tableBox.appendChild(t);
      var hash = "#c=" + chosen.join(",") + "&f=" + freedom;
      if (window.location.hash !== hash && window.history && window.history.replaceState) {
        try { window.history.replaceState(null, "", hash); } catch (e) { /* file:// */ }
      }
    }

    filter.addEventListener("input", function () {
      var q = filter.value.toLowerCase();
      Array.prototype.forEach.call(sel.options, function (o) {
        o.hidden = q !== "" && o.text.toLowerCase().indexOf(q) < 0;
      });
    });
    document.getElementById("cmp-clear").addEventListener("click", function () {
      Array.prototype.forEach.call(sel.options, function (o) { o.selected = false; });
      draw();
    });
    sel.addEventListener("change", draw);
    fsel.addEventListener("change", draw);
    band.addEventListener("change", draw);
    draw();
    div.on("plotly_click", function (ev) {
      var p = ev && ev.points && ev.points[0];
      if (p) { go(p.customdata); }
    });
  }

  function start() {
    plotAll();
    compare();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
