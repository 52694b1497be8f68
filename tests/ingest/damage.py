"""Builders for damaged and hostile inputs, made in ``tmp_path`` so the repo holds no blobs.

:func:`build_export` writes an export of N records in any JSON, JSON Lines or CSV format
with each record's byte span, so a test can damage one record and check the others.
"""

from __future__ import annotations

import io
import json
import struct
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIB = 1 << 20


def tweet(n: int, text: str | None = None) -> dict[str, Any]:
    """A modern ``tweets.js`` record, with the nested entities real tweets carry."""
    mentions = [
        {"name": f"Friend {i}", "screen_name": f"f{i}", "id_str": str(i)} for i in (1, 2, 3)
    ]
    return {
        "tweet": {
            "id_str": str(1000 + n),
            "full_text": text if text is not None else f"tweet number {n}",
            "created_at": "Wed Jun 05 13:45:22 +0000 2024",
            "entities": {"user_mentions": mentions, "urls": [], "hashtags": [{"text": "work"}]},
        }
    }


def json_array(records: list[Any], *, indent: int | None = 2, prologue: str = "") -> str:
    """Records as a JSON array, one after another, as exporters write them."""
    return prologue + json.dumps(records, indent=indent, ensure_ascii=False)


def tweets_js(records: list[Any]) -> str:
    return json_array(records, prologue="window.YTD.tweets.part0 = ")


def zip_with(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def flip_bit_in_entry(path: Path, name: str, *, at: float = 0.5) -> None:
    """Flip one bit in the stored (compressed) bytes of one zip entry."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    data = bytearray(path.read_bytes())
    local = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[local + 26 : local + 30])
    start = local + 30 + name_len + extra_len
    data[start + int(info.compress_size * at)] ^= 0x10
    path.write_bytes(bytes(data))


def tar_gz_bomb(path: Path, size: int = 1 << 30, name: str = "notes.txt") -> Path:
    """A ``.tar.gz`` holding ``size`` bytes of NULs in about ``size / 1000`` bytes.

    After a full flush deflate starts afresh, so every MiB of NULs compresses to the same
    bytes: the file is written by repeating them, never holding the whole thing.
    """
    info = tarfile.TarInfo(name)
    info.size = size
    header = info.tobuf(format=tarfile.GNU_FORMAT)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes(MIB)
    tail = (-size) % 512 + 1024
    tail += (-(len(header) + size + tail)) % 10240
    crc = zlib.crc32(header)
    with path.open("wb") as out:
        out.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")
        out.write(deflate.compress(header) + deflate.flush(zlib.Z_FULL_FLUSH))
        zeros = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
        for _ in range(size // MIB):
            out.write(zeros)
            crc = zlib.crc32(block, crc)
        out.write(deflate.compress(bytes(tail)) + deflate.flush())
        crc = zlib.crc32(bytes(tail), crc)
        total = len(header) + size + tail
        out.write(struct.pack("<II", crc & 0xFFFFFFFF, total & 0xFFFFFFFF))
    return path


def tar_with(path: Path, entries: dict[str, bytes], mode: str = "w:gz") -> Path:
    with tarfile.open(path, mode) as archive:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


# -- exports of N records, for damaging one record's span --------------------------

WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
    "sierra",
    "tango",
    "uniform",
    "victor",
    "whiskey",
    "xray",
    "yankee",
    "zulu",
]


def text_of_record(n: int) -> str:
    """A post text no single damaged record can turn into another's."""
    word = WORDS[n % len(WORDS)]
    return f"record {n:03d} {word} {word[::-1]} café"


@dataclass(frozen=True)
class Export:
    """A built export: its file name, bytes, each record's byte span and expected text."""

    name: str
    data: bytes
    spans: list[tuple[int, int]]
    texts: list[str]
    keys: frozenset[str]


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _assemble(
    name: str, prefix: str, bodies: list[str], suffix: str, sep: str, keys: set[str], n: int
) -> Export:
    spans: list[tuple[int, int]] = []
    out = bytearray(prefix.encode())
    for i, body in enumerate(bodies):
        if i:
            out += sep.encode()
        start = len(out)
        out += body.encode()
        spans.append((start, len(out)))
    out += suffix.encode()
    return Export(name, bytes(out), spans, [text_of_record(i) for i in range(n)], frozenset(keys))


def _stamp(n: int) -> str:
    return f"2024-03-{1 + n % 28:02d}T{n % 24:02d}:15:00Z"


def _epoch(n: int) -> int:
    return 1_700_000_000 + n * 3600


def _json_export(
    name: str, records: list[Any], prefix: str = "", suffix: str = "", pretty: bool = True
) -> Export:
    bodies = [json.dumps(r, indent=2 if pretty else None, ensure_ascii=False) for r in records]
    container = prefix.partition("=")[2] if "=" in prefix else prefix  # e.g. '{"messages": '
    keys = _keys(records) | _keys(json.loads(container + "[]" + suffix))
    return _assemble(name, prefix + "[\n", bodies, "\n]" + suffix, ",\n", keys, len(records))


def _mentions(n: int) -> list[dict[str, Any]]:
    return [{"id": str(90 + i), "name": f"friend {i}", "nickname": f"f{i}"} for i in range(3)]


def build_export(fmt: str, n: int, pretty: bool = True) -> Export:
    """An export in format ``fmt`` holding ``n`` records (see ``FORMATS``)."""
    t = text_of_record
    if fmt == "json":
        records: list[Any] = [
            {
                "id": i,
                "text": t(i),
                "author": f"user{i}",
                "timestamp": _stamp(i),
                "meta": {"likes": i},
            }
            for i in range(n)
        ]
        return _json_export("posts.json", records, pretty=pretty)
    if fmt == "tweets.js":
        return _json_export(
            "tweets.js",
            [tweet(i, t(i)) for i in range(n)],
            "window.YTD.tweets.part0 = ",
            "",
            pretty,
        )
    if fmt == "twitter-dm":
        records = [
            {
                "dmConversation": {
                    "conversationId": f"1-{i}",
                    "messages": [
                        {
                            "messageCreate": {
                                "id": str(500 + i),
                                "senderId": "1",
                                "text": t(i),
                                "createdAt": _stamp(i),
                                "mediaUrls": [],
                            }
                        }
                    ],
                }
            }
            for i in range(n)
        ]
        return _json_export(
            "direct-messages.js", records, "window.YTD.direct_messages.part0 = ", "", pretty
        )
    if fmt == "facebook":
        records = [
            {
                "timestamp": _epoch(i),
                "attachments": [{"data": [{"media": {"uri": f"photos/{i}.jpg"}}]}],
                "data": [{"post": t(i)}],
                "title": "Me updated my status.",
            }
            for i in range(n)
        ]
        return _json_export("your_posts_1.json", records, pretty=pretty)
    if fmt == "facebook-comments":
        records = [
            {
                "timestamp": _epoch(i),
                "data": [{"comment": {"timestamp": _epoch(i), "comment": t(i), "author": "Me"}}],
                "title": "Me commented on a post.",
            }
            for i in range(n)
        ]
        return _json_export("comments.json", records, '{"comments_v2": ', "}", pretty)
    if fmt == "messenger":
        records = [
            {
                "sender_name": "Sam",
                "timestamp_ms": _epoch(i) * 1000,
                "content": t(i),
                "reactions": [{"reaction": "x", "actor": "Alex"}, {"reaction": "y", "actor": "Jo"}],
            }
            for i in range(n)
        ]
        prefix = '{"participants": [{"name": "Sam"}, {"name": "Alex"}], "messages": '
        return _json_export("message_1.json", records, prefix, ', "title": "Sam"}', pretty)
    if fmt == "instagram":
        records = [
            {
                "media": [{"uri": f"media/{i}.jpg", "creation_timestamp": _epoch(i), "title": ""}],
                "title": t(i),
                "creation_timestamp": _epoch(i),
            }
            for i in range(n)
        ]
        return _json_export("posts_1.json", records, pretty=pretty)
    if fmt == "instagram-comments":
        records = [
            {
                "string_map_data": {
                    "Comment": {"value": t(i)},
                    "Media Owner": {"value": "friend"},
                    "Time": {"timestamp": _epoch(i)},
                }
            }
            for i in range(n)
        ]
        return _json_export("post_comments_1.json", records, pretty=pretty)
    if fmt == "telegram":
        records = [
            {
                "id": i + 1,
                "type": "message",
                "date": _stamp(i)[:-1],
                "date_unixtime": str(_epoch(i)),
                "from": "Sam",
                "from_id": "user1",
                "text": t(i),
                "text_entities": [{"type": "plain", "text": t(i)}],
            }
            for i in range(n)
        ]
        prefix = '{"name": "Sam", "type": "personal_chat", "id": 7, "messages": '
        return _json_export("result.json", records, prefix, "}", pretty)
    if fmt == "discord":
        records = [
            {
                "id": str(1000 + i),
                "type": "Default",
                "timestamp": _stamp(i),
                "content": t(i),
                "author": {"id": "9", "name": "Sam", "nickname": "Sam"},
                "attachments": [],
                "mentions": _mentions(i),
            }
            for i in range(n)
        ]
        prefix = (
            '{"guild": {"id": "1", "name": "G"}, '
            '"channel": {"id": "2", "type": "GuildTextChat", "name": "general"}, "messages": '
        )
        return _json_export("chat.json", records, prefix, f', "messageCount": {n}}}', pretty)
    if fmt == "mastodon":
        public = "https://www.w3.org/ns/activitystreams#Public"
        records = [
            {
                "id": f"https://social.example/{i}/activity",
                "type": "Create",
                "published": _stamp(i),
                "to": [public],
                "object": {
                    "id": f"https://social.example/{i}",
                    "type": "Note",
                    "content": f"<p>{t(i)}</p>",
                    "published": _stamp(i),
                    "to": [public],
                    "tag": [{"type": "Hashtag", "name": "#work"}],
                },
            }
            for i in range(n)
        ]
        prefix = '{"type": "OrderedCollection", "totalItems": 1, "orderedItems": '
        return _json_export("outbox.json", records, prefix, "}", pretty)
    if fmt == "jsonl":
        records = [{"id": i, "text": t(i), "author": f"user{i}"} for i in range(n)]
        bodies = [json.dumps(r, ensure_ascii=False) for r in records]
        return _assemble("posts.jsonl", "", bodies, "\n", "\n", _keys(records), n)
    if fmt == "csv":
        rows = [f'{i},"{t(i)}, with a comma",user{i},{_stamp(i)}' for i in range(n)]
        export = _assemble(
            "posts.csv",
            "id,text,author,date\n",
            rows,
            "\n",
            "\n",
            {"id", "text", "author", "date"},
            n,
        )
        return Export(
            export.name,
            export.data,
            export.spans,
            [f"{x}, with a comma" for x in export.texts],
            export.keys,
        )
    if fmt == "discord-csv":
        rows = [f"{2000 + i},{_stamp(i)},{t(i)},https://cdn.example/{i}.png" for i in range(n)]
        header = "ID,Timestamp,Contents,Attachments\n"
        return _assemble(
            "messages.csv",
            header,
            rows,
            "\n",
            "\n",
            {"ID", "Timestamp", "Contents", "Attachments"},
            n,
        )
    raise ValueError(fmt)


#: Every reader that parses JSON, JSON Lines or CSV records.
FORMATS = (
    "json",
    "jsonl",
    "tweets.js",
    "twitter-dm",
    "facebook",
    "facebook-comments",
    "messenger",
    "instagram",
    "instagram-comments",
    "telegram",
    "discord",
    "mastodon",
    "csv",
    "discord-csv",
)
