#!/usr/bin/env python3
"""Writes a large synthetic archive feed shaped like the real archive, for measuring import speed
and page latency at scale:

    python3 scripts/generate_large_feed.py 1000000 > /tmp/large.jsonl
    sosiaalitiedot import /tmp/large.jsonl --database-url sqlite:/tmp/large.db

Deterministic (fixed seed). One wellbeing services county per 2 000 clients, each with per-task
publication starts. Each client: 1–3 service tasks, a client relationship per task (most with an
own worker), 1–40 documents per task (decisions, assessments, plans, other) with two paragraphs of
text each, now and then a second version, a delayed publication, special content or a document
hidden from guardians, an attachment; data-use events; some consents and prohibitions. About one
client in five is a child with a guardian (who is also a client), one in fifty has a mandate.
Identity codes are test codes (individual numbers 900–999). Writes exactly N lines."""
import json, random, sys

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
TASKS = ["older_people", "substance_abuse", "families_with_children", "working_age", "child_welfare", "disability", "family_law"]
KINDS = ["decision", "service_need_assessment", "client_plan", "implementation_plan", "other"]
WORDS = ("asiakas palvelu tarve arvio suunnitelma tavoite tuki kotihoito omainen sosiaalityöntekijä "
         "päätös perustelu voimassa jakso hakemus tapaaminen kotikäynti toimintakyky arki yhteistyö").split()

random.seed(13)
target = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
out = sys.stdout
lines = 0

def emit(obj):
    global lines
    if lines >= target:
        return
    out.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    lines += 1

def paragraph(n):
    return " ".join(random.choice(WORDS) for _ in range(n)).capitalize() + "."

def adult(i):
    """The i-th adult test code: 28 days × 12 months × 60 years (1940–1999) × 100 numbers."""
    day, month, year, num = 1 + i % 28, 1 + (i // 28) % 12, 40 + (i // 336) % 60, 900 + (i // 20160) % 100
    base = f"{day:02d}{month:02d}{year:02d}"
    return f"{base}-{num:03d}{CHECK[int(base + f'{num:03d}') % 31]}"

def child(i):
    """The i-th child test code (born 2010–2019, century sign A)."""
    day, month, year, num = 1 + i % 28, 1 + (i // 28) % 12, 10 + (i // 336) % 10, 900 + (i // 3360) % 100
    base = f"{day:02d}{month:02d}{year:02d}"
    return f"{base}A{num:03d}{CHECK[int(base + f'{num:03d}') % 31]}"

def code(i):
    """Every fifth client is a child; the client before a child is their guardian."""
    return child(i // 5) if i % 5 == 4 else adult(i)

def org(o):
    return f"1.2.246.10.{3000000 + o}.10.0"

clients = max(1, target // 45)
orgs = clients // 2000 + 1
for o in range(orgs):
    emit({"type": "organisation", "oid": org(o), "name": {"fi": f"Hyvinvointialue {o}", "sv": f"Välfärdsområde {o}"},
          "joined_kanta_on": None if o % 5 else "2024-01-01"})
    emit({"type": "visibility_start", "registrar": org(o), "service_task": None, "from": "2023-01-01"})
    emit({"type": "visibility_start", "registrar": org(o), "service_task": "child_welfare", "from": "2025-06-01"})

i = 0
while lines < target:
    h = code(i)
    o = org(i // 2000 % orgs)
    emit({"type": "person", "hetu": h, "first_names": random.choice(["Aino", "Eino", "Maija", "Juhani", "Helmi"]),
          "last_name": f"Testinen {i}", "non_disclosure": i % 97 == 0, "taken_into_care": i % 53 == 0,
          "informed_on": "2025-02-01" if i % 3 else None})
    if i % 5 == 4 and i > 0:  # a child of the previous client
        emit({"type": "guardianship", "guardian": code(i - 1), "child": h, "kind": "guardian" if i % 10 == 4 else "information_right",
              "valid_from": "2015-01-01", "valid_until": None})
    if i % 50 == 7 and i > 1:
        emit({"type": "mandate", "principal": h, "agent": code(i - 2), "valid_from": "2025-01-01", "valid_until": "2030-12-31"})
    tasks = random.sample(TASKS, random.choice([1, 1, 2, 2, 3]))
    for t, task in enumerate(tasks):
        worker = None if random.random() < 0.2 else {"name": f"Työntekijä {i % 300}", "title": "sosiaaliohjaaja",
                                                      "unit": "Aikuissosiaalityö", "phone": "+358 40 123 4567", "email": "ohjaaja@example.fi"}
        emit({"type": "client_relationship", "person": h, "registrar": o, "service_task": task, "started_on": f"2024-0{1 + t}-15",
              "ended_on": None if random.random() < 0.8 else "2026-01-31", "hidden_from_guardians": False, "own_worker": worker})
        docs = random.randint(1, 40)
        for d in range(docs):
            did = f"DOC-{i}-{t}-{d}"
            versions = 2 if random.random() < 0.05 else 1
            for v in range(1, versions + 1):
                month = 1 + (d % 12)
                emit({"type": "document", "id": did, "version": v, "person": h, "registrar": o, "service_task": task,
                      "kind": KINDS[d % 5], "phase": 2, "status": "invalidated" if v < versions else "active",
                      "joint_matter": random.random() < 0.02,
                      "created_at": f"202{4 + d % 3}-{month:02d}-{1 + d % 27:02d}T10:{d % 60:02d}:00+02:00",
                      "title": f"{KINDS[d % 5].replace('_', ' ').capitalize()} {d + 1}", "language": "sv" if i % 19 == 0 else "fi",
                      "author": f"Työntekijä {i % 300}", "unit": "Aikuissosiaalityö",
                      "attachment_of": f"DOC-{i}-{t}-{d - 1}" if d > 0 and d % 17 == 0 else None,
                      "sections": [{"heading": "Tilanne", "body": paragraph(40) + "\n\n" + paragraph(35)}],
                      "restrictions": {"delayed_until": "2027-06-01" if random.random() < 0.02 else None,
                                       "special_content": random.random() < 0.01,
                                       "hidden_from_guardians": random.random() < 0.01}})
            if d % 4 == 0:
                emit({"type": "data_use", "id": f"EV-{i}-{t}-{d}", "person": h, "at": f"2026-0{1 + d % 9}-20T12:00:00Z",
                      "action": "use" if d % 8 else "disclosure", "by": o, "registrar": o, "document": did,
                      "basis": "own_register" if d % 8 else "consent"})
    if i % 11 == 0:
        emit({"type": "consent", "person": h, "given": True, "at": "2025-03-01T09:00:00Z"})
    if i % 29 == 0:
        emit({"type": "prohibition", "id": f"PK-{i}", "person": h, "target": {"service_task": tasks[0]}, "set_at": "2025-05-01T09:00:00Z"})
    i += 1
print(f"{lines} lines, {i} clients", file=sys.stderr)
