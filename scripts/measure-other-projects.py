#!/usr/bin/env python3
"""Scores smtpwb and Sisimai 4.25 on bounces from five other projects' test suites: mail the
rules were never written from (see README, "Accuracy and speed").

The messages are not in this repository (each project's licence is its own); fetch them into
ROOT/<project>/ as the README says. scripts/other-projects/<project>/expected.tsv holds what
each project's own tests state of them (nothing guessed). For each project this runs
`smtpwb bounce --format jsonl` and Sisimai (Debian's libsisimai-perl) and prints the scores,
then every file side by side, then the reason pairs the two tools disagree on.

Usage: scripts/measure-other-projects.py ROOT [BUILD_DIR]

expected.tsv columns: file, recipient, status, kind, source, reply, count
  recipient: space-separated = all of these are expected; "a|b" = either is acceptable
  count:     expected number of failed recipients ("0" = the test says no report / not a bounce)
  reply:     SMTP reply code the test expects (BounceParser's smtp_code)
"""

import atexit, csv, json, os, shutil, subprocess, sys, collections, tempfile

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith('--') else None
BUILD = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(SCRIPTS), 'build')
SMTPWB = os.path.join(BUILD, 'app', 'cli', 'smtpwb')
OUT = tempfile.mkdtemp(prefix='other-projects-')
atexit.register(shutil.rmtree, OUT, True)
# One JSON line per recipient Sisimai finds in each file of a directory.
SISIMAI_DUMP = r'''
use strict; use warnings; use Sisimai; use JSON::PP;
my $dir = shift; my $js = JSON::PP->new->canonical(1)->utf8(1);
opendir(my $dh, $dir) or die $!;
for my $f (sort grep { -f "$dir/$_" && $_ ne 'expected.tsv' } readdir $dh) {
  my $r = eval { Sisimai->make("$dir/$f") };
  if ($@) { print $js->encode({file=>$f, error=>"$@"}), "\n"; next }
  if (!$r || !@$r) { print $js->encode({file=>$f, none=>1}), "\n"; next }
  for my $d (@$r) {
    print $js->encode({file=>$f, recipient=>$d->recipient->address, status=>$d->deliverystatus,
      reason=>$d->reason, replycode=>$d->replycode, softbounce=>$d->softbounce, action=>$d->action}), "\n";
  }
}
'''
PROJECTS = ['bounceparser', 'flufl', 'baunsu', 'flanker', 'ruby-mail']
NOT_FAILED = {'vacation', 'notbounce', 'delivered', 'feedback'}

# loose mapping from a project's own kind word to reasons that agree with it
KIND_OK = {
    'user_unknown': {'userunknown', 'suspend', 'filtered', 'hasmoved'},
    'user_disabled': {'suspend', 'userunknown'},
    'over_quota': {'mailboxfull'},
    'spam': {'spamdetected', 'blocked', 'policyviolation', 'contenterror', 'securityerror', 'virusdetected'},
    'domain_error': {'hostunknown', 'notaccept', 'norelaying', 'networkerror'},
    'message_too_large': {'mesgtoobig', 'exceedlimit'},
}


def run(cmd, out):
    with open(out, 'w') as f:
        subprocess.run(cmd, stdout=f, stderr=subprocess.DEVNULL, cwd=ROOT)


def load_ours(path):
    recs = collections.defaultdict(list)
    for line in open(path):
        d = json.loads(line)
        fn = os.path.basename(d['file'].split('#')[0])
        if fn == 'expected.tsv':
            continue
        recs[fn]  # make sure the file is known
        if 'recipient' in d:  # an empty recipient = "(not given)": still a detected failure
            recs[fn].append(dict(recipient=d['recipient'], status=d.get('status') or '',
                                 reason=d.get('reason') or '', reply=str(d.get('replyCode') or ''),
                                 hard=d.get('hard'), action=d.get('action') or '',
                                 inferred=d.get('statusInferred'), kind=d.get('kind'),
                                 failed=bool(d.get('isBounce')) and d.get('kind') != 'autoreply'
                                 and (d.get('reason') not in NOT_FAILED)
                                 and d.get('action') != 'delivered'))
        elif 'recipient' not in d:
            pass
    return recs


def load_sisimai(path):
    recs = collections.defaultdict(list)
    for line in open(path):
        d = json.loads(line)
        fn = d['file']
        recs[fn]
        if d.get('none') or d.get('error'):
            continue
        sb = d.get('softbounce')
        recs[fn].append(dict(recipient=d.get('recipient') or '', status=d.get('status') or '',
                             reason=d.get('reason') or '', reply=str(d.get('replycode') or ''),
                             hard=(sb == 0) if sb in (0, 1) else None, action=d.get('action') or '',
                             inferred=None, kind=None,
                             failed=(d.get('reason') not in NOT_FAILED)))
    return recs


def load_expected(path):
    rows = []
    with open(path, newline='') as f:
        for r in csv.DictReader(f, delimiter='\t'):
            for c in ('recipient', 'status', 'kind', 'source', 'reply', 'count'):
                r[c] = (r.get(c) or '').strip()
            rows.append(r)
    return rows


def expected_is_bounce(e):
    k = e['kind'].lower()
    if e['count'] == '0' or k.startswith('not a bounce') or k.startswith('no report') or k.startswith('no address'):
        return False
    if e['recipient'] or e['status'] or e['reply'] or k:
        if k.startswith('(malformed') or k.endswith('detector: no address'):
            return None
        return True
    return None


def recipient_ok(e, recs):
    got = {r['recipient'].lower() for r in recs if r['failed']} or {r['recipient'].lower() for r in recs}
    if '|' in e['recipient']:
        alts = {a.lower() for a in e['recipient'].split('|')}
        return bool(got & alts), bool(got & alts) and len(got) == 1
    want = {a.lower() for a in e['recipient'].split()}
    return want <= got, want == got


def kind_ok(e, recs):
    k = e['kind']
    base = k.split(' (')[0].strip()
    failed = [r for r in recs if r['failed']]
    if base in KIND_OK:
        if not failed:
            return False
        return any(r['reason'] in KIND_OK[base] for r in failed)
    # flufl 'permanent'/'temporary' = given up vs still being retried (a warning);
    # baunsu 'hard' and ruby-mail 'failed' are scored the same way as 'permanent'.
    if base in ('permanent', 'hard', 'failed'):
        return any(r['action'] != 'delayed' and not r['status'].startswith('4') for r in failed)
    if base == 'temporary' or base.startswith('delayed'):
        return any(r['action'] == 'delayed' or r['status'].startswith('4') for r in recs)
    return None


def fmt(recs):
    if not recs:
        return '-'
    out = []
    for r in recs:
        s = '%s %s%s %s' % (r['recipient'] or '(no address)', r['status'] or '-', '*' if r['inferred'] else '', r['reason'] or '-')
        if r['reply']:
            s += ' [%s]' % r['reply']
        if r['action'] and r['action'] not in ('failed',):
            s += ' (%s)' % r['action']
        out.append(s)
    return '; '.join(out)


def main():
    report = []
    totals = collections.defaultdict(lambda: [0, 0])
    for p in PROJECTS:
        expected = os.path.join(SCRIPTS, 'other-projects', p, 'expected.tsv')
        if not os.path.isdir(os.path.join(ROOT, p)):
            print('%s: %s is missing, skipped' % (p, os.path.join(ROOT, p)), file=sys.stderr)
            continue
        o_ours = os.path.join(OUT, p + '.ours.jsonl')
        o_sis = os.path.join(OUT, p + '.sisimai.jsonl')
        run([SMTPWB, 'bounce', '--format', 'jsonl', p], o_ours)
        run(['perl', '-e', SISIMAI_DUMP, p], o_sis)
        ours, sis = load_ours(o_ours), load_sisimai(o_sis)
        exp = load_expected(expected)
        sc = collections.OrderedDict((k, {'ours': [0, 0], 'sisimai': [0, 0]}) for k in (
            'recipient: all expected found', 'recipient: exact set', 'status exact', 'reply code',
            'bounce detected (>=1 failed record)', 'not-bounce: no failed record', 'kind (loose map)'))
        lines = []
        for e in exp:
            fn = e['file']
            res = {}
            flags = []
            for name, recs in (('ours', ours.get(fn, [])), ('sisimai', sis.get(fn, []))):
                r = {}
                if e['recipient']:
                    a, x = recipient_ok(e, recs)
                    r['recipient: all expected found'] = a
                    r['recipient: exact set'] = x
                if e['status']:
                    r['status exact'] = any(q['status'] == e['status'] for q in recs)
                if e['reply']:
                    r['reply code'] = any(q['reply'] == e['reply'] for q in recs)
                isb = expected_is_bounce(e)
                nfail = sum(1 for q in recs if q['failed'])
                if isb is True:
                    r['bounce detected (>=1 failed record)'] = nfail > 0
                elif isb is False:
                    r['not-bounce: no failed record'] = nfail == 0
                ko = kind_ok(e, recs) if e['kind'] else None
                if ko is not None:
                    r['kind (loose map)'] = ko
                for k, v in r.items():
                    sc[k][name][1] += 1
                    sc[k][name][0] += int(bool(v))
                    if not v:
                        flags.append('%s:%s' % (name, k.split(':')[0].split(' ')[0]))
                res[name] = r
            exps = ' '.join(x for x in (e['recipient'], e['status'], e['reply'] and '[%s]' % e['reply'], e['kind'] and '{%s}' % e['kind'],
                                        e['count'] and 'n=%s' % e['count']) if x) or '(no expectation)'
            lines.append('%s\n    expected: %s\n    ours:     %s\n    sisimai:  %s%s' % (
                fn, exps, fmt(ours.get(fn, [])), fmt(sis.get(fn, [])),
                ('\n    MISS:     ' + ', '.join(sorted(set(flags)))) if flags else ''))
        report.append('=' * 78)
        report.append('PROJECT %s: %d messages, %d with some stated expectation' % (
            p, len(exp), sum(1 for e in exp if expected_is_bounce(e) is not None or e['recipient'] or e['status'])))
        report.append('%-36s %14s %14s' % ('score (passed/checked)', 'ours', 'sisimai'))
        for k, v in sc.items():
            if v['ours'][1] or v['sisimai'][1]:
                report.append('%-36s %14s %14s' % (k, '%d/%d' % tuple(v['ours']), '%d/%d' % tuple(v['sisimai'])))
                for t in ('ours', 'sisimai'):
                    totals[(k, t)][0] += v[t][0]
                    totals[(k, t)][1] += v[t][1]
        nours = sum(1 for e in exp if any(q['failed'] for q in ours.get(e['file'], [])))
        nsis = sum(1 for e in exp if any(q['failed'] for q in sis.get(e['file'], [])))
        report.append('%-36s %14s %14s' % ('files with >=1 failed record', '%d/%d' % (nours, len(exp)), '%d/%d' % (nsis, len(exp))))
        report.append('')
        report.append('Per file (status* = inferred by ours; [reply code]; (action if not failed)):')
        report.extend(lines)
        report.append('')
    head = ['BOUNCES FROM OTHER PROJECTS: smtpwb (ours) vs Sisimai 4.25', '',
            'TOTAL over all projects (passed/checked)',
            '%-36s %14s %14s' % ('score', 'ours', 'sisimai')]
    keys = []
    for (k, t) in totals:
        if k not in keys:
            keys.append(k)
    for k in keys:
        head.append('%-36s %14s %14s' % (k, '%d/%d' % tuple(totals[(k, 'ours')]), '%d/%d' % tuple(totals[(k, 'sisimai')])))
    head.append('')
    out = '\n'.join(head + report) + '\n'
    sys.stdout.write(out)
    sys.stdout.write(disagreements())




def disagreements():
    """Reason pairs (ours, sisimai) where both found the same recipient but named different reasons."""
    pairs = collections.defaultdict(list)
    for p in PROJECTS:
        o_ours = os.path.join(OUT, p + '.ours.jsonl')
        o_sis = os.path.join(OUT, p + '.sisimai.jsonl')
        if not os.path.exists(o_ours):
            continue
        ours, sis = load_ours(o_ours), load_sisimai(o_sis)
        for fn in sorted(set(ours) | set(sis)):
            so = {r['recipient'].lower(): r for r in ours.get(fn, [])}
            ss = {r['recipient'].lower(): r for r in sis.get(fn, [])}
            for a in so:
                if a in ss and so[a]['reason'] != ss[a]['reason']:
                    pairs[(so[a]['reason'], ss[a]['reason'])].append('%s/%s' % (p, fn))
            if not so and ss:
                pairs[('(none)', '+'.join(sorted({r['reason'] for r in ss.values()})))].append('%s/%s' % (p, fn))
            if so and not ss:
                pairs[('+'.join(sorted({r['reason'] for r in so.values()})), '(none)')].append('%s/%s' % (p, fn))
    out = ['', '=' * 78, 'REASON DISAGREEMENTS (same recipient, or only one tool reported): ours -> sisimai', '']
    for (a, b), fs in sorted(pairs.items(), key=lambda kv: -len(kv[1])):
        out.append('%-14s -> %-22s %3d  %s' % (a, b, len(fs), ' '.join(fs)))
    return '\n'.join(out) + '\n'


if __name__ == '__main__':
    if ROOT is None:
        sys.exit(__doc__)
    main()
