// Full-text search in the browser: reads the static index under /search/
// (built by biaogan's render/search module) and shows the results with the
// matching passage cut from each result's own page. No
// dependencies, no eval, no inline code, so it runs under a Content-Security-Policy of default-src 'self'.
// The query rules mirror src/render/search/tokens.rs; keep them in step.
(function () {
  "use strict";
  var TITLE = 1, ORG = 2, META = 8, PER_PAGE = 10, PASSAGE_WAIT = 300;
  var HAN = /[\u{3400}-\u{4DBF}\u{4E00}-\u{9FFF}\u{F900}-\u{FAFF}\u{20000}-\u{2FA1F}]/u;
  var WORD = /[\p{Alphabetic}\p{N}]/u;

  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !list || !status) return;

  var docsPromise = null, shardCache = {}, pageCache = {}, seq = 0;
  var form = document.querySelector(".search-form");
  // The year the results are limited to ("" for every year): ?year=2024.
  var year = new URLSearchParams(location.search).get("year") || "";

  function fold(c) {
    var n = c.codePointAt(0);
    if (n >= 0xff01 && n <= 0xff5e) c = String.fromCodePoint(n - 0xfee0);
    else if (n === 0x3000) c = " ";
    return n < 0x80 || (n >= 0xff01 && n <= 0xff5e) ? c.toLowerCase() : c;
  }

  // Terms of a query: pairs of each Chinese run (the character itself when
  // the run is one long), and folded words. Also the runs and words as typed,
  // for highlighting.
  function parse(q) {
    var terms = [], parts = [], run = [], word = "";
    function push(t) { if (terms.indexOf(t) < 0) terms.push(t); }
    function endWord() { if (word) { push(word); parts.push(word); word = ""; } }
    function endRun() {
      if (run.length === 1) push(run[0]);
      for (var i = 1; i < run.length; i++) push(run[i - 1] + run[i]);
      if (run.length) parts.push(run.join(""));
      run = [];
    }
    Array.from(q + " ").forEach(function (c) {
      c = fold(c);
      if (HAN.test(c)) { endWord(); run.push(c); }
      else {
        endRun();
        if (WORD.test(c)) word += c.toLowerCase(); else endWord();
      }
    });
    return { terms: terms, parts: parts };
  }

  function single(t) { return Array.from(t).length === 1 && HAN.test(t); }

  // FNV-1a over UTF-8, as tokens::shard_of.
  function shardOf(term, n) {
    var h = 0x811c9dc5;
    new TextEncoder().encode(term).forEach(function (b) {
      h = Math.imul(h ^ b, 0x01000193) >>> 0;
    });
    return h % n;
  }

  function get(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r;
    });
  }
  function getJSON(url) { return get(url).then(function (r) { return r.json(); }); }

  function docs() {
    if (!docsPromise) docsPromise = getJSON("/search/docs.json");
    return docsPromise;
  }

  function postings(index, term) {
    var file = single(term)
      ? "/search/c" + shardOf(term, index.singles) + ".json"
      : "/search/p" + shardOf(term, index.shards) + ".json";
    // A shard holds thousands of terms and a query needs a few: it is kept
    // as text and only the query's own terms are parsed out of it. Keys are
    // letters, digits and ideographs (nothing escaped) and values arrays of
    // numbers, so `"term":[` occurs at most once.
    if (!shardCache[file]) {
      shardCache[file] = get(file).then(function (r) { return r.text(); }).then(function (t) {
        // A server's page in its place (a 200 fallback) is an error, not "no results".
        if (t[0] !== "{") throw new Error(file + ": not an index shard");
        return t;
      });
    }
    return shardCache[file].then(function (shard) {
      var key = "\"" + term + "\":[", at = shard.indexOf(key), out = [], doc = 0;
      if (at < 0) return out;
      var from = at + key.length;
      var p = JSON.parse("[" + shard.slice(from, shard.indexOf("]", from)) + "]");
      for (var i = 0; i < p.length; i += 2) { doc += p[i]; out.push([doc, p[i + 1]]); }
      return out;
    });
  }

  function score(w) {
    return (w >> 4) + (w & TITLE ? 1000 : 0) + (w & ORG ? 500 : 0) + (w & META ? 50 : 0);
  }

  // Documents holding every term, best first (as index::Index::search).
  function search(index, terms) {
    return Promise.all(terms.map(function (t) { return postings(index, t); })).then(function (all) {
      var hits = {};
      all.forEach(function (ps) {
        ps.forEach(function (p) {
          var h = hits[p[0]] || (hits[p[0]] = { doc: p[0], n: 0, s: 0 });
          h.n++; h.s += score(p[1]);
        });
      });
      return Object.keys(hits).map(function (k) { return hits[k]; })
        .filter(function (h) { return h.n === terms.length; })
        .sort(function (a, b) {
          return b.s - a.s || index.docs[b.doc][3] - index.docs[a.doc][3] || a.doc - b.doc;
        })
        .map(function (h) { return { n: h.doc, d: index.docs[h.doc] }; });
    });
  }

  // The text of a result's own page, which passages are cut from: the page
  // is published anyway, so the index keeps no second copy of every text.
  // Read with a few native replaces rather than a DOM parser (ten pages per
  // query): the <main> element, without navigation and images; block tags
  // become spaces, inline ones (<strong>) join their words.
  var ENT = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };
  function entity(m, e) {
    if (e[0] !== "#") return ENT[e.toLowerCase()] || m;
    var n = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return n > 0 && n < 0x110000 ? String.fromCodePoint(n) : m;
  }
  function pageText(html) {
    var a = html.indexOf("<main"), b = html.lastIndexOf("</main>");
    var s = a < 0 ? html : html.slice(a, b > a ? b : html.length);
    return s.replace(/<(nav|script|style|svg|template)\b[\s\S]*?<\/\1\s*>/gi, " ")
      .replace(/<\/?(p|h[1-6]|li|dt|dd|td|th|tr|div|section|article|header|footer|blockquote|pre|figcaption|table|ul|ol|dl|br|hr)\b[^>]*>/gi, " ")
      .replace(/<[^>]*>/g, "")
      .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, entity)
      .replace(/\s+/g, " ").trim();
  }
  function docText(url) {
    if (!pageCache[url]) {
      pageCache[url] = fetch(url).then(function (r) { return r.ok ? r.text() : ""; })
        .then(pageText)
        .catch(function () { return ""; });
    }
    return pageCache[url];
  }

  // fold() over a whole text, keeping every index in place (each change is
  // one UTF-16 unit for one): native replaces, not a loop per character.
  // Letters are lower-cased as parse() does (Über as über, Ⅱ as ⅱ), one
  // at a time, each but the few whose lower case is longer (İ), which would
  // shift every index after them. Only letters with a lower case are visited.
  function folded(s) {
    return s.replace(/[\uff01-\uff5e]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); })
      .replace(/\u3000/g, " ")
      .replace(/(?=\p{Alphabetic})[^\p{Ll}\p{Lo}\p{Lm}\p{M}]/gu, function (c) {
        var l = c.toLowerCase();
        return l.length === c.length ? l : c;
      });
  }

  // Whether c is a letter or digit of a word (not a Chinese character).
  function wordChar(c) { return !!c && WORD.test(c) && !HAN.test(c); }

  // Where needle n is in low from pos on: a word (letters, digits) only
  // as a whole word, so FMEA is not marked inside PFMEA; -1 when nowhere.
  function find(low, n, pos) {
    var word = wordChar(String.fromCodePoint(n.codePointAt(0)));
    for (var k = low.indexOf(n, pos); k >= 0; k = low.indexOf(n, k + 1)) {
      if (!word) return k;
      var before = Array.from(low.slice(Math.max(0, k - 2), k)).pop();
      var after = Array.from(low.slice(k + n.length, k + n.length + 2))[0];
      if (!wordChar(before) && !wordChar(after)) return k;
    }
    return -1;
  }

  // What a passage marks: each word and Chinese run of the query as typed,
  // and, only for a run the text does not hold whole, its pairs (the
  // document was found by them), so 甲公司 marks 甲公司, not every 公司.
  function needlesIn(low, q) {
    var needles = [];
    function add(n) { if (needles.indexOf(n) < 0) needles.push(n); }
    q.parts.forEach(function (part) {
      add(part);
      var chars = Array.from(part);
      if (!HAN.test(chars[0]) || find(low, part, 0) >= 0) return;
      for (var i = 1; i < chars.length; i++) add(chars[i - 1] + chars[i]);
    });
    return needles;
  }

  // The passage around the first match, with every query word marked.
  function passage(text, q, el) {
    var low = folded(text), needles = needlesIn(low, q);
    var at = -1;
    for (var i = 0; i < needles.length && at < 0; i++) at = find(low, needles[i], 0);
    if (at < 0) at = 0;
    var start = Math.max(0, at - 30), end = Math.min(text.length, at + 90);
    var seg = text.slice(start, end), segLow = low.slice(start, end), pos = 0;
    if (start > 0) el.append("…");
    while (pos < seg.length) {
      var best = -1, len = 0;
      needles.forEach(function (n) {
        var k = find(segLow, n, pos);
        if (k >= 0 && (best < 0 || k < best || (k === best && n.length > len))) { best = k; len = n.length; }
      });
      if (best < 0) { el.append(seg.slice(pos)); break; }
      el.append(seg.slice(pos, best));
      var m = document.createElement("mark");
      m.textContent = seg.slice(best, best + len);
      el.append(m);
      pos = best + len;
    }
    if (end < text.length) el.append("…");
  }

  function item(hit, q, my) {
    var d = hit.d, li = document.createElement("li");
    var a = document.createElement("a");
    a.className = "result-title";
    a.href = d[0];
    a.textContent = d[1];
    var meta = document.createElement("span");
    meta.className = "result-meta";
    meta.textContent = [d[2], d[3] ? d[3] + "年" : ""].filter(Boolean).join(" · ");
    var p = document.createElement("p");
    p.className = "result-passage";
    li.append(a, meta, p);
    // A newer query's results may be on screen by then: leave them be.
    var done = docText(d[0]).then(function (text) { if (my === seq) passage(text, q, p); });
    return { li: li, done: done };
  }

  // The years results show (a round's for its documents, an event's own),
  // newest first, offered beside the box (made here: without JavaScript
  // there is nothing to choose from). A year in the address that is not
  // offered, as written ("2024.0" is not "2024"), is dropped from it.
  function yearChoice(index) {
    var years = [];
    index.docs.forEach(function (d) { if (d[3] && years.indexOf(d[3]) < 0) years.push(d[3]); });
    var offered = years.length > 1 && form;
    if (year && (!offered || years.map(String).indexOf(year) < 0)) {
      year = "";
      var url = new URL(location.href);
      url.searchParams.delete("year");
      history.replaceState(null, "", url);
    }
    if (!offered) return;
    years.sort(function (a, b) { return b - a; });
    var label = document.createElement("label"), select = document.createElement("select");
    label.htmlFor = select.id = "year";
    label.textContent = "年份";
    select.name = "year";
    [["", "全部年度"]].concat(years.map(function (y) { return [String(y), y + "年"]; }))
      .forEach(function (o) {
        var opt = document.createElement("option");
        opt.value = o[0];
        opt.textContent = o[1];
        select.append(opt);
      });
    select.value = year;
    select.addEventListener("change", function () {
      year = select.value;
      var url = new URL(location.href);
      if (year) url.searchParams.set("year", year); else url.searchParams.delete("year");
      history.replaceState(null, "", url);
      show(input.value);
    });
    var button = form.querySelector("button");
    form.insertBefore(label, button);
    form.insertBefore(select, button);
  }

  // The status line for `n` results of `query` (in the chosen year).
  function foundText(n, query) {
    var within = year ? "（" + year + "年）" : "";
    return n
      ? "找到 " + n + " 条与“" + query.trim() + "”相关的结果" + within
      : "没有找到与“" + query.trim() + "”相关的内容" + within + "。请换一个词，或减少检索词" +
        (year ? "，或选择全部年度" : "");
  }

  function show(query) {
    var my = ++seq, t0 = performance.now();
    var q = parse(query);
    list.removeAttribute("data-state");
    // The previous results stay while this query runs, marked as busy, and
    // go after PASSAGE_WAIT ms even if the index itself is slow to come.
    list.setAttribute("aria-busy", "true");
    setTimeout(function () {
      if (my === seq && list.getAttribute("aria-busy") === "true") list.textContent = "";
    }, PASSAGE_WAIT);
    var more = document.getElementById("search-more");
    if (more) more.remove();
    if (!q.terms.length) {
      list.textContent = "";
      list.removeAttribute("aria-busy");
      status.textContent = query.trim() ? "请输入汉字、字母或数字。" : "请输入检索词。";
      list.setAttribute("data-state", "done");
      return;
    }
    status.textContent = "正在检索…";
    docs().then(function (index) { return search(index, q.terms); }).then(function (found) {
      if (my !== seq) return;
      if (year) found = found.filter(function (h) { return String(h.d[3]) === year; });
      var shown = 0, listed = -1;
      // The first page of results goes on screen whole, its passages in
      // place (the previous query's results stay until then): one layout,
      // and nothing moves under the reader's eyes. Only when the pages are
      // slow to come does the list go first, after PASSAGE_WAIT ms, each
      // passage filling in as it comes. Later pages (显示更多结果) go below
      // it at once, in order.
      function page() {
        var items = found.slice(shown, shown + PER_PAGE).map(function (d) { return item(d, q, my); });
        var lis = items.map(function (it) { return it.li; });
        var done = Promise.all(items.map(function (it) { return it.done; }));
        var first = shown === 0;
        shown += items.length;
        if (!first) {
          list.append.apply(list, lis);
          return done;
        }
        var revealed = false, wait = setTimeout(reveal, PASSAGE_WAIT);
        function reveal() {
          if (revealed || my !== seq) return;
          revealed = true;
          clearTimeout(wait);
          listed = performance.now() - t0;
          status.textContent = foundText(found.length, query) + "。";
          // textContent and append rather than replaceChildren (Chromium
          // 86+): one task, so still one layout.
          list.textContent = "";
          list.append.apply(list, lis);
          list.removeAttribute("aria-busy");
        }
        return done.then(reveal);
      }
      return page().then(function () {
        if (my !== seq) return;
        window.biaoganSearchTiming = { query: query, listed: listed, passages: performance.now() - t0 };
        list.setAttribute("data-state", "done");
        if (shown < found.length) {
          var b = document.createElement("button");
          b.id = "search-more";
          b.type = "button";
          b.textContent = "显示更多结果";
          b.addEventListener("click", function () {
            var from = shown;
            page();
            // The reader goes on at the first new result, and hears how
            // many are shown; the button goes once all are.
            var next = list.children[from] && list.children[from].querySelector("a");
            if (next) next.focus();
            status.textContent = foundText(found.length, query) + "，已显示 " + shown + " 条。";
            if (shown >= found.length) b.remove();
          });
          list.after(b);
        }
      });
    }).catch(function () {
      if (my !== seq) return;
      list.textContent = "";
      list.removeAttribute("aria-busy");
      status.textContent = "检索索引加载失败，请刷新页面重试。";
      list.setAttribute("data-state", "done");
    });
  }

  var timer = 0, composing = false, header = document.getElementById("site-search-q");
  // While an input method composes (pinyin letters in the box), nothing is
  // searched: the word is, once chosen.
  input.addEventListener("compositionstart", function () { composing = true; });
  input.addEventListener("compositionend", function () { composing = false; typed(); });
  input.addEventListener("input", function (e) {
    if (!composing && !e.isComposing) typed();
  });
  function typed() {
    if (header) header.value = input.value;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(location.href);
      url.searchParams.set("q", input.value);
      history.replaceState(null, "", url);
      show(input.value);
    // Keystrokes of one burst (a paste, an input method's word) make one
    // query; typing is far slower than this, so no query waits.
    }, 0);
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    show(input.value);
  });

  var initial = new URLSearchParams(location.search).get("q") || "";
  input.value = initial;
  if (header) header.value = initial;
  // The year choice is made before the first results are filtered by it;
  // should the document list fail to load, show() says so.
  docs().then(yearChoice).catch(function () {});
  show(initial);
})();
