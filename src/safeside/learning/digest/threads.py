"""Rebuilding conversations from imported posts.

Three sources of structure, best first:

1. **reply-to ids** (an importer's ``reply_to``; X ``in_reply_to_status_id``,
   Mastodon ``inReplyTo``): a reply joins its parent's thread, chains included;
2. **conversation ids** (``Post.thread``): posts sharing one are one thread, and a
   thread id that is another post's id makes that post the root;
3. **time-gap sessions**, when the posts carry neither (a chat transcript): posts less
   than :data:`SESSION_GAP` apart are one session; inside it a tweet-chat question
   (``Q1 …``) starts a thread, later posts join the latest question, and answers
   (``A2 …``) join their own question.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from safeside.ingest import Post
from safeside.learning.digest.model import Thread
from safeside.learning.digest.posts import handle_of, reply_to_of
from safeside.learning.digest.text import CHAT_MARKER, has_hashtag

SESSION_GAP = timedelta(minutes=45)


class _Groups:
    """Union-find over post ids and outside keys (``t:…``)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _structured(posts: dict[str, Post]) -> list[list[str]]:
    groups = _Groups()
    for pid, post in posts.items():
        groups.find(pid)
        for link in (reply_to_of(post), post.thread):
            if link and link != pid:
                groups.union(pid, link if link in posts else f"t:{link}")
    members: dict[str, list[str]] = defaultdict(list)
    for pid in posts:  # posts are in time order, so each group is too
        members[groups.find(pid)].append(pid)
    return list(members.values())


def _sessions(posts: dict[str, Post]) -> list[list[str]]:
    threads: list[list[str]] = []
    questions: dict[str, list[str]] = {}
    current: list[str] | None = None
    last = None
    for pid, post in posts.items():
        if last is None or post.timestamp is None or post.timestamp - last > SESSION_GAP:
            questions, current = {}, None
        last = post.timestamp or last
        marker = CHAT_MARKER.match(post.text)
        kind, number = (marker.group(1).upper(), marker.group(2)) if marker else ("", "")
        if kind == "Q":
            current = [pid]
            questions[number] = current
            threads.append(current)
        elif kind == "A" and number in questions:
            questions[number].append(pid)
        elif current is not None:
            current.append(pid)
        else:
            current = [pid]
            threads.append(current)
    return threads


def _is_root(pid: str, posts: dict[str, Post]) -> bool:
    post = posts[pid]
    return reply_to_of(post) not in posts and (
        post.thread in (None, pid) or post.thread not in posts
    )


def _thread(ids: list[str], posts: dict[str, Post]) -> Thread:
    root = next((pid for pid in ids if _is_root(pid, posts)), ids[0])
    people = dict.fromkeys(handle_of(posts[pid]) for pid in ids)
    return Thread(root=root, replies=tuple(p for p in ids if p != root), participants=tuple(people))


def build_threads(posts: dict[str, Post]) -> list[Thread]:
    """The conversations in ``posts`` (keyed and in time order), in order of their first post."""
    structured = any(reply_to_of(p) or p.thread for p in posts.values())
    groups = _structured(posts) if structured else _sessions(posts)
    return [_thread(ids, posts) for ids in groups]


def with_hashtag(threads: list[Thread], posts: dict[str, Post], tag: str) -> list[Thread]:
    """The threads where any post uses ``#tag`` (any capitals); their replies come along."""
    return [
        thread
        for thread in threads
        if any(has_hashtag(posts[pid].text, tag) for pid in (thread.root, *thread.replies))
    ]
