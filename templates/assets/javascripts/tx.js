/*
 * tx-mkdocs page behaviour (no dependencies, nothing loaded from another host).
 *
 * - version switcher: the builds listed in project.json, newest first. Published sites live at
 *   u/<owner>/<repo>/<commit10>/ with the history at u/<owner>/<repo>/project.json, so
 *   ../project.json is tried first and each build links to ../<id>/index.html; a site opened on
 *   its own (a local build served from its folder) reads its own project.json, where other builds
 *   are listed but not linked (their folders are not there);
 * - build status badge: refreshed from build_log.json (polled while a publish is in progress);
 * - Bible pages: previous / next chapter links, footnote and cross-reference popups (hover,
 *   keyboard focus, tap), verse numbers that put their deep link in the address bar;
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

  /* -------------------------------------------------------------- build status */

  var STATUS_ICONS = ["success", "warnings", "errors", "failed", "started", "requested"]

  function setStatus(status, errors, warnings) {
    var badge = document.querySelector("[data-tx-status]")
    if (!badge || STATUS_ICONS.indexOf(status) < 0) return
    STATUS_ICONS.forEach(function (s) { badge.classList.remove("tx-status--" + s) })
    badge.classList.add("tx-status--" + status)
    var parts = []
    if (errors) parts.push(errors + (errors === 1 ? " error" : " errors"))
    if (warnings) parts.push(warnings + (warnings === 1 ? " warning" : " warnings"))
    var summary = "Build: " + status + (parts.length ? " (" + parts.join(", ") + ")" : "")
    badge.title = summary
    badge.setAttribute("aria-label", summary)
    var count = badge.querySelector(".tx-status__count")
    if (count) count.textContent = errors || warnings || ""
  }

  function counts(log) {
    // messages[] has one entry per problem; warnings[] and errors[] are capped Door43 lists.
    if (Array.isArray(log.messages) && log.messages.length) {
      var by = function (s) { return log.messages.filter(function (m) { return m.severity === s }).length }
      return [by("error"), by("warning")]
    }
    return [(log.errors || []).length, (log.warnings || []).length]
  }

  var statusSince = Date.now()
  function refreshStatus() {
    if (!canFetch || !document.querySelector("[data-tx-status]")) return
    getJSON(new URL("build_log.json", siteRoot)).then(function (log) {
      var status = String(log.status || "")
      if (status === tx.status) return
      var n = counts(log)
      setStatus(status, n[0], n[1])
      if ((status === "started" || status === "requested") && Date.now() - statusSince < 6e5) {
        setTimeout(refreshStatus, 10000)
      }
    }).catch(function () { /* keep the build-time status */ })
  }
  refreshStatus()

  /* -------------------------------------------------------------- versions */

  function versions() {
    var box = document.querySelector("[data-tx-versions]")
    if (!box || !canFetch) return
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
      var list = box.querySelector(".md-version__list")
      list.replaceChildren()
      commits.slice(0, 30).forEach(function (c) {
        var isCurrent = c.id === current && (!currentRef || c.ref === tx.ref)
        var href = null
        if (c.id === current) href = new URL("index.html", siteRoot).href
        else if (found.linked) href = new URL("../" + encodeURIComponent(c.id) + "/index.html", siteRoot).href
        var label = c.ref && c.ref !== "local" ? c.ref : c.id
        var date = String(c.created_at || c.ended_at || "").slice(0, 10)
        var status = String(c.status || "")
        var link = el(href ? "a" : "span", { class: "md-version__link" }, [
          el("span", { class: "tx-versions__dot tx-versions__dot--" + status, title: status }),
          el("span", { class: "tx-versions__ref", text: label }),
          el("span", { class: "tx-versions__meta", text: date + (c.commit_hash && c.commit_hash !== label ? " · " + String(c.commit_hash).slice(0, 7) : "") }),
        ])
        if (href) link.href = href
        else link.title = "This build is not published next to this one"
        if (isCurrent) link.setAttribute("aria-current", "true")
        var item = el("li", { class: "md-version__item tx-versions__item" +
          (isCurrent ? " tx-versions__item--current" : "") +
          (href ? "" : " tx-versions__item--unavailable") }, [link])
        item.dataset.id = c.id
        list.append(item)
      })
      box.dataset.count = String(list.children.length)
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
      var nav = el("nav", { class: "tx-chapter-pager", "aria-label": "Chapters" })
      nav.append(pagerLink("prev", prev, prevPage))
      if (grid) {
        var up = el("a", { class: "tx-chapter-pager__up", href: "#" + grid.id, "aria-label": "Chapters" })
        up.innerHTML = GRID_ICON
        nav.append(up)
      }
      nav.append(pagerLink("next", next, nextPage))
      chapter.append(nav)
    })
  }

  /* Verse numbers: a click puts the verse's deep link in the address bar (to copy and share). */
  function verseLinks(root) {
    var marked = null
    root.addEventListener("click", function (event) {
      var verse = event.target.closest && event.target.closest(".v-num[id]")
      if (!verse || !root.contains(verse)) return
      if (marked) marked.classList.remove("tx-target")
      history.replaceState(history.state, "", "#" + verse.id)
      verse.classList.add("tx-target")
      marked = verse
    })
  }

  /* -------------------------------------------------------------- note popups */

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

    function place(a) {
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

    function show(a) {
      clearTimeout(timer)
      var note = target(a)
      if (!note) return
      if (owner !== a) {
        if (owner) owner.removeAttribute("aria-describedby")
        var label = el("a", { class: "tx-note-popup__label", href: a.hash, title: "Go to the note", text: a.textContent })
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
      place(a)
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
    window.addEventListener("resize", function () { if (owner && !pop.hidden) place(owner) })
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
      if (m) a.append(el("span", { class: "tx-report-ref", text: m[1] + (m[2] ? ":" + m[2] : "") }))
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
    verseLinks(content)
    notePopups(content)
    report(content)
  }
})()
