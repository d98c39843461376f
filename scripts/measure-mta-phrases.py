#!/usr/bin/env python3
"""How many of the MTA- and provider-specific wordings in Sisimai's modules our rules name
the same way.

Sisimai (Debian's libsisimai-perl, installed only to measure) keeps, besides its reason
lexicon, tables of phrases per reason inside each MTA module (Lhost/*.pm: Exim, qmail,
Domino, Gmail ...) and each provider module (Rhost/*.pm: Exchange Online, Google, Mimecast,
...): `$messagesof or $refailures = { reason => [ phrase, ... ] }`, a phrase being a string, a qr//
expression or, in the Rhost modules, a row whose last string is the phrase (its codes are
left out). Tables keyed by providers' codes alone ($errorcodes) say nothing of wording and
are not read. Each phrase is explained from its words alone, `smtpwb explain --json
"<phrase>"`, and the reason compared; the same phrase in two modules counts once.
Usage: scripts/measure-mta-phrases.py [BUILD_DIR] [SISIMAI_DIR]; MISSES=1 lists misses."""
import glob, os, re, sys, warnings
warnings.simplefilter("ignore", DeprecationWarning)
import sre_parse

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build")
sisimai = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/perl5/Sisimai"
smtpwb = os.path.join(build, "app", "cli", "smtpwb")

def closing(src, start, open_, close, comments):
    # the index of the bracket that closes the one at src[start], nesting counted, quoted
    # strings (and with `comments`, Perl comments) skipped over; len(src) when none does
    depth, i = 0, start
    while i < len(src):
        c = src[i]
        if c in "'\"":
            j = i + 1
            while j < len(src) and src[j] != c:
                j += 2 if src[j] == '\\' else 1
            i = j + 1; continue
        if comments and c == '#':
            while i < len(src) and src[i] != '\n': i += 1
            continue
        if c == open_: depth += 1
        elif c == close:
            depth -= 1
            if depth == 0: return i
        i += 1
    return len(src)

def table(src, start):
    # the body of the hash literal that opens at src[start] ('{'); empty when it never closes
    end = closing(src, start, '{', '}', comments=True)
    return src[start + 1:end] if end < len(src) else ''

def perl_string(q, quote):
    s = q.replace("\\" + quote, quote)
    return s.replace("\\\\", "\\")

def uncomment(body):
    return re.sub(r"(?m)^\s*#.*$|(?<=[,\[\]])\s*#.*$", "", body)

# one expansion per alternative of an expression, as the lexicon measure makes them
import importlib.util
_spec = importlib.util.spec_from_file_location("lexicon", os.path.join(root, "scripts", "measure-reason-lexicon.py"))
LEX = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(LEX)

rows = {}
for path in sorted(glob.glob(os.path.join(sisimai, "Lhost", "*.pm")) + glob.glob(os.path.join(sisimai, "Rhost", "*.pm"))):
    module = "/".join(path.split(os.sep)[-2:])[:-3]
    src = open(path, encoding="utf-8").read()
    for m in re.finditer(r"\$(?:messagesof|refailures)\s*=\s*\{", src):
        body = uncomment(table(src, m.end() - 1))
        for k in re.finditer(r"'(\w+)'\s*=>\s*(\[|qr)", body):
            reason = k.group(1).lower()
            if reason == "undefined":
                continue
            if k.group(2) == "qr":
                rx = re.compile(r"qr\{(.*?)\}x?,|qr/((?:[^/\\]|\\.)*)/", re.S).match(body, k.start(2))
                items = rx.group(0) if rx else ""
            else:
                # the list runs to its matching ']'
                items = body[k.end():closing(body, k.end() - 1, '[', ']', comments=False)]
            phrases = []
            for rx in re.finditer(r"qr\{(.*?)\}(x?)|qr/((?:[^/\\]|\\.)*)/(x?)", items, re.S):
                expr = rx.group(1) if rx.group(1) is not None else rx.group(3)
                if rx.group(2) or rx.group(4):
                    expr = LEX.strip_x(expr)
                expr = expr.replace("(?>", "(?:").replace("\\z", "").replace("\\A", "")
                try:
                    phrases += LEX.expand(list(sre_parse.parse(expr)))
                except Exception as e:
                    print("skipped an expression of", module, reason, e, file=sys.stderr)
            rest = re.sub(r"qr\{.*?\}|qr/(?:[^/\\]|\\.)*/", "", items, flags=re.S)
            if '[' in rest:
                # Rhost rows: [codes..., 'phrase']; the phrase is the row's last string
                for row in re.finditer(r"\[([^\[\]]*)\]", rest):
                    qs = re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", row.group(1))
                    if qs:
                        a, b = qs[-1]
                        phrases.append(perl_string(a, "'") if a else perl_string(b, '"'))
            else:
                for a, b in re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", rest):
                    phrases.append(perl_string(a, "'") if a else perl_string(b, '"'))
            for p in phrases:
                p = p.strip()
                if p and not re.fullmatch(r"[\d.]+", p):
                    rows.setdefault((reason, p), module)
if not rows:
    sys.exit(f"no Sisimai message tables under {sisimai}")

confusion, per_module = LEX.score([(want, phrase, module) for (want, phrase), module in rows.items()], smtpwb)
if os.environ.get("MODULES"):
    for mod, (ok, all_) in sorted(per_module.items()):
        print(f"  {mod:28} {ok:4}/{all_:<4}")
LEX.print_disagreements(confusion, "Sisimai")
