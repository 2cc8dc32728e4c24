/*
 * The search index is fetched when the reader opens search, not with every page.
 *
 * Material requests search/search_index.json (an XMLHttpRequest) as the page starts and hands
 * it to its worker; for a Bible that is megabytes, most of a chapter's first load. This script
 * (in the head, before Material's bundle) holds that one request back until search is opened:
 * the search box gets focus (a click, a tap, Material's keyboard shortcuts, a ?q= deep link) or
 * its toggle is checked. Material shows "Initializing search" meanwhile and works as before.
 */
(function () {
  "use strict"
  var INDEX = /\/search\/search_index\.json(?:[?#]|$)/
  var proto = window.XMLHttpRequest && XMLHttpRequest.prototype
  if (!proto) return
  var released = false
  var waiting = []

  function release() {
    if (released) return
    released = true
    waiting.splice(0).forEach(function (send) { send() })
  }

  var open = proto.open, send = proto.send
  proto.open = function (method, url) {
    this.txHeld = INDEX.test(String(url))
    return open.apply(this, arguments)
  }
  proto.send = function () {
    var xhr = this, args = arguments
    if (xhr.txHeld && !released) {
      waiting.push(function () { send.apply(xhr, args) })
      return undefined
    }
    return send.apply(xhr, args)
  }

  document.addEventListener("focusin", function (e) {
    if (e.target && e.target.matches && e.target.matches("[data-md-component=search-query]")) release()
  })
  document.addEventListener("change", function (e) {
    if (e.target && e.target.id === "__search" && e.target.checked) release()
  })
  window.txSearchOpen = release
})()
