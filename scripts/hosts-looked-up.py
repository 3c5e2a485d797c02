#!/usr/bin/env python3
"""List the host names a traced install looked up, to check it only talks to package registries.

Usage:
    strace -f --seccomp-bpf -e trace=connect,sendto,sendmmsg -s 300 -o TRACE <command>
    python3 scripts/hosts-looked-up.py TRACE [ALLOWED_HOST ...]

Reads the DNS queries in the trace (glibc's resolver sends them with sendto/sendmmsg) and prints
each name with its count. With ALLOWED_HOST arguments, exits 1 when any other name was looked up.
"""

from __future__ import annotations

import re
import sys
from collections import Counter

# A C-escaped buffer as strace prints it: "...\10registry\5npmjs\3org\0..."
BUFFER = re.compile(r'iov_base="((?:[^"\\]|\\.)*)"|sendto\(\d+, "((?:[^"\\]|\\.)*)"')
ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{2})|(.))")
NAMED = {"n": 10, "t": 9, "r": 13, "v": 11, "f": 12, "\\": 92, '"': 34}


def unescape(text: str) -> bytes:
    """strace's C escapes back to the bytes that were sent."""
    out = bytearray()
    pos = 0
    for match in ESCAPE.finditer(text):
        out += text[pos : match.start()].encode("latin-1")
        octal, hexa, char = match.groups()
        out.append(int(octal, 8) if octal else int(hexa, 16) if hexa else NAMED.get(char, ord(char)))
        pos = match.end()
    out += text[pos:].encode("latin-1")
    return bytes(out)


def query_name(packet: bytes) -> str | None:
    """The question name of a DNS query packet (header is 12 bytes), or None when it is not one."""
    if len(packet) < 17 or packet[2] & 0x80:  # too short, or a response
        return None
    labels, pos = [], 12
    while pos < len(packet) and packet[pos]:
        size = packet[pos]
        if size > 63 or pos + 1 + size > len(packet):
            return None
        labels.append(packet[pos + 1 : pos + 1 + size].decode("ascii", "replace"))
        pos += 1 + size
    return ".".join(labels) or None


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    names: Counter[str] = Counter()
    with open(argv[1], encoding="latin-1") as trace:
        for line in trace:
            if "sendto(" not in line and "sendmmsg(" not in line:
                continue
            for match in BUFFER.finditer(line):
                name = query_name(unescape(match.group(1) or match.group(2) or ""))
                if name:
                    names[name] += 1
    for name, count in sorted(names.items()):
        print(f"{count:6} {name}")
    allowed = set(argv[2:])
    unexpected = sorted(set(names) - allowed) if allowed else []
    if unexpected:
        print("looked up outside the allowed hosts: " + ", ".join(unexpected), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
