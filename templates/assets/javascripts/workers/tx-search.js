/*
 * tx-mkdocs search worker: Material's own worker (named by ?worker=), plus diacritic-insensitive
 * matching. Every token — of the index when it is built and of each query — is folded before
 * lunr's pipeline runs, so that a reader who types without points or accents finds the words:
 *
 *   Hebrew   points and cantillation (U+0591–U+05C7)   בְּרֵאשִׁ֖ית → בראשית
 *   Greek    accents and breathings (NFD U+0300–U+036F)  λόγος, Λόγος → λογος; ς → σ
 *   Latin    accents (NFD)                                 José → jose
 *   Arabic   harakat, tatweel, hamza and madda on alef    ٱلْكِتَابُ → الكتاب
 *   any      zero-width (non-)joiners, soft hyphens
 *
 * Letters that carry meaning by themselves (Devanagari and Ethiopic vowel signs, CJK) are kept.
 * Positions are unchanged (only the token strings change), so result highlighting still works.
 * Nothing is loaded from another host: Material's worker and its lunr files are in the site.
 */
(function () {
  "use strict"
  var match = /[?&]worker=([\w.-]+\.js)/.exec(self.location.search)
  importScripts(match ? match[1] : "search.js")

  var MARKS = new RegExp("[" +
    "\\u00ad\\u0300-\\u036f\\u0483-\\u0489" +           // soft hyphen; Latin/Greek/Cyrillic marks
    "\\u0591-\\u05bd\\u05bf\\u05c1\\u05c2\\u05c4\\u05c5\\u05c7" + // Hebrew points, cantillation
    "\\u0610-\\u061a\\u064b-\\u065f\\u0640\\u0670" +     // Arabic marks, harakat, tatweel
    "\\u06d6-\\u06dc\\u06df-\\u06e4\\u06e7\\u06e8\\u06ea-\\u06ed" + // Quranic annotation signs
    "\\u200b-\\u200f\\u2060\\ufeff" +                   // zero-width characters, direction marks
    "]", "g")
  var LETTERS = { "\u03c2": "\u03c3", "\u0671": "\u0627" }  // final sigma; alef wasla

  function fold(text) {
    if (!text) return text
    var folded = text.normalize("NFD").replace(MARKS, "").normalize("NFC")
    return folded.replace(/[\u03c2\u0671]/g, function (c) { return LETTERS[c] }) || text
  }
  self.txFold = fold

  if (typeof lunr === "undefined" || !lunr.Pipeline || !lunr.Query) return
  // The index: every token, before the language's own pipeline (stop words, stemmer).
  var run = lunr.Pipeline.prototype.run
  lunr.Pipeline.prototype.run = function (tokens) {
    for (var i = 0; i < tokens.length; i++) {
      tokens[i].update(function (value) { return fold(value) })
    }
    return run.call(this, tokens)
  }
  // Queries: every clause term. Material makes each term a prefix search (term*), and lunr does
  // not run its pipeline on wildcard terms, so the folding must be done here too.
  var clause = lunr.Query.prototype.clause
  lunr.Query.prototype.clause = function (c) {
    if (c && typeof c.term === "string") c.term = fold(c.term)
    return clause.call(this, c)
  }
})()
