/*
 * Find any verse in one step (Bible sites: the script's data-references names references.json).
 *
 * - a reference typed into search — "John 3:16", "jhn 3.16", "Jn 3", "1 Cor 13:4", the Bible's
 *   own names ("Juan 3:16") — is offered as the first result, and Enter goes there; Material's
 *   deep link index.html?q=John%203:16 goes there too;
 * - the verse picker: a dialog from the header, books, then chapters, then verses (buttons as big
 *   as a thumb; Tab, Enter and Escape work as in any dialog).
 * references.json (the book table, core/references.py) is fetched on first use only.
 * window.txFind.parse / .resolve are the parser and the resolver (the browser tests call them).
 */
(function () {
  "use strict"

  var script = document.currentScript
  var references = script && script.dataset.references
  var tableUrl = references ? new URL(references, location.href) : null
  var language = document.documentElement.lang  // the content's
  var words = window.txWords || { word: function (key) { return key }, lang: "en",
    digits: String }  // tx.js
  var word = words.word
  var inDigits = words.digits

  /* -------------------------------------------------------------- parsing */

  var ORDINALS = { i: "1", ii: "2", iii: "3", first: "1", second: "2", third: "3",
    "1st": "1", "2nd": "2", "3rd": "3" }
  // "<book> [chapter[(:|.|,)verse[-verse]]]"; the book has a letter and may start with a number.
  var REFERENCE = /^\s*((?:[1-4]\s*|(?:i{1,3}|first|second|third|1st|2nd|3rd)\s+)?[^\d\s:.,;][^\d:;]*?)\.?\s*(?:(\d{1,3})(?:\s*[:.,]\s*(\d{1,3})(?:\s*[-\u2010-\u2015]\s*\d{1,3})?)?)?\s*$/i

  // A name as typed and as listed alike: no accents or points, lower case, no spaces or dots.
  function key(text) {
    return String(text).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[\s.\u200b-\u200f]+/g, "")
  }

  // Digits of any script ("٣:١٦", "۳:۱۶", "३:१६") as Western ones. Unicode encodes each script's
  // ten digits in a row from zero (rows may touch), so a digit's value is its distance from the
  // start of its row of digits, modulo ten.
  function westernDigits(text) {
    return text.replace(/\p{Nd}/gu, function (digit) {
      var code = digit.codePointAt(0), start = code
      while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--
      return String((code - start) % 10)
    })
  }

  // {book, chapter, verse} (book as a key; chapter and verse numbers or null), or null.
  function parse(text) {
    var m = REFERENCE.exec(westernDigits(String(text || "")))
    if (!m) return null
    var book = m[1].trim()
    var lead = /^(i{1,3}|first|second|third|1st|2nd|3rd)\s+/i.exec(book)
    if (lead) book = ORDINALS[lead[1].toLowerCase()] + book.slice(lead[0].length)
    book = key(book)
    if (!/\p{L}/u.test(book)) return null
    return { book: book, chapter: m[2] ? Number(m[2]) : null, verse: m[3] ? Number(m[3]) : null }
  }

  /* -------------------------------------------------------------- resolving */

  // The book whose code or name is the key, else the first whose name starts with it.
  function findBook(table, k) {
    var books = table.books || []
    var names = function (b) { return [b.code].concat(b.names || []).map(key) }
    for (var i = 0; i < books.length; i++) if (names(books[i]).indexOf(k) >= 0) return books[i]
    if (k.length < 2) return null
    for (var j = 0; j < books.length; j++) {
      if (names(books[j]).some(function (n) { return n.indexOf(k) === 0 })) return books[j]
    }
    return null
  }

  function hasVerse(runs, v) {
    return runs.some(function (r) { return r[0] <= v && v <= r[1] })
  }

  // The verse's number itself, else the verse bridge that holds it (4 for 5 in "4-5"), else null.
  function verseNumber(runs, v) {
    if (hasVerse(runs, v)) return v
    var last = runs.length ? runs[runs.length - 1][1] : 0
    return v <= last + 1 && v > 0 && last ? runs.reduce(function (best, r) {
      return r[1] < v ? r[1] : best
    }, null) : null
  }

  function pad(n) { return ("00" + n).slice(-3) }

  // {href (relative to the site), label} of a parsed reference in the table, or null.
  function resolve(table, ref) {
    if (!table || !ref) return null
    var book = findBook(table, ref.book)
    if (!book) return null
    var chapters = book.chapters || []
    var c = ref.chapter, v = ref.verse
    if (c !== null && v === null && chapters.length === 1 && c !== chapters[0][0]) {
      v = c  // "Jude 5": a book of one chapter is cited by verse
      c = chapters[0][0]
    }
    if (c === null) return { href: book.page, label: book.title }
    var chapter = chapters.filter(function (ch) { return ch[0] === c })[0]
    if (!chapter) return null
    if (v === null) return { href: book.page + "#" + chapter[1], label: book.title + " " + chapter[2] }
    var n = verseNumber(chapter[3], v)
    if (n === null) return null
    return { href: book.page + "#" + chapter[1] + "-v-" + pad(n), label: book.title + " " + chapter[2] + ":" + inDigits(v) }
  }

  var loading = null
  function table() {
    if (!tableUrl) return Promise.resolve(null)
    if (!loading) {
      loading = fetch(tableUrl, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + tableUrl)
        return r.json()
      }).catch(function () { loading = null; return null })
    }
    return loading
  }

  function target(text) {
    var ref = parse(text)
    if (!ref) return Promise.resolve(null)
    return table().then(function (t) {
      var found = resolve(t, ref)
      return found && { href: new URL(found.href, tableUrl).href, label: found.label }
    })
  }

  window.txFind = { parse: parse, resolve: resolve, key: key }
  if (!tableUrl) return

  function closeSearch() {
    var toggle = document.getElementById("__search")
    if (toggle && toggle.checked) {
      toggle.checked = false
      toggle.dispatchEvent(new Event("change"))
    }
  }

  function go(href) {
    closeSearch()
    location.assign(href)
  }

  /* -------------------------------------------------------------- search box */

  function searchBox() {
    var input = document.querySelector("[data-md-component=search-query]")
    var result = document.querySelector("[data-md-component=search-result]")
    if (!input || !result) return
    var hit = document.createElement("a")
    hit.className = "tx-ref-hit"
    hit.hidden = true
    var label = document.createElement("span")
    label.className = "tx-ref-hit__label"
    label.lang = words.lang
    label.textContent = word("go_to")
    var ref = document.createElement("span")
    ref.className = "tx-ref-hit__ref"
    ref.dir = "auto"
    if (language) ref.lang = language
    hit.append(label, " ", ref)
    result.prepend(hit)
    hit.addEventListener("click", function (e) { e.preventDefault(); go(hit.href) })

    var current = null  // {query, promise of the target}
    function update() {
      var query = input.value
      if (current && current.query === query) return current.promise
      var promise = target(query).then(function (found) {
        if (input.value !== query) return found
        hit.hidden = !found
        if (found) {
          hit.href = found.href
          ref.textContent = found.label
        }
        return found
      })
      current = { query: query, promise: promise }
      return promise
    }
    input.addEventListener("input", update)
    input.addEventListener("focus", update)
    // Enter on a reference goes there (before Material's Enter, which follows the best hit).
    input.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || e.isComposing || !parse(input.value)) return
      e.preventDefault()
      e.stopPropagation()
      update().then(function (found) {
        if (found) go(found.href)
        else {  // not a reference of this Bible after all: Material's best hit, as without us
          var best = result.querySelector(".md-search-result__item > a")
          if (best) best.click()
        }
      })
    }, true)
    if (input.value) update()
  }

  // Material's deep link index.html?q=…: a reference goes to its verse instead of the results.
  function deepLink() {
    var q = new URLSearchParams(location.search).get("q")
    if (!q || !parse(q)) return
    target(q).then(function (found) { if (found) location.replace(found.href) })
  }

  /* -------------------------------------------------------------- verse picker */

  function button(text, className) {
    var b = document.createElement("button")
    b.type = "button"
    b.className = className
    b.textContent = text
    return b
  }

  function verseList(runs) {
    var out = []
    runs.forEach(function (r) { for (var v = r[0]; v <= r[1] && out.length < 1000; v++) out.push(v) })
    return out
  }

  function picker() {
    var open = document.querySelector("[data-tx-picker]")
    if (!open || typeof HTMLDialogElement === "undefined") return
    var dialog = document.createElement("dialog")
    dialog.className = "tx-picker md-typeset"
    dialog.setAttribute("aria-labelledby", "tx-picker-title")
    var head = document.createElement("div")
    head.className = "tx-picker__head"
    var back = button("‹", "tx-picker__back")
    back.setAttribute("aria-label", word("back"))
    back.lang = words.lang
    var title = document.createElement("h2")
    title.id = "tx-picker-title"
    title.className = "tx-picker__title"
    title.dir = "auto"
    var close = button("×", "tx-picker__close")
    close.setAttribute("aria-label", word("close"))
    close.lang = words.lang
    head.append(back, title, close)
    var grid = document.createElement("div")
    grid.className = "tx-picker__grid"
    dialog.append(head, grid)
    document.body.append(dialog)

    function show(items, kind, heading, onBack) {
      grid.replaceChildren.apply(grid, items)
      grid.dataset.kind = kind
      title.textContent = heading
      title.lang = kind === "books" ? words.lang : (language || "")
      back.hidden = !onBack
      back.onclick = onBack
      var first = grid.querySelector("button, a")
      if (first) first.focus()
    }

    function books(t) {
      var items = (t.books || []).map(function (b) {
        var item = button(b.title, "tx-picker__book")
        if (language) item.lang = language
        item.dir = "auto"
        item.addEventListener("click", function () { chapters(t, b) })
        return item
      })
      show(items, "books", word("books"), null)
    }

    function chapters(t, b) {
      if ((b.chapters || []).length === 1) return verses(t, b, b.chapters[0], true)
      var items = b.chapters.map(function (ch) {
        var item = button(ch[2], "tx-picker__number")
        item.addEventListener("click", function () { verses(t, b, ch, false) })
        return item
      })
      show(items, "chapters", b.title, function () { books(t) })
    }

    function verses(t, b, ch, only) {
      var base = new URL(b.page, tableUrl).href + "#" + ch[1]
      var items = [Object.assign(document.createElement("a"), {
        className: "tx-picker__number tx-picker__chapter", href: base, textContent: ch[2] })]
      verseList(ch[3]).forEach(function (v) {
        items.push(Object.assign(document.createElement("a"), {
          className: "tx-picker__number", href: base + "-v-" + pad(v), textContent: inDigits(v) }))
      })
      items[0].lang = words.lang
      items[0].setAttribute("aria-label", word("chapter").replace("{}", ch[2]))
      show(items, "verses", b.title + " " + ch[2], function () { only ? books(t) : chapters(t, b) })
    }

    grid.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[href]")
      if (!a) return
      e.preventDefault()
      dialog.close()
      go(a.href)
    })
    close.addEventListener("click", function () { dialog.close() })
    dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close() })
    dialog.addEventListener("close", function () { open.focus() })
    open.addEventListener("click", function () {
      table().then(function (t) {
        if (!t) return
        if (!dialog.open) dialog.showModal()
        books(t)
      })
    })
    open.hidden = false
  }

  deepLink()
  searchBox()
  picker()
})()
