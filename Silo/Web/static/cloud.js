// The live word cloud of one topic. The server pushes the top words, rising words, stats and newest posts over
// server-sent events whenever the window changes; EventSource reconnects by itself when the silo goes away and comes back.
// Every value from the server is written with textContent or as an attribute, never as HTML.
"use strict";

const svgNs = "http://www.w3.org/2000/svg";
const relayoutInterval = 1500; // ms: at most one new layout this often, so words do not jump around on every post
const topic = decodeURIComponent(window.location.pathname.split("/")[2] || "");
const svg = document.getElementById("cloud");
const statusLine = document.getElementById("status");
const topInput = document.getElementById("top");
const shown = new Map(); // word -> its <text> element, so words that stay are moved, not redrawn
const risingColour = "#00796b"; // the --rising of app.css
let rising = new Map(); // word -> its rising entry ({word, count, baseline, score}) in the latest push

let source = null;
let latest = null;
let lastLayout = 0;
let layoutTimer = null;
let layoutSignature = "";

document.getElementById("topic-title").textContent = `#${topic}`;
document.title = `OrleansCloud: #${topic}`;
const initialTop = Number(new URLSearchParams(window.location.search).get("top"));
if (initialTop >= 1 && initialTop <= 1000) topInput.value = String(initialTop);

function setStatus(state, text) {
  statusLine.dataset.state = state;
  statusLine.textContent = text;
}

function connect() {
  if (source) source.close();
  const top = topInput.value;
  source = new EventSource(`/api/topics/${encodeURIComponent(topic)}/events?top=${encodeURIComponent(top)}`);
  source.addEventListener("open", () => setStatus("live", "Live"));
  source.addEventListener("cloud", event => {
    setStatus("live", "Live");
    latest = JSON.parse(event.data);
    render(latest);
  });
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED) {
      explainRefusal();
    } else {
      setStatus("reconnecting", "Connection lost; reconnecting…");
    }
  });
}

// The events endpoint refused the request (a topic with no posts yet, a bad topic or count): ask the JSON API why and
// show its words.
async function explainRefusal() {
  try {
    const response = await fetch(`/api/topics/${encodeURIComponent(topic)}/cloud?top=${encodeURIComponent(topInput.value)}`);
    if (response.status === 404) {
      // A topic with no posts yet: wait for its first, asking again now and then.
      setStatus("waiting", `No posts about #${topic} yet; waiting for the first…`);
      setTimeout(connect, 3000);
      return;
    }
    if (!response.ok) {
      const problem = await response.json();
      setStatus("error", problem.detail || problem.title || `HTTP ${response.status}`);
      return;
    }
  } catch (failure) {
    setStatus("reconnecting", `Connection lost (${failure.message}); retrying…`);
  }
  setTimeout(connect, 2000);
}

function render(view) {
  document.getElementById("fill").textContent = `${view.count} / ${view.capacity} posts (${Math.round(100 * view.count / view.capacity)}%)`;
  document.getElementById("rate").textContent = formatRate(view.posts_per_second);
  document.getElementById("total").textContent = String(view.total_appended);
  document.getElementById("distinct").textContent = String(view.distinct_words);
  renderPosts(view.newest_posts);
  renderRising(view.rising || []);
  scheduleLayout();
}

// The rising words, listed with their change from baseline to count; the words of the cloud are marked at once,
// without waiting for the next layout (the counts, and so the layout, may not have changed).
function renderRising(words) {
  rising = new Map(words.map(word => [word.word, word]));
  const list = document.getElementById("rising");
  list.replaceChildren(...words.map(word => {
    const item = document.createElement("li");
    item.dataset.word = word.word;
    item.title = `score ${word.score}`;
    const name = document.createElement("span");
    name.className = "word";
    name.textContent = word.word;
    name.dir = "auto";
    const change = document.createElement("span");
    change.className = "change";
    change.textContent = `↑ ${formatBaseline(word.baseline)} → ${word.count}`;
    item.append(name, " ", change);
    return item;
  }));
  document.getElementById("rising-none").hidden = words.length > 0;
  for (const [text, element] of shown) mark(element, text);
}

// A baseline is the older half's count scaled to the newer half's size: one decimal at most.
function formatBaseline(baseline) {
  return String(Math.round(baseline * 10) / 10);
}

// Colours a word of the cloud, and says in data-rising (which the stylesheet underlines) whether it is rising.
function mark(element, text) {
  const entry = rising.get(text);
  element.dataset.rising = entry ? "true" : "false";
  element.style.fill = entry ? risingColour : shade(Number(element.dataset.weight));
  element.firstChild.textContent = entry
    ? `${text}: ${element.dataset.count} (rising: ↑ ${formatBaseline(entry.baseline)} → ${entry.count})`
    : `${text}: ${element.dataset.count}`;
}

// Posts per second over the last minute, with two significant digits below 10 so that a slow feed (a post every
// few seconds, or minutes) reads as its rate rather than as 0.0.
function formatRate(rate) {
  if (rate === 0) return "0";
  return rate >= 10 ? rate.toFixed(0) : rate.toPrecision(2);
}

function renderPosts(posts) {
  const list = document.getElementById("posts");
  list.replaceChildren(...posts.slice().reverse().map(post => {
    const item = document.createElement("li");
    item.className = "post";
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = post.text;
    // Each post is its own bidirectional island: an override or isolate left open in one cannot reverse what follows.
    text.dir = "auto";
    item.append(text);
    if (post.author) {
      const author = document.createElement("span");
      author.className = "author";
      author.textContent = `@${post.author}`;
      author.dir = "auto";
      item.append(author);
    }
    return item;
  }));
}

function scheduleLayout() {
  const wait = Math.max(0, lastLayout + relayoutInterval - Date.now());
  if (layoutTimer === null) {
    layoutTimer = setTimeout(() => {
      layoutTimer = null;
      lastLayout = Date.now();
      layout(latest.words);
    }, wait);
  }
}

// A seeded generator, restarted for every layout: the same words give the same places, and a small change in
// the counts moves few words, since the biggest words are placed first.
function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function layout(words) {
  const signature = words.map(word => `${word.word}:${word.count}`).join("|");
  if (signature === layoutSignature) return;
  layoutSignature = signature;
  const width = svg.clientWidth || 800;
  const height = svg.clientHeight || 500;
  const max = words.length > 0 ? words[0].count : 1;
  const min = words.length > 0 ? words[words.length - 1].count : 1;
  const biggest = Math.max(24, Math.min(96, width / 8));
  const size = count => max === min ? (biggest + 14) / 2 : 14 + (biggest - 14) * Math.sqrt((count - min) / (max - min));
  d3.layout.cloud()
    .size([width, height])
    .words(words.map(word => ({ text: word.word, count: word.count, size: size(word.count) })))
    .padding(3)
    .rotate(() => 0)
    .font("system-ui, sans-serif")
    .fontSize(word => word.size)
    .random(seeded(1234567))
    .on("end", placed => draw(placed, width, height))
    .start();
}

function draw(placed, width, height) {
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const max = placed.length > 0 ? Math.max(...placed.map(word => word.count)) : 1;
  const keep = new Set();
  for (const word of placed) {
    keep.add(word.text);
    let element = shown.get(word.text);
    const transform = `translate(${width / 2 + word.x}px, ${height / 2 + word.y}px)`;
    if (!element) {
      element = document.createElementNS(svgNs, "text");
      element.setAttribute("text-anchor", "middle");
      element.style.opacity = "0";
      element.style.transform = transform;
      const tooltip = document.createElementNS(svgNs, "title");
      element.append(tooltip);
      element.append(document.createTextNode(word.text));
      svg.append(element);
      shown.set(word.text, element);
      requestAnimationFrame(() => { element.style.opacity = "1"; });
    }
    element.classList.remove("leaving");
    element.dataset.word = word.text;
    element.dataset.count = String(word.count);
    element.dataset.weight = String(word.count / max);
    mark(element, word.text);
    element.style.fontSize = `${word.size}px`;
    element.style.fontFamily = "system-ui, sans-serif";
    element.style.transform = transform;
    element.style.opacity = "1";
  }
  for (const [text, element] of shown) {
    if (!keep.has(text)) {
      shown.delete(text);
      element.classList.add("leaving");
      element.style.opacity = "0";
      setTimeout(() => element.remove(), 1000);
    }
  }
}

function shade(weight) {
  const light = Math.round(55 - 30 * weight);
  return `hsl(22, 70%, ${light}%)`;
}

document.getElementById("settings").addEventListener("submit", event => event.preventDefault());
topInput.addEventListener("change", () => {
  const top = Number(topInput.value);
  if (!(top >= 1 && top <= 1000)) {
    setStatus("error", "Words shown must be between 1 and 1000.");
    return;
  }
  const url = new URL(window.location.href);
  url.searchParams.set("top", String(top));
  window.history.replaceState(null, "", url);
  layoutSignature = "";
  connect();
});

connect();
