/*
 * tx-mkdocs reading position (no dependencies, nothing loaded from another host).
 *
 * - the page TOC marks the section a link led to: Material's scroll-spy marks the last section
 *   whose top is above the header line, and a section reached by its anchor sits just below
 *   that line (its scroll margin), so the one before it was marked. The entry of location.hash
 *   is marked on load and on every hashchange, and stays marked until the reader scrolls;
 * - Bible pages: the header topic (Material shows it once the title scrolled away; on a phone it
 *   is the only place saying where one is) names the book and the chapter in view: "Ruth 2";
 * - pictures (OBS frames) whose host cannot be reached (offline) become a placeholder with the
 *   picture's alt text, in the place the picture would have had.
 */
(function () {
  "use strict"

  var content = document.querySelector(".tx-content")
  var header = document.querySelector(".md-header")

  function headerBottom() {
    return header ? header.getBoundingClientRect().bottom : 0
  }

  /* -------------------------------------------------------------- TOC follows the link */

  function tocFollowsLinks() {
    // the page TOC is there twice: in the sidebar, and in the drawer's navigation (phones)
    var tocs = document.querySelectorAll(".md-nav--secondary")
    if (!tocs.length) return
    var ACTIVE = "md-nav__link--active"
    var pinned = ""  // the id whose entries stay marked, or ""
    function mark() {
      if (!pinned) return
      tocs.forEach(function (toc) {
        var links = toc.querySelectorAll("a.md-nav__link[href^='#']")
        var target = null
        for (var i = 0; i < links.length && !target; i++) {
          if (decodeURIComponent(links[i].hash.slice(1)) === pinned) target = links[i]
        }
        if (!target) return
        toc.querySelectorAll("." + ACTIVE).forEach(function (a) {
          if (a !== target) a.classList.remove(ACTIVE)
        })
        if (!target.classList.contains(ACTIVE)) target.classList.add(ACTIVE)
      })
    }
    function pin() {
      pinned = location.hash.length > 1 ? decodeURIComponent(location.hash.slice(1)) : ""
      mark()
    }
    // Material updates the marks whenever the page moves or resizes (also without the reader:
    // fonts, lazy pictures): while pinned, its change is undone.
    var observer = new MutationObserver(mark)
    tocs.forEach(function (toc) {
      observer.observe(toc, { subtree: true, attributes: true, attributeFilter: ["class"] })
    })
    function release() { pinned = "" }
    ;["wheel", "touchmove", "mousedown"].forEach(function (type) {
      window.addEventListener(type, release, { passive: true })
    })
    window.addEventListener("keydown", function (e) {
      if (/^(Arrow(Up|Down)|Page(Up|Down)|Home|End| )$/.test(e.key)) release()
    })
    window.addEventListener("hashchange", pin)
    pin()
  }

  /* -------------------------------------------------------------- book and chapter in the header */

  function chapterInHeader(root) {
    var chapters = root.querySelectorAll(".chapter[data-chapter]")
    var topic = document.querySelector('[data-md-component="header-topic"] .md-ellipsis')
    var title = root.querySelector("h1")
    if (!chapters.length || !topic || !title) return
    var book = title.textContent.trim()
    var shown = null
    function update() {
      // the chapter read: the last one started above a line a quarter down the window (a
      // chapter reached by its link starts just under the header)
      var top = headerBottom()
      var line = top + (window.innerHeight - top) / 4
      var current = null
      for (var i = 0; i < chapters.length; i++) {
        if (chapters[i].getBoundingClientRect().top <= line) current = chapters[i]
        else break
      }
      var text = current ? book + " " + current.dataset.chapter : book
      if (text !== shown) {
        topic.textContent = text
        shown = text
      }
    }
    var queued = false
    window.addEventListener("scroll", function () {
      if (queued) return
      queued = true
      requestAnimationFrame(function () { queued = false; update() })
    }, { passive: true })
    update()
  }

  /* -------------------------------------------------------------- pictures offline */

  function placeholder(img) {
    if (!img.parentNode || !img.closest(".tx-content")) return
    var box = document.createElement("span")
    box.className = "tx-image-missing"
    box.setAttribute("role", "img")
    var words = window.txWords  // tx.js: our UI words
    var name = img.alt || (words ? words.word("picture") : "Picture")
    box.setAttribute("aria-label", name)
    box.textContent = name
    var width = img.getAttribute("width"), height = img.getAttribute("height")
    if (width && height) box.style.aspectRatio = width + " / " + height
    img.replaceWith(box)
  }

  function picturesOffline(root) {
    // "error" does not bubble: listened for while it goes down to the picture
    document.addEventListener("error", function (e) {
      if (e.target instanceof HTMLImageElement) placeholder(e.target)
    }, true)
    root.querySelectorAll("img").forEach(function (img) {  // failed before this script ran
      if (img.complete && img.naturalWidth === 0 && img.currentSrc) placeholder(img)
    })
  }

  tocFollowsLinks()
  if (content) {
    chapterInHeader(content)
    picturesOffline(content)
  }
})()
