/*
 * tx-mkdocs verse helps (Bible pages built with related tN / tQ / TWL: tx_mkdocs/versehelps.py).
 *
 * A click or tap on a verse number (tx.js's verse menu asks window.txHelps.open) opens that
 * verse's notes, questions and words: a side sheet on wide screens, a bottom sheet on phones
 * (<= 600px), with the verse menu (reference, Copy, Share) in its header. The helps of a chapter
 * are one file, helps/<book>/<chapter>.json, fetched the first time one of its verses is opened:
 * a reader who never opens the panel downloads nothing more.
 *
 * The file's HTML is our renderer's, sanitized at build time; it is parsed inert and checked
 * again here (no script, no event handler, no javascript: link) before it is shown. Everything
 * else (reference, titles, labels) is set as text. No inline script, no eval (strict CSP).
 */
(function () {
  "use strict"

  var script = document.currentScript
  var base = script && script.dataset.helps ? new URL(script.dataset.helps, location.href) : null
  if (!base || !window.txPage) return
  var canFetch = location.protocol === "http:" || location.protocol === "https:"
  var PHONE = window.matchMedia("(max-width: 600px)")
  var word = window.txWords.word  // tx.js sets it before txPage (checked above)
  var KINDS = { notes: word("notes"), questions: word("questions"), words: word("words") }
  var VERSE_ID = /-ch-(\d{3})(?:-\d+)?-v-(\d{3})(?:-(\d{3}))?$/
  var chapters = {}  // chapter number -> Promise of its helps (null: none)
  var panel = null, parts = null, docked = null, opener = null

  var el = window.txPage.el  // tx.js, loaded before

  // A link target we may show: http(s), or relative to this site.
  function safeURL(value) {
    if (typeof value !== "string" || !value) return null
    try {
      var url = new URL(value, location.href)
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null
    } catch (e) { return null }
  }

  var DROP = "script, style, iframe, frame, object, embed, link, meta, base, form, input, button, textarea, select, template"

  // The build's HTML, inert: parsed in a document that runs nothing, then checked.
  function fragment(html) {
    var doc = new DOMParser().parseFromString("<body>" + String(html || ""), "text/html")
    doc.body.querySelectorAll(DROP).forEach(function (n) { n.remove() })
    doc.body.querySelectorAll("*").forEach(function (n) {
      Array.prototype.slice.call(n.attributes).forEach(function (a) {
        var name = a.name.toLowerCase()
        if (name.indexOf("on") === 0 || name === "id" || name === "style" || name === "srcset") n.removeAttribute(a.name)
        else if ((name === "href" || name === "src") && !safeURL(a.value)) n.removeAttribute(a.name)
      })
    })
    doc.body.querySelectorAll("a[href]").forEach(function (a) {
      a.target = "_blank"
      a.rel = "noopener noreferrer"
    })
    var out = document.createDocumentFragment()
    Array.prototype.slice.call(doc.body.childNodes).forEach(function (n) { out.append(document.adoptNode(n)) })
    return out
  }

  function load(chapter) {
    if (!chapters[chapter]) {
      var url = new URL(String(chapter) + ".json", base)
      chapters[chapter] = !canFetch ? Promise.reject(new Error("file")) :
        fetch(url, { credentials: "same-origin" }).then(function (r) {
          if (r.status === 404) return null
          if (!r.ok) throw new Error(r.status)
          return r.json()
        })
      chapters[chapter].catch(function () { delete chapters[chapter] })  // try again next time
    }
    return chapters[chapter]
  }

  function build() {
    var title = el("h2", { class: "tx-helps-panel__title", id: "tx-helps-panel-title", tabindex: "-1", text: "Helps" })
    if (document.documentElement.lang) title.lang = document.documentElement.lang
    var close = el("button", { type: "button", class: "tx-helps-panel__close", "aria-label": word("close"), title: word("close") })
    close.append(el("span", { "aria-hidden": "true", text: "\u00d7" }))
    var menuSlot = el("div", { class: "tx-helps-panel__menu" })
    var body = el("div", { class: "tx-helps-panel__body md-typeset" })
    panel = el("aside", { class: "tx-helps-panel", role: "dialog", "aria-labelledby": "tx-helps-panel-title", lang: "en", dir: "auto" }, [
      el("div", { class: "tx-helps-panel__handle", "aria-hidden": "true" }),
      el("div", { class: "tx-helps-panel__header" }, [title, close]),
      menuSlot,
      body,
    ])
    panel.hidden = true
    if (document.documentElement.dir) panel.dir = document.documentElement.dir
    document.body.append(panel)
    close.addEventListener("click", hide)
    document.addEventListener("keydown", function (e) { if (e.key === "Escape" && !panel.hidden) hide() })
    parts = { title: title, body: body, menuSlot: menuSlot }
  }

  function hide() {
    if (!panel || panel.hidden) return
    panel.hidden = true
    document.documentElement.classList.remove("tx-helps-open")
    if (docked) {  // the verse menu goes back to tx.js, closed
      docked.menu.classList.remove("tx-verse-menu--docked")
      docked.menu.hidden = true
      docked.parent.append(docked.menu)
      docked = null
    }
    if (opener && document.contains(opener)) opener.focus({ preventScroll: true })
    opener = null
  }

  function message(text) {
    parts.body.replaceChildren(el("p", { class: "tx-helps-panel__empty", text: text }))
  }

  function itemLink(href, label) {
    var url = safeURL(href)
    if (!url) return null
    var a = el("a", { class: "tx-helps-panel__open", href: url, target: "_blank", rel: "noopener noreferrer", text: label })
    a.append(el("span", { class: "tx-helps-panel__arrow", "aria-hidden": "true", text: " \u2197" }))
    return a
  }

  function render(data, verses) {
    var sources = data && Array.isArray(data.sources) ? data.sources : []
    var found = {}, seen = {}
    verses.forEach(function (v) {
      var items = data && data.verses && Array.isArray(data.verses[String(v)]) ? data.verses[String(v)] : []
      items.forEach(function (item) {
        var source = sources[item.source]
        if (!source || !KINDS[source.kind] || seen[item.url]) return
        seen[item.url] = true
        ;(found[source.kind] = found[source.kind] || []).push({ item: item, source: source })
      })
    })
    var groups = Object.keys(KINDS).filter(function (k) { return found[k] })
    if (!groups.length) return message("No notes, questions or words for this verse.")
    parts.body.replaceChildren.apply(parts.body, groups.map(function (kind) {
      var group = el("section", { class: "tx-helps-panel__group", "data-kind": kind })
      group.append(el("h3", { class: "tx-helps-panel__kind", text: KINDS[kind] }))
      found[kind].forEach(function (entry) {
        var source = entry.source, item = entry.item
        var box = el("div", { class: "tx-helps-panel__item" })
        if (typeof source.lang === "string") box.lang = source.lang
        if (source.dir === "rtl" || source.dir === "ltr") box.dir = source.dir
        box.append(fragment(item.html))
        // each note or word links to its place on the full page
        box.querySelectorAll("[data-href]").forEach(function (node) {
          var link = itemLink(node.getAttribute("data-href"), "")
          node.removeAttribute("data-href")
          if (!link) return
          link.classList.add("tx-helps-panel__open--item")
          link.setAttribute("aria-label", "Open in " + String(source.title || KINDS[kind]))
          var place = node.querySelector(".tx-note-title, td") || node
          place.append(link)
        })
        var more = itemLink(item.url, String(item.heading || "") + " \u2014 " + String(source.title || ""))
        if (more) box.append(el("p", { class: "tx-helps-panel__source" }, [more]))
        group.append(box)
      })
      return group
    }))
  }

  // tx.js: a verse number was clicked; its menu (reference, Copy, Share) shows in the panel.
  function open(verse, reference, menu) {
    var m = VERSE_ID.exec(verse.id || "")
    if (!m) return false
    if (!panel) build()
    var chapter = parseInt(m[1], 10), first = parseInt(m[2], 10)
    var last = m[3] ? Math.max(first, Math.min(parseInt(m[3], 10), first + 200)) : first
    var verses = []
    for (var v = first; v <= last; v++) verses.push(v)
    parts.title.textContent = reference
    if (menu && (!docked || docked.menu !== menu)) {
      docked = { menu: menu, parent: menu.parentNode || document.body }
      parts.menuSlot.append(menu)
    }
    if (menu) { menu.classList.add("tx-verse-menu--docked"); menu.hidden = false }
    opener = verse
    panel.hidden = false
    document.documentElement.classList.add("tx-helps-open")
    message(word("loading"))
    parts.body.scrollTop = 0
    parts.title.focus({ preventScroll: true })
    if (PHONE.matches) {  // the sheet covers the lower part: the verse goes near the top
      var header = document.querySelector(".md-header")
      var top = verse.getBoundingClientRect().top - (header ? header.getBoundingClientRect().bottom : 0) - 12
      window.scrollBy({ top: top, behavior: "smooth" })
    }
    var wanted = verse.id
    load(chapter).then(function (data) {
      if (opener && opener.id === wanted) render(data, verses)
    }, function () {
      if (opener && opener.id === wanted) {
        message(canFetch ? "The notes of this chapter could not be loaded." :
          "Notes are shown when the site is opened from a web server.")
      }
    })
    return true
  }

  window.txHelps = { open: open, close: hide }
})()
