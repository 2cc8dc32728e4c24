/*
 * The page's direction on <html> (Material sets it on <body> only), and reading settings,
 * applied in the <head> before the page is drawn: text size, verse numbers
 * and footnotes shown or hidden. Remembered per site (the site's folder) in localStorage; nothing
 * is sent anywhere. tx.js wires the settings menu and the "continue reading" note through
 * window.txPrefs.
 */
(function () {
  "use strict"

  // this file is <site>/assets/javascripts/tx-prefs.js; data-dir is the content's direction
  var script = document.currentScript
  var root = new URL("../../", script.src)
  if (script.dataset.dir === "rtl" || script.dataset.dir === "ltr") {
    document.documentElement.dir = script.dataset.dir
  }
  var key = "tx-reader:" + root.pathname
  var SIZES = { min: -3, max: 6 }

  function load() {
    try {
      var value = JSON.parse(localStorage.getItem(key) || "{}")
      return value && typeof value === "object" ? value : {}
    } catch (e) { return {} }
  }

  function size(prefs) {
    var n = Math.round(Number(prefs.size) || 0)
    return Math.max(SIZES.min, Math.min(SIZES.max, n))
  }

  function apply(prefs) {
    var html = document.documentElement
    var n = size(prefs)
    if (n) html.style.setProperty("--tx-font-scale", String(1 + n / 10))
    else html.style.removeProperty("--tx-font-scale")
    html.toggleAttribute("data-tx-hide-verses", prefs.verses === false)
    html.toggleAttribute("data-tx-hide-notes", prefs.notes === false)
  }

  function update(changes) {
    var prefs = Object.assign(load(), changes)
    prefs.size = size(prefs)
    try { localStorage.setItem(key, JSON.stringify(prefs)) } catch (e) { /* private mode */ }
    apply(prefs)
    return prefs
  }

  apply(load())
  window.txPrefs = { root: root, load: load, update: update, size: size, sizes: SIZES }
})()
