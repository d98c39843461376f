#!/usr/bin/env python3
"""How often `smtpwb explain` alone names the reason the corpus expects.

For each row of ../shared/corpus/bounces/expected.tsv, the recipient's diagnostic text is
taken from `smtpwb bounce --format json` (the server's words as the bounce gives them),
then explained with nothing else: `smtpwb explain --json "<words>"`. Prints the share
whose `reason` agrees, overall and per expected reason.
Usage: scripts/measure-explain-reasons.py [BUILD_DIR] [CORPUS_DIR]; MISSES=1 lists each miss."""
import collections, csv, json, os, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build")
corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "..", "shared", "corpus", "bounces")
smtpwb = os.path.join(build, "app", "cli", "smtpwb")

rows = list(csv.DictReader(open(os.path.join(corpus, "expected.tsv")), delimiter="\t"))
reports = {}
total = agree = 0
misses = collections.Counter()
per_reason = collections.defaultdict(lambda: [0, 0])
for row in rows:
    name = row["file"]
    if name not in reports:
        out = subprocess.run([smtpwb, "bounce", "--format", "json", os.path.join(corpus, "emails", name)],
                             capture_output=True, text=True).stdout
        try:
            reports[name] = json.loads(out)[0] if out.strip() else {}
        except (json.JSONDecodeError, IndexError):
            reports[name] = {}
    recipients = reports[name].get("recipients", [])
    index = int(row["index"] or 1) - 1
    if index < 0 or index >= len(recipients) or not recipients[index].get("diagnostic"):
        continue  # no words to explain (feedback reports, vacation notices...)
    words = recipients[index]["diagnostic"]
    out = subprocess.run([smtpwb, "explain", "--json", words], capture_output=True, text=True).stdout
    reason = None
    for line in out.splitlines():
        reason = json.loads(line).get("reason") or reason
    total += 1
    per_reason[row["reason"]][1] += 1
    if reason == row["reason"]:
        agree += 1
        per_reason[row["reason"]][0] += 1
    else:
        misses[(row["reason"], reason)] += 1
        if os.environ.get("MISSES"):
            print(f"miss\t{name}\t{row['reason']}\t{reason}\t{words[:160]}")

print(f"diagnostic lines: {total}; explain alone names the expected reason for {agree} "
      f"({100.0 * agree / max(total, 1):.1f} %)")
for reason, (ok, n) in sorted(per_reason.items(), key=lambda kv: -kv[1][1]):
    print(f"  {reason:16} {ok:3}/{n:3}")
print("most common disagreements (expected -> explain):")
for (expected, got), n in misses.most_common(10):
    print(f"  {expected} -> {got}: {n}")
