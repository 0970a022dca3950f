// The topics page: lists the topics that have posts, refreshed every 5 s, and opens any topic's cloud.
// Every value from the server is written with textContent, never as HTML.
"use strict";

const topicRule = /^[a-z0-9_]{1,64}$/;

function normalise(raw) {
  let topic = raw.trim();
  if (topic.startsWith("#")) topic = topic.slice(1);
  return topic.toLowerCase();
}

async function refreshTopics() {
  const list = document.getElementById("topics");
  const status = document.getElementById("topics-status");
  try {
    const response = await fetch("/api/topics", { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const topics = await response.json();
    list.replaceChildren(...topics.map(entry => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `/cloud/${encodeURIComponent(entry.topic)}`;
      link.textContent = `#${entry.topic}`;
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = `${entry.count} / ${entry.capacity} posts`;
      item.append(link, count);
      return item;
    }));
    // The list is paged (the first 100 by posts held); the total says how many there are in all.
    const total = Number(response.headers.get("X-Total-Count") || topics.length);
    status.textContent = topics.length === 0 ? "No topic has posts yet: start a producer."
      : total > topics.length ? `The ${topics.length} topics with the most posts, of ${total}.` : "";
  } catch (failure) {
    status.textContent = `Cannot list topics (${failure.message}); retrying.`;
  }
}

document.getElementById("open-topic").addEventListener("submit", event => {
  event.preventDefault();
  const topic = normalise(document.getElementById("topic-input").value);
  const error = document.getElementById("topic-error");
  if (!topicRule.test(topic)) {
    error.textContent = "A topic is 1 to 64 characters from a-z, 0-9 and '_', optionally after one '#'.";
    error.hidden = false;
    return;
  }
  window.location.assign(`/cloud/${encodeURIComponent(topic)}`);
});

refreshTopics();
setInterval(refreshTopics, 5000);
