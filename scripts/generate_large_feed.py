#!/usr/bin/env python3
"""Writes a large synthetic archive feed for measuring import speed:
    python3 scripts/generate_large_feed.py 1000000 > /tmp/large.jsonl
    time sosiaalitiedot import /tmp/large.jsonl --database-url sqlite:/tmp/large.db
One organisation per 1000 people; per person ~5 document versions and ~4 data-use events."""
import json, sys

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
TASKS = ["older_people", "substance_abuse", "families_with_children", "working_age", "child_welfare", "disability", "family_law"]
KINDS = ["decision", "service_need_assessment", "client_plan", "implementation_plan", "other"]

def hetu(i):
    day, month, year = 1 + i % 28, 1 + (i // 28) % 12, (i // 336) % 100
    num = 2 + (i // 33600) % 898
    base = f"{day:02d}{month:02d}{year:02d}"
    return f"{base}-{num:03d}{CHECK[int(base + f'{num:03d}') % 31]}"

target = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
out = sys.stdout
lines = 0
def emit(obj):
    global lines
    out.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    lines += 1

people = max(1, target // 10)
for o in range(people // 1000 + 1):
    emit({"type": "organisation", "oid": f"1.2.246.10.{3000000 + o}.10.0", "name": {"fi": f"Hyvinvointialue {o}", "sv": f"Välfärdsområde {o}"}})
i = 0
while lines < target and i < people:
    h = hetu(i)
    org = f"1.2.246.10.{3000000 + i // 1000}.10.0"
    emit({"type": "person", "hetu": h, "first_names": "Testi", "last_name": f"Henkilö {i}"})
    for d in range(5):
        emit({"type": "document", "id": f"DOC-{i}-{d}", "version": 1, "person": h, "registrar": org, "service_task": TASKS[(i + d) % 7],
              "kind": KINDS[d], "phase": 2, "status": "active", "created_at": f"2026-0{1 + d}-1{d}T10:00:00+02:00",
              "title": f"Asiakirja {d}", "language": "fi", "author": "Sosiaalityöntekijä", "unit": "Yksikkö",
              "sections": [{"heading": "Päätös", "body": "Asiakkaalle myönnetään palvelu.\n\nPerustelut: sosiaalihuoltolaki."}]})
    for e in range(4):
        emit({"type": "data_use", "id": f"EV-{i}-{e}", "person": h, "at": f"2026-0{1 + e}-20T12:00:00Z", "action": "use",
              "by": org, "registrar": org, "document": f"DOC-{i}-{e}", "basis": "own_register"})
    i += 1
print(f"{lines} lines", file=sys.stderr)
