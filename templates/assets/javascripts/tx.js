/*
 * tx-mkdocs page behaviour (no dependencies, nothing loaded from another host).
 *
 * - header menus (downloads, reading settings): close on a click elsewhere or Escape;
 * - reading settings (stored and applied by tx-prefs.js): text size, verse numbers, footnotes;
 * - language: where Material has no UI strings in the content's language they are English and
 *   marked lang="en"; in right-to-left pages UI strings are isolated (dir=auto);
 * - About this build: the builds listed in project.json, newest first. Published sites live at
 *   u/<owner>/<repo>/<commit10>/ with the history at u/<owner>/<repo>/project.json, so
 *   ../project.json is tried first and each build links to ../<id>/index.html; a site opened on
 *   its own (a local build served from its folder) reads its own project.json, where other builds
 *   are listed but not linked (their folders are not there);
 * - the footer's marker "this build has errors": refreshed from build_log.json (polled while a
 *   publish is in progress);
 * - Bible pages: previous / next chapter links, footnote and cross-reference popups (hover,
 *   keyboard focus, tap), verse numbers that put their deep link in the address bar and offer
 *   Copy / Share of the verse with its reference;
 * - continue reading: the last place read is remembered (per site, in this browser only) and
 *   offered on the home page;
 * - build report: severity filters and chapter:verse labels on the links;
 * - print buttons.
 * Over file:// nothing is fetched (browsers refuse it); the build-time values stay.
 */
(function () {
  "use strict"

  // Configuration is read from <script type="application/json"> only: content can never make a
  // script element, so an element of the page text with the same id cannot stand in for it.
  function readJSON(id) {
    var el = document.querySelector('script#' + id + '[type="application/json"]')
    if (!el) return null
    try { return JSON.parse(el.textContent) } catch (e) { return null }
  }

  var material = readJSON("__config") || {}
  var tx = readJSON("tx-config") || {}
  // our own UI words, in the site's UI language where tx_mkdocs/uiwords.py has it
  function word(key) { return (tx.ui && tx.ui[key]) || key }
  var uiLang = tx.ui_lang || "en"
  // The numbers we write (the picker's, search's, text size …) in the site's digits, a Bible's
  // own where its books write them so (tx_mkdocs/core/numerals.py); ids and URLs stay ASCII.
  var siteDigits = Array.from(tx.digits || "0123456789")
  var westernDigits = siteDigits.join("") === "0123456789"
  function inDigits(text) {
    return westernDigits ? String(text) : String(text).replace(/[0-9]/g, function (d) { return siteDigits[+d] })
  }
  window.txWords = { word: word, lang: uiLang, digits: inDigits }  // for the scripts loaded after
  var siteRoot = new URL(material.base || ".", location.href)
  if (!/\/$/.test(siteRoot.pathname)) siteRoot = new URL("./", siteRoot)
  var canFetch = location.protocol === "http:" || location.protocol === "https:"
  var content = document.querySelector(".tx-content")

  function el(tag, attrs, children) {
    var node = document.createElement(tag)
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key]
      else if (key === "class") node.className = attrs[key]
      else node.setAttribute(key, attrs[key])
    })
    ;(children || []).forEach(function (child) { if (child) node.append(child) })
    return node
  }
  window.txPage = { el: el }  // for the page's other scripts (tx-helps.js)

  function getJSON(url) {
    return fetch(url, { cache: "no-cache", credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + url)
      return r.json()
    })
  }

  /* -------------------------------------------------------------- print */

  document.querySelectorAll("[data-tx-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print() })
  })

  /* -------------------------------------------------------------- header menus */

  var menus = Array.prototype.slice.call(document.querySelectorAll("details.tx-menu"))
  document.addEventListener("click", function (e) {
    menus.forEach(function (m) { if (m.open && !m.contains(e.target)) m.open = false })
  })
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return
    menus.forEach(function (m) {
      if (!m.open) return
      m.open = false
      m.querySelector("summary").focus()
    })
  })

  /* -------------------------------------------------------------- reading settings */

  function readingSettings() {
    var box = document.querySelector("[data-tx-settings]")
    var prefs = window.txPrefs
    if (!box || !prefs) return
    var value = box.querySelector("[data-tx-size-value]")
    function show(p) {
      var n = prefs.size(p)
      value.textContent = inDigits(100 + n * 10) + "%"
      box.querySelector('[data-tx-size="-1"]').disabled = n <= prefs.sizes.min
      box.querySelector('[data-tx-size="1"]').disabled = n >= prefs.sizes.max
      box.querySelectorAll("[data-tx-show]").forEach(function (input) {
        input.checked = p[input.dataset.txShow] !== false
      })
    }
    box.querySelectorAll("[data-tx-size]").forEach(function (button) {
      button.addEventListener("click", function () {
        var p = prefs.load()
        show(prefs.update({ size: prefs.size(p) + Number(button.dataset.txSize) }))
      })
    })
    box.querySelectorAll("[data-tx-show]").forEach(function (input) {
      input.addEventListener("change", function () {
        var change = {}
        change[input.dataset.txShow] = input.checked
        show(prefs.update(change))
      })
    })
    show(prefs.load())
    box.hidden = false
  }
  readingSettings()

  /* -------------------------------------------------------------- UI strings */

  // Material's UI strings: English where Material lacks the content's language (the page's
  // lang stays the content's), and isolated in right-to-left pages so that their words and
  // numbers keep their order ("1 matching document", not "matching document 1").
  var UI_STRINGS = [".md-search__input", ".md-search-result__meta", ".md-footer__direction",
    ".md-top", ".md-skip", ".md-nav--secondary > .md-nav__title", "[data-md-component=palette] label",
    ".md-search__options button", ".md-clipboard"]
  function uiStrings() {
    var rtl = document.documentElement.dir === "rtl" || document.body.dir === "rtl"
    if (!tx.ui_fallback && !rtl) return
    document.querySelectorAll(UI_STRINGS.join(",")).forEach(function (node) {
      if (tx.ui_fallback) node.lang = "en"
      if (rtl) node.dir = "auto"
    })
  }
  uiStrings()

  // Material's counts of search results ("12 matching documents", "8 more on this page"),
  // rewritten as they change (the results themselves are the content's text, never changed).
  function searchCounts() {
    var result = document.querySelector("[data-md-component=search-result]")
    if (westernDigits || !result) return
    new MutationObserver(function () {
      result.querySelectorAll(".md-search-result__meta, .md-search-result__more summary > div")
        .forEach(function (node) {
          var shown = inDigits(node.textContent)
          if (shown !== node.textContent) node.textContent = shown
        })
    }).observe(result, { childList: true, characterData: true, subtree: true })
  }
  searchCounts()

  /* -------------------------------------------------------------- build marker */

  var RUNNING = ["started", "requested"]

  function counts(log) {
    // messages[] has one entry per problem; errors[] is the capped Door43 list.
    if (Array.isArray(log.messages) && log.messages.length) {
      return log.messages.filter(function (m) { return m.severity === "error" }).length
    }
    return (log.errors || []).length
  }

  var statusSince = Date.now()
  function refreshStatus() {
    var marker = document.querySelector("[data-tx-build-marker]")
    if (!canFetch || !marker) return
    getJSON(new URL("build_log.json", siteRoot)).then(function (log) {
      var status = String(log.status || "")
      var errors = counts(log)
      marker.hidden = !(errors || status === "errors" || status === "failed")
      marker.closest("[data-tx-about]").dataset.status = status
      if (RUNNING.indexOf(status) >= 0 && Date.now() - statusSince < 6e5) {
        setTimeout(refreshStatus, 10000)
      }
    }).catch(function () { /* keep the build-time marker */ })
  }
  refreshStatus()

  /* -------------------------------------------------------------- builds (About this build) */

  function versions() {
    var list = document.querySelector("[data-tx-versions]")
    if (!list || !canFetch) return
    var up = new URL("../project.json", siteRoot)
    var own = new URL("project.json", siteRoot)
    var published = up.href !== own.href
    var tries = published ? [up, own] : [own]

    function attempt(i) {
      if (i >= tries.length) return Promise.reject(new Error("no project.json"))
      return getJSON(tries[i]).then(function (data) {
        return { data: data, linked: tries[i] === up }
      }, function () { return attempt(i + 1) })
    }

    attempt(0).then(function (found) {
      var commits = (found.data && Array.isArray(found.data.commits)) ? found.data.commits : []
      commits = commits.filter(function (c) { return c && c.id })
      if (!commits.length) return
      commits.sort(function (a, b) {
        return String(b.created_at || "").localeCompare(String(a.created_at || ""))
      })
      var current = tx.commit
      var currentRef = commits.some(function (c) { return c.id === current && c.ref === tx.ref })
      list.replaceChildren()
      commits.slice(0, 30).forEach(function (c) {
        var isCurrent = c.id === current && (!currentRef || c.ref === tx.ref)
        var href = null
        if (c.id === current) href = new URL("index.html", siteRoot).href
        else if (found.linked) href = new URL("../" + encodeURIComponent(c.id) + "/index.html", siteRoot).href
        var label = c.ref && c.ref !== "local" ? c.ref : c.id
        var date = String(c.created_at || c.ended_at || "").slice(0, 10)
        var status = String(c.status || "")
        var link = el(href ? "a" : "span", { class: "tx-builds__link" }, [
          el("span", { class: "tx-builds__dot tx-builds__dot--" + status, title: status }),
          el("span", { class: "tx-builds__ref", text: label + (c.type === "tag" ? "" : " (draft)") }),
          el("span", { class: "tx-builds__date", text: date }),
          el("code", { class: "tx-builds__meta", text: String(c.commit_hash || c.id).slice(0, 10) }),
        ])
        if (href) link.href = href
        else link.title = word("not_published")
        if (isCurrent) link.setAttribute("aria-current", "true")
        var item = el("li", { class: "tx-builds__item" +
          (isCurrent ? " tx-builds__item--current" : "") +
          (href ? "" : " tx-builds__item--unavailable") }, [link])
        item.dataset.id = c.id
        list.append(item)
      })
      list.dataset.count = String(list.children.length)
    }).catch(function () { /* keep the build-time entry */ })
  }
  versions()

  /* -------------------------------------------------------------- Bible chapters */

  function footerLink(kind) {
    var link = document.querySelector(".md-footer__link--" + kind)
    if (link) {
      var title = link.querySelector(".md-footer__title .md-ellipsis")
      return { href: link.href, title: title ? title.textContent.trim() : "" }
    }
    var rel = document.querySelector('link[rel="' + kind + '"]')
    return rel ? { href: rel.href, title: "" } : null
  }

  // Material Design Icons "view-grid-outline" (Apache 2.0), as Material for MkDocs ships it.
  var GRID_ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">' +
    '<path d="M3 11h8V3H3m2 2h4v4H5m8 12h8v-8h-8m2 2h4v4h-4M3 21h8v-8H3m2 2h4v4H5m8-16v8h8V3m-2 ' +
    '6h-4V5h4Z"/></svg>'

  function chapterPager(root) {
    var chapters = Array.prototype.slice.call(root.querySelectorAll(".chapter"))
    if (!chapters.length) return
    var grid = root.querySelector(".tx-chapter-grid")
    if (grid && !grid.id) grid.id = "tx-chapters"
    var prevPage = footerLink("prev"), nextPage = footerLink("next")
    // the neighbouring chapter of this page, else the neighbouring page, else a spacer
    var pagerLink = function (kind, heading, page) {
      if (heading) {
        return el("a", { class: "tx-chapter-pager__" + kind, href: "#" + heading.id, rel: kind, text: heading.textContent.trim() })
      }
      if (page && page.title) {
        return el("a", { class: "tx-chapter-pager__" + kind, href: page.href, text: page.title })
      }
      return el("span", { class: "tx-chapter-pager__spacer" })
    }
    var heading = function (ch) { return ch && ch.querySelector(".c-num") }
    chapters.forEach(function (chapter, i) {
      var prev = heading(chapters[i - 1]), next = heading(chapters[i + 1])
      var nav = el("nav", { class: "tx-chapter-pager", "aria-label": word("chapters") })
      nav.append(pagerLink("prev", prev, prevPage))
      if (grid) {
        var up = el("a", { class: "tx-chapter-pager__up", href: "#" + grid.id, "aria-label": word("chapters") })
        up.innerHTML = GRID_ICON
        nav.append(up)
      }
      nav.append(pagerLink("next", next, nextPage))
      chapter.append(nav)
    })
  }

  /* Verse numbers: a click puts the verse's deep link in the address bar and offers Copy and
     (where the browser can) Share of "verse text — Book C:V" with that link. */

  function bookName(root) {
    var title = root.querySelector("h1")
    return title ? title.textContent.trim() : document.title
  }

  function verseReference(root, verse) {
    var chapter = verse.closest(".chapter")
    var c = chapter ? chapter.dataset.chapter : ""
    return bookName(root) + " " + (c ? c + ":" : "") + verse.textContent.trim()
  }

  // The text from this verse number to the next one (or the notes at the end of the chapter),
  // without note callers and headings.
  function verseText(verse) {
    var chapter = verse.closest(".chapter") || verse.parentNode
    var range = document.createRange()
    range.setStartAfter(verse)
    range.setEndAfter(chapter.lastChild || chapter)
    var stops = chapter.querySelectorAll(".v-num, .footnotes, .crossrefs, .tx-chapter-pager")
    for (var i = 0; i < stops.length; i++) {
      if (verse.compareDocumentPosition(stops[i]) & Node.DOCUMENT_POSITION_FOLLOWING) {
        range.setEndBefore(stops[i])
        break
      }
    }
    var text = range.cloneContents()
    text.querySelectorAll(".fn-caller, .xr-caller, h1, h2, h3, h4, h5, h6").forEach(function (n) { n.remove() })
    return text.textContent.replace(/\s+/g, " ").trim()
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text)
    return new Promise(function (resolve, reject) {
      var area = el("textarea", { class: "tx-copy-buffer", "aria-hidden": "true" })
      area.value = text
      document.body.append(area)
      area.select()
      var done = document.execCommand("copy")
      area.remove()
      if (done) resolve()
      else reject(new Error("copy refused"))
    })
  }

  function verseActions(root) {
    var marked = null
    var menu = el("div", { class: "tx-verse-menu", id: "tx-verse-menu", role: "dialog", lang: uiLang, dir: "auto" })
    menu.hidden = true
    var label = el("span", { class: "tx-verse-menu__ref" })
    if (root.lang) label.lang = root.lang
    var copy = el("button", { type: "button", class: "tx-verse-menu__copy", text: word("copy") })
    var share = el("button", { type: "button", class: "tx-verse-menu__share", text: word("share") })
    menu.append(label, copy)
    if (navigator.share) menu.append(share)
    document.body.append(menu)
    var current = null

    function shared() {
      var ref = verseReference(root, current)
      return { ref: ref, text: verseText(current) + " — " + ref, url: location.href }
    }
    copy.addEventListener("click", function () {
      var v = shared()
      copyText(v.text + "\n" + v.url).then(function () {
        copy.textContent = word("copied")
      }, function () { copy.textContent = word("copy_failed") })
    })
    share.addEventListener("click", function () {
      var v = shared()
      navigator.share({ title: v.ref, text: v.text, url: v.url }).catch(function () { /* cancelled */ })
    })

    function hide() { menu.hidden = true; current = null }
    root.addEventListener("click", function (event) {
      var verse = event.target.closest && event.target.closest(".v-num[id]")
      if (!verse || !root.contains(verse)) return
      if (marked) marked.classList.remove("tx-target")
      history.replaceState(history.state, "", "#" + verse.id)
      verse.classList.add("tx-target")
      marked = verse
      remember(verse.id, verseReference(root, verse))
      current = verse
      label.textContent = verseReference(root, verse)
      copy.textContent = word("copy")
      // tx-helps.js (Bible pages with related helps): the verse's helps, with this menu on top
      if (window.txHelps && window.txHelps.open(verse, label.textContent, menu)) return
      menu.hidden = false
      placeNear(menu, verse)
    })
    document.addEventListener("click", function (e) {
      if (menu.classList.contains("tx-verse-menu--docked")) return  // tx-helps.js closes it
      if (!menu.hidden && !menu.contains(e.target) && !(current && current.contains(e.target))) hide()
    })
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide() })
  }

  /* -------------------------------------------------------------- continue reading */

  function sitePath() {
    var path = location.pathname
    return path.indexOf(siteRoot.pathname) === 0 ? path.slice(siteRoot.pathname.length) : ""
  }

  // The place read last: this page (relative to the site) and an anchor in it, with its label.
  function remember(anchor, label) {
    var page = sitePath()
    if (!window.txPrefs || !page || page === "index.html" || page === "build-report.html") return
    window.txPrefs.update({ resume: { page: page, anchor: anchor || "", label: label } })
  }

  // While reading: the first verse (Bible) or heading at the top of the window, once the
  // scrolling stopped.
  function trackReading(root) {
    var marks = root.querySelectorAll(root.querySelector(".chapter") ? ".v-num[id]" : "h1[id], h2[id], h3[id]")
    var header = document.querySelector(".md-header")
    function label(mark) {
      if (mark.classList.contains("v-num")) return verseReference(root, mark)
      var name = bookName(root)
      var text = mark.textContent.trim()
      return text && text !== name ? name + " — " + text : name
    }
    function note() {
      var top = header ? header.getBoundingClientRect().bottom : 0
      var found = null
      for (var i = 0; i < marks.length; i++) {
        if (marks[i].getBoundingClientRect().bottom > top) { found = marks[i]; break }
      }
      if (found) remember(found.id, label(found))
      else remember("", bookName(root))
    }
    var timer = 0
    window.addEventListener("scroll", function () {
      clearTimeout(timer)
      timer = setTimeout(note, 400)
    }, { passive: true })
    note()
  }

  function offerResume() {
    var box = document.querySelector("[data-tx-resume]")
    var place = window.txPrefs && window.txPrefs.load().resume
    if (!box || !place || typeof place.page !== "string" || !place.page) return
    var href = new URL(place.page, siteRoot)
    if (href.origin !== siteRoot.origin || href.pathname.indexOf(siteRoot.pathname) !== 0) return
    if (typeof place.anchor === "string" && place.anchor) href.hash = place.anchor
    var link = el("a", { href: href.href, class: "tx-resume__link", text: String(place.label || place.page) })
    if (tx.language) link.lang = tx.language
    link.dir = "auto"
    box.replaceChildren(word("continue_reading") + " ", link)
    box.hidden = false
  }

  /* -------------------------------------------------------------- note popups */

  /* A popup (absolutely positioned) below the element a, or above it when there is no room
     below and there is room above, inside the viewport and never under the fixed header. */
  function placeNear(pop, a) {
    var rect = a.getBoundingClientRect()
    pop.style.left = "0px"
    pop.style.top = "0px"
    var width = pop.offsetWidth, height = pop.offsetHeight
    var viewport = document.documentElement.clientWidth
    var left = Math.max(8, Math.min(rect.left + rect.width / 2 - width / 2, viewport - width - 8))
    var header = document.querySelector(".md-header")
    var headerBottom = header ? header.getBoundingClientRect().bottom : 0
    var top = rect.bottom + 6
    if (top + height > window.innerHeight - 8 && rect.top - height - 6 > headerBottom) {
      top = rect.top - height - 6
    }
    pop.style.left = Math.round(left + window.scrollX) + "px"
    pop.style.top = Math.round(top + window.scrollY) + "px"
  }

  function notePopups(root) {
    var callers = root.querySelectorAll(".fn-caller a[href^='#'], .xr-caller a[href^='#']")
    if (!callers.length) return
    var pop = el("div", { class: "tx-note-popup md-typeset", id: "tx-note-popup", role: "tooltip" })
    pop.hidden = true
    if (root.lang) pop.lang = root.lang
    if (root.dir) pop.dir = root.dir
    document.body.append(pop)
    var owner = null, timer = 0

    function target(a) {
      try { return document.getElementById(decodeURIComponent(a.hash.slice(1))) } catch (e) { return null }
    }

    function show(a) {
      clearTimeout(timer)
      var note = target(a)
      if (!note) return
      if (owner !== a) {
        if (owner) owner.removeAttribute("aria-describedby")
        var label = el("a", { class: "tx-note-popup__label", href: a.hash, title: word("go_to_note"), text: a.textContent })
        label.addEventListener("click", hide)
        var body = el("span", { class: "tx-note-popup__body" })
        Array.prototype.forEach.call(note.childNodes, function (node, i) {
          if (i === 0 && node.nodeType === 1 && node.matches("a[href^='#ref-']")) return
          body.append(node.cloneNode(true))
        })
        pop.replaceChildren(label, body)
        pop.dataset.kind = a.closest(".xr-caller") ? "xr" : "fn"
        owner = a
        a.setAttribute("aria-describedby", pop.id)
      }
      pop.hidden = false
      placeNear(pop, a)
    }

    function hide() {
      clearTimeout(timer)
      pop.hidden = true
      if (owner) owner.removeAttribute("aria-describedby")
      owner = null
    }

    function hideSoon() {
      clearTimeout(timer)
      timer = setTimeout(hide, 300)
    }

    Array.prototype.forEach.call(callers, function (a) {
      a.addEventListener("pointerenter", function (e) {
        if (e.pointerType !== "mouse") return
        clearTimeout(timer)
        timer = setTimeout(function () { show(a) }, 120)
      })
      a.addEventListener("pointerleave", function (e) { if (e.pointerType === "mouse") hideSoon() })
      a.addEventListener("focus", function () { if (a.matches(":focus-visible")) show(a) })
      a.addEventListener("blur", function () { if (!pop.matches(":hover")) hideSoon() })
      a.addEventListener("click", function (e) {
        // First tap (or a click before the hover popup appeared) shows the note; a click while
        // it is shown follows the link to the list of notes at the end of the chapter.
        if (owner === a && !pop.hidden) { hide(); return }
        e.preventDefault()
        show(a)
      })
    })
    pop.addEventListener("pointerenter", function () { clearTimeout(timer) })
    pop.addEventListener("pointerleave", function (e) { if (e.pointerType === "mouse") hideSoon() })
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide() })
    document.addEventListener("click", function (e) {
      if (pop.hidden || pop.contains(e.target) || (owner && owner.contains(e.target))) return
      hide()
    })
    window.addEventListener("resize", function () { if (owner && !pop.hidden) placeNear(pop, owner) })
  }

  /* -------------------------------------------------------------- build report */

  function report(root) {
    var table = root.querySelector("table.tx-report")
    if (!table) return
    var rows = table.querySelectorAll("tbody tr")
    var errors = table.querySelectorAll("tbody tr.tx-error").length
    var warnings = table.querySelectorAll("tbody tr.tx-warning").length
    Array.prototype.forEach.call(table.querySelectorAll("tbody td:last-child a[href*='#']"), function (a) {
      var m = /-ch-0*(\d+)(?:-v-0*(\d+))?$/.exec(a.hash)
      if (m) a.append(el("span", { class: "tx-report-ref", text: inDigits(m[1] + (m[2] ? ":" + m[2] : "")) }))
    })
    if (!errors || !warnings) return
    var bar = el("div", { class: "tx-report-filters", role: "group", "aria-label": "Show" })
    var buttons = []
    ;[["all", "All", rows.length], ["error", "Errors", errors], ["warning", "Warnings", warnings]]
      .forEach(function (f) {
        var b = el("button", { type: "button", "data-filter": f[0], "aria-pressed": String(f[0] === "all"), text: f[1] + " (" + f[2] + ")" })
        b.addEventListener("click", function () {
          table.dataset.filter = f[0]
          buttons.forEach(function (x) { x.setAttribute("aria-pressed", String(x === b)) })
        })
        buttons.push(b)
        bar.append(b)
      })
    table.before(bar)
  }

  /* The chapter grid reads best under the book title (the page starts with the grid). */
  function gridAfterTitle(root) {
    var grid = root.querySelector(":scope > .tx-chapter-grid")
    var title = root.querySelector(":scope > h1")
    if (grid && title && grid.compareDocumentPosition(title) & Node.DOCUMENT_POSITION_FOLLOWING) {
      title.after(grid)
    }
  }

  if (content) {
    gridAfterTitle(content)
    chapterPager(content)
    verseActions(content)
    notePopups(content)
    report(content)
    trackReading(content)
  }
  offerResume()
})()
