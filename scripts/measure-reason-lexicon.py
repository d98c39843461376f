#!/usr/bin/env python3
"""How many kinds of wording in Sisimai's reason lexicon our rules name the same way.

Sisimai (Debian's libsisimai-perl, installed only to measure) keeps, per reason, the
phrases MTAs use (Reason/*.pm: lists of strings and regular expressions). Each phrase, one
per alternative of its expressions, is explained from its words alone,
`smtpwb explain --json "<phrase>"` (no code to lean on), and the reason compared.
Usage: scripts/measure-reason-lexicon.py [BUILD_DIR] [SISIMAI_REASON_DIR]; MISSES=1 lists misses.
Sisimai 4.25 predates the reasons requireptr, authfailure and badreputation: those count
as disagreements here although the corpus expects them."""
import collections, glob, json, os, re, subprocess, sys, warnings
warnings.simplefilter("ignore", DeprecationWarning)
import sre_parse, sre_constants as C

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build")
reasons_dir = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/perl5/Sisimai/Reason"
smtpwb = os.path.join(build, "app", "cli", "smtpwb")
def strings_from_index(src):
    out = []
    for m in re.finditer(r"state \$index\s*=\s*\[(.*?)\];", src, re.S):
        for q in re.finditer(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", m.group(1)):
            out.append((q.group(1) or q.group(2) or '').replace("\\'", "'"))
    return out

def strip_x(body):
    # Perl /x: whitespace and # comments go, except inside [...] and after a backslash
    out, i, cls = [], 0, False
    while i < len(body):
        c = body[i]
        if c == '\\':
            out.append(body[i:i+2]); i += 2; continue
        if cls:
            if c == ']': cls = False
            out.append(c)
        elif c == '[':
            cls = True; out.append(c)
        elif c == '#':
            while i < len(body) and body[i] != '\n': i += 1
            continue
        elif not c.isspace():
            out.append(c)
        i += 1
    return ''.join(out)

def regexes(src):
    out = []
    for m in re.finditer(r"state \$regex\s*=\s*qr\{(.*?)\}x?;", src, re.S):
        body = m.group(1)
        body = strip_x(body).replace("(?>", "(?:").replace("\\z", "").replace("\\A", "")
        out.append(body)
    return out

def one(node_list):
    # the first expansion of a sequence
    return expand(node_list, first_only=True)[0]

def expand(seq, first_only=False):
    results = ['']
    for op, av in seq:
        alts = alternatives(op, av, first_only)
        if first_only or len(alts) == 1:
            results = [r + alts[0] for r in results]
        else:
            # vary this element only on the first result; keep the others on their first
            base = results[0]
            results = [r + alts[0] for r in results] + [base + a for a in alts[1:]]
    return results

def alternatives(op, av, first_only):
    if op == C.LITERAL:
        return [chr(av)]
    if op == C.NOT_LITERAL:
        return ['x']
    if op == C.ANY:
        return ['x']
    if op == C.IN:
        for o, a in av:
            if o == C.LITERAL:
                return [chr(a)]
            if o == C.RANGE:
                return [chr(a[0])]
            if o == C.NEGATE:
                return ['x']
            if o == C.CATEGORY:
                return ['0' if 'DIGIT' in str(a) else ' ' if 'SPACE' in str(a) else 'x']
        return ['x']
    if op == C.SUBPATTERN:
        return expand(av[-1], first_only)
    if op == C.BRANCH:
        out = []
        for b in av[1]:
            out += expand(b, first_only)
            if first_only:
                break
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        lo, hi, sub = av
        if lo == 0:
            return [''] if first_only else ([''] + expand(sub, True)[:1])
        return [''.join(expand(sub, True)[0] for _ in range(lo))] if first_only else [x * lo if False else ''.join([x] * lo) for x in expand(sub, first_only)]
    if op in (C.AT,):
        return ['']
    if op == C.GROUPREF:
        return ['']
    if op == C.CATEGORY:
        return ['x']
    return ['']

def main():
    rows = []
    for path in sorted(glob.glob(os.path.join(reasons_dir, "*.pm"))):
        reason = os.path.basename(path)[:-3].lower()
        src = open(path).read()
        phrases = strings_from_index(src)
        for rx in regexes(src):
            try:
                phrases += expand(list(sre_parse.parse(rx)))
            except Exception as e:
                print("skipped an expression of", reason, e, file=sys.stderr)
        for p in dict.fromkeys(x.strip() for x in phrases if x.strip()):
            rows.append((reason, p))
    if not rows:
        sys.exit(f"no Sisimai reason modules in {reasons_dir}")

    confusion, _ = score([(want, phrase, None) for want, phrase in rows], smtpwb)
    print_disagreements(confusion, "lexicon")

def reason_of(smtpwb, phrase):
    """The reason `smtpwb explain` names for a phrase from its words alone ("" for none)."""
    out = subprocess.run([smtpwb, "explain", "--json", "--", phrase], capture_output=True, text=True).stdout
    got = ""
    for line in out.splitlines():
        got = json.loads(line).get("reason", "") or got
    return got


def score(rows, smtpwb):
    """Explains each (want, phrase, where) row and prints the share named the same, per
    reason; MISSES=1 prints each miss (with `where`, a module, when given). Returns the
    disagreements and, per `where`, [named the same, all]."""
    agree = collections.Counter(); total = collections.Counter(); confusion = collections.Counter()
    per_where = collections.defaultdict(lambda: [0, 0])
    for want, phrase, where in rows:
        got = reason_of(smtpwb, phrase)
        total[want] += 1
        per_where[where][1] += 1
        if got == want:
            agree[want] += 1
            per_where[where][0] += 1
        else:
            confusion[(want, got)] += 1
            if os.environ.get("MISSES"):
                print("\t".join(["miss"] + ([where] if where else []) + [want, got, phrase]))
    n, a = sum(total.values()), sum(agree.values())
    print(f"phrases: {n}; named the same: {a} ({100.0 * a / n:.1f} %)")
    for k in sorted(total, key=lambda k: -total[k]):
        print(f"  {k:16} {agree[k]:4}/{total[k]:<4}")
    return confusion, per_where


def print_disagreements(confusion, theirs):
    print(f"most common disagreements ({theirs} -> ours):")
    for (want, got), c in confusion.most_common(12):
        print(f"  {want} -> {got or '(none)'}: {c}")


if __name__ == "__main__":
    main()
