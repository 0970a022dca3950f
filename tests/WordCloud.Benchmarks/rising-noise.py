#!/usr/bin/env python3
"""How many words of a steady feed a rising-words score lists by chance (docs/rising.md, "Why these constants").

20 full windows of 1,000 posts, each post 8 words drawn from 200 words with Zipf's weights at rates that never
change; for each window, the words with at least 3 occurrences in the newer half whose score passes each threshold,
under the first score of the feature and the one the window uses. Prints min-max over the windows.
    python3 tests/WordCloud.Benchmarks/rising-noise.py
"""
import math
import random

WORDS, POSTS, WORDS_PER_POST, WINDOWS, PRIOR, MIN_SUPPORT = 200, 1000, 8, 20, 2, 3
THRESHOLDS = (1, 2, 2.5, 3)


def first_score(count, baseline, newer, older):
    return (count - baseline) / math.sqrt(baseline + PRIOR)


def score(count, baseline, newer, older):
    return (count - baseline) / math.sqrt(count + baseline * newer / older + PRIOR)


def listed(posts, scoring):
    newer_posts = posts[len(posts) - (len(posts) + 1) // 2:]
    older_posts = posts[:len(posts) - (len(posts) + 1) // 2]
    newer, older = [0] * WORDS, [0] * WORDS
    for post in newer_posts:
        for word in post:
            newer[word] += 1
    for post in older_posts:
        for word in post:
            older[word] += 1
    n, o = len(newer_posts), len(older_posts)
    counts = {}
    for threshold in THRESHOLDS:
        counts[threshold] = sum(
            1 for word in range(WORDS)
            if newer[word] >= MIN_SUPPORT and scoring(newer[word], older[word] * n / o, n, o) >= threshold)
    return counts


def main():
    random.seed(20261203)
    weights = [1 / rank for rank in range(1, WORDS + 1)]
    results = {"first score": [], "score": []}
    for _ in range(WINDOWS):
        posts = [random.choices(range(WORDS), weights=weights, k=WORDS_PER_POST) for _ in range(POSTS)]
        results["first score"].append(listed(posts, first_score))
        results["score"].append(listed(posts, score))
    for name, runs in results.items():
        print(name + ": " + "; ".join(
            f"at {threshold}: {min(run[threshold] for run in runs)}-{max(run[threshold] for run in runs)} listed"
            for threshold in THRESHOLDS))


if __name__ == "__main__":
    main()
