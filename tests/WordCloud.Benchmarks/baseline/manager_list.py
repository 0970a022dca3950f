#!/usr/bin/env python3
"""The design OrleansCloud replaces, as a baseline: one process pushes posts into a fixed-length list shared through
multiprocessing.Manager (delete the oldest, append the newest), another copies the list every period and counts its
words with collections.Counter. Standard library only. Prints one JSON object with what it measured.

Written for OrleansCloud's benchmarks (tests/WordCloud.Benchmarks); same licence as the repository.
"""
import argparse
import collections
import json
import multiprocessing
import re
import time

WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def produce(shared, posts, capacity, seconds, produced):
    started = time.perf_counter()
    count = 0
    while True:
        for text in posts:
            if len(shared) >= capacity:
                del shared[0]
            shared.append(text)
            count += 1
            if count % 256 == 0 and time.perf_counter() - started >= seconds:
                produced.value = count
                return


def scan(shared, stop, period, scans, scan_seconds):
    while not stop.is_set():
        started = time.perf_counter()
        snapshot = list(shared)
        counts = collections.Counter(word for text in snapshot for word in WORD.findall(text.lower()))
        counts.most_common(50)
        scan_seconds.value += time.perf_counter() - started
        scans.value += 1
        stop.wait(period)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", required=True, help="file with one post per line")
    parser.add_argument("--capacity", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--scan-period", type=float, default=1.0)
    args = parser.parse_args()
    with open(args.posts, encoding="utf-8") as source:
        posts = [line.rstrip("\n") for line in source if line.strip()]

    with multiprocessing.Manager() as manager:
        shared = manager.list()
        produced = multiprocessing.Value("q", 0)
        scans = multiprocessing.Value("q", 0)
        scan_seconds = multiprocessing.Value("d", 0.0)
        stop = multiprocessing.Event()
        scanner = multiprocessing.Process(target=scan, args=(shared, stop, args.scan_period, scans, scan_seconds))
        producer = multiprocessing.Process(target=produce, args=(shared, posts, args.capacity, args.seconds, produced))
        scanner.start()
        started = time.perf_counter()
        producer.start()
        producer.join()
        elapsed = time.perf_counter() - started
        stop.set()
        scanner.join()
        print(json.dumps({
            "posts": produced.value,
            "seconds": round(elapsed, 3),
            "posts_per_second": round(produced.value / elapsed, 1),
            "scans": scans.value,
            "scan_ms": round(1000 * scan_seconds.value / max(1, scans.value), 3),
        }))


if __name__ == "__main__":
    main()
