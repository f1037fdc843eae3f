/* The public map: counts of verified incidents drawn at generalised places (see
   madad.public.selectors.figures.map_points). The server has already clustered them by
   district, town and place; this file only picks the level for the zoom and draws it.
   Leaflet is served by Madad itself (django-leaflet's static files). */
(function () {
  "use strict";
  var el = document.getElementById("incident-map");
  if (!el || !window.L) { return; }
  var status = document.getElementById("map-status");
  var lang = document.documentElement.lang || "en";
  var numbers = window.Intl ? new Intl.NumberFormat(lang) : { format: String };
  var label = el.getAttribute("data-label-incidents");
  var listLabel = el.getAttribute("data-label-list");
  var listUrl = el.getAttribute("data-list");
  var tiles = el.getAttribute("data-tiles");

  var map = L.map(el, { minZoom: 8, maxZoom: 17, attributionControl: !!tiles });
  if (tiles) {
    L.tileLayer(tiles, { attribution: el.getAttribute("data-attribution") || "", maxZoom: 17 }).addTo(map);
    map.attributionControl.setPrefix(false);
  } else {
    el.classList.add("no-tiles");
  }

  function levelFor(zoom) {
    if (zoom <= 11) { return "district"; }
    return zoom <= 13 ? "town" : "place";
  }

  function sizeOf(n, top) {
    return Math.round(30 + 34 * Math.sqrt(n / Math.max(top, 1)));
  }

  function popup(point, level) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = point.name;
    var count = document.createElement("p");
    count.textContent = numbers.format(point.n) + " " + label;
    var link = document.createElement("a");
    var filter = level === "place" ? "place" : level;
    link.href = listUrl + "?" + filter + "=" + encodeURIComponent(point.code);
    link.textContent = listLabel;
    box.appendChild(name);
    box.appendChild(count);
    box.appendChild(link);
    return box;
  }

  function layerFor(points, level) {
    var group = L.layerGroup();
    var top = points.reduce(function (m, p) { return Math.max(m, p.n); }, 0);
    points.forEach(function (point) {
      var size = sizeOf(point.n, top);
      var icon = L.divIcon({
        className: "cluster-marker cluster-" + level,
        html: "<span>" + numbers.format(point.n) + "</span>",
        iconSize: [size, size]
      });
      var marker = L.marker([point.lat, point.lon], {
        icon: icon, keyboard: true, riseOnHover: true,
        title: point.name + ": " + numbers.format(point.n) + " " + label,
        alt: point.name + ": " + numbers.format(point.n) + " " + label
      });
      if (level === "place") {
        marker.bindPopup(popup(point, level));
      } else {
        // a cluster opens up as clusters do: a click (or Enter) zooms in on it
        marker.on("click", function () {
          map.setView([point.lat, point.lon], level === "district" ? 12 : 14);
        });
      }
      group.addLayer(marker);
    });
    return group;
  }

  // Names are text, never HTML: Leaflet renders a string given to setContent or bindTooltip
  // as markup, so a label is a DOM node whose text is set (a gazetteer name with "<b>" or a
  // link stays those characters).
  function textNode(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function districtLabels(districts) {
    var group = L.layerGroup();
    districts.forEach(function (d) {
      L.tooltip({ permanent: true, direction: "bottom", offset: [0, 36], className: "district-label", interactive: false })
        .setLatLng([d.lat, d.lon]).setContent(textNode(d.name)).addTo(group);
    });
    return group;
  }

  fetch(el.getAttribute("data-points"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    })
    .then(function (data) {
      var layers = {};
      Object.keys(data.levels).forEach(function (level) {
        layers[level] = layerFor(data.levels[level], level);
      });
      var bounds = data.districts.map(function (d) { return [d.lat, d.lon]; });
      if (bounds.length) {
        map.fitBounds(bounds, { padding: [40, 40], maxZoom: 11 });
      } else {
        map.setView([0, 0], 8);
      }
      districtLabels(data.districts).addTo(map);
      var shown = null;
      function update() {
        var level = levelFor(map.getZoom());
        if (shown === level) { return; }
        if (shown) { map.removeLayer(layers[shown]); }
        layers[level].addTo(map);
        shown = level;
      }
      map.on("zoomend", update);
      update();
      el.setAttribute("data-ready", "true");
    })
    .catch(function () {
      if (status) { status.textContent = el.getAttribute("data-label-error"); }
    });
}());
