#!/usr/bin/env python3
"""Adds Debian 12 package rows to data/debian-packages.toml.

Usage: scripts/debian-packages.py [PACKAGE ...]

Run on a Debian 12 (bookworm) amd64 machine after `apt-get update`. Adds a
row for every package named on the command line, for every package a row
of the table depends on or recommends that has no row yet, and for every
Debian package of data/runtime-libraries.toml that the table does not know
(names that are Debian 13 renames belong in [aliases], not here), with the
closure of their Depends, Pre-Depends and Recommends. Existing rows are
kept as they are. Rows use the file's format: `kb` = Installed-Size (KiB),
`dl` = .deb size, `v` = version, `d` = Pre-Depends and Depends with
alternatives resolved to the first installable one, `r` = Recommends,
edges to the minbase set left out.
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "data" / "debian-packages.toml"
LIBS = ROOT / "data" / "runtime-libraries.toml"

_show_cache = {}
_provides = None


def provides():
    """Virtual package name -> the real packages that provide it."""
    global _provides
    if _provides is None:
        _provides = {}
        out = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True).stdout
        for block in out.split("\n\n"):
            name = re.search(r"^Package: (\S+)", block, re.M)
            prov = re.search(r"^Provides: (.+)$", block, re.M)
            if name and prov:
                for p in prov.group(1).split(","):
                    v = p.strip().split(" ")[0]
                    _provides.setdefault(v, [])
                    if name.group(1) not in _provides[v]:
                        _provides[v].append(name.group(1))
    return _provides


def show(name):
    """The candidate version's fields, or None when there is no such package."""
    if name in _show_cache:
        return _show_cache[name]
    out = subprocess.run(
        ["apt-cache", "show", "--no-all-versions", name], capture_output=True, text=True
    ).stdout
    fields = {}
    key = None
    for line in out.splitlines():
        if not line:
            break
        if line.startswith(" ") and key:
            fields[key] += " " + line.strip()
            continue
        if ":" in line:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    result = fields if fields.get("Package") == name else None
    _show_cache[name] = result
    return result


def resolve(alternatives, minbase):
    """The first installable alternative of `a | b | c` (a provider for a virtual name)."""
    for alt in alternatives.split("|"):
        name = alt.strip().split(" ")[0].split(":")[0]
        if not name:
            continue
        if name in minbase:
            return name
        for p in provides().get(name, []):
            if p in minbase:
                return p
        if show(name):
            return name
        for p in provides().get(name, []):
            if p in minbase or show(p):
                return p
    return None


def edges(field, minbase):
    out = []
    for group in (field or "").split(","):
        if not group.strip():
            continue
        name = resolve(group, minbase)
        if name and name not in minbase and name not in out:
            out.append(name)
    return out


def row(name, fields, minbase):
    d = edges(", ".join(filter(None, [fields.get("Pre-Depends"), fields.get("Depends")])), minbase)
    r = [x for x in edges(fields.get("Recommends"), minbase) if x not in d]
    parts = [f'kb = {int(fields.get("Installed-Size", "0"))}', f'dl = {int(fields.get("Size", "0"))}', f'v = "{fields.get("Version", "")}"']
    if d:
        parts.append("d = [" + ", ".join(f'"{x}"' for x in sorted(d)) + "]")
    if r:
        parts.append("r = [" + ", ".join(f'"{x}"' for x in sorted(r)) + "]")
    parts.append('src = "deb12"')
    return f'"{name}" = {{ ' + ", ".join(parts) + " }", d + r


def main():
    text = TABLE.read_text()
    table = tomllib.loads(text)
    minbase = set(table["sets"]["minbase"])
    aliases = table.get("aliases", {})
    known = set(table["packages"])
    wanted = list(sys.argv[1:])
    for pkg in table["packages"].values():
        wanted += pkg.get("d", []) + pkg.get("r", [])
    libs = tomllib.loads(LIBS.read_text())
    for lib in libs.get("library", []):
        wanted += lib.get("debian", []) + lib.get("runtime", [])
    new_rows = {}
    queue = [aliases.get(w, w) for w in wanted]
    while queue:
        name = queue.pop()
        if name in known or name in minbase or name in new_rows:
            continue
        fields = show(name)
        if fields is None:
            real = resolve(name, minbase)
            if real and real != name:
                queue.append(real)
            else:
                print(f"not in the index: {name}", file=sys.stderr)
            continue
        line, deps = row(name, fields, minbase)
        new_rows[name] = line
        queue.extend(deps)
    if not new_rows:
        print("nothing to add")
        return
    head, sep, body = text.partition("\n[packages]\n")
    lines = [l for l in body.splitlines() if l.strip()]
    lines += new_rows.values()
    lines.sort(key=lambda l: l.split('"')[1])
    TABLE.write_text(head + sep + "\n".join(lines) + "\n")
    print(f"added {len(new_rows)} rows: {', '.join(sorted(new_rows))}")


if __name__ == "__main__":
    main()
