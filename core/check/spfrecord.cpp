#include "spfrecord.h"

#include <QHostAddress>
#include <QRegularExpression>

#include <algorithm>

namespace smtp {

namespace {

using Kind = SpfTerm::Kind;

// RFC 7208 4.6.4: past this many DNS-querying terms, evaluation ends in permerror.
constexpr int kMaxLookups = 10;

bool isAlpha(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isAlnum(QChar c)
{
    return isAlpha(c) || isDigit(c);
}

QString quoted(QStringView text)
{
    return QLatin1Char('\'') + text.toString() + QLatin1Char('\'');
}

// name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
bool isName(QStringView s)
{
    return !s.isEmpty() && isAlpha(s.front())
        && std::all_of(s.begin(), s.end(), [](QChar c) { return isAlnum(c) || c == u'-' || c == u'_' || c == u'.'; });
}

// macro-literal = %x21-24 / %x26-7E: visible ASCII except '%'
bool isMacroLiteral(QChar c)
{
    return c.unicode() >= 0x21 && c.unicode() <= 0x7e && c != u'%';
}

bool isMacroLetter(QChar c)
{
    return QStringView(u"slodiphcrtv").contains(c.toLower());
}

bool isMacroDelimiter(QChar c)
{
    return QStringView(u".-+,/_=").contains(c);
}

// macro-expand = ( "%{" macro-letter transformers *delimiter "}" ) / "%%" / "%_" / "%-"
// Reads one from pos (at a '%'), moving pos past it.
bool readMacroExpand(QStringView s, qsizetype &pos)
{
    if (pos + 1 >= s.size())
        return false;
    const QChar next = s[pos + 1];
    if (next == u'%' || next == u'_' || next == u'-') {
        pos += 2;
        return true;
    }
    qsizetype i = pos + 2;
    if (next != u'{' || i >= s.size() || !isMacroLetter(s[i]))
        return false;
    ++i;
    while (i < s.size() && isDigit(s[i])) // transformers = *DIGIT [ "r" ]
        ++i;
    if (i < s.size() && s[i].toLower() == u'r')
        ++i;
    while (i < s.size() && isMacroDelimiter(s[i]))
        ++i;
    if (i >= s.size() || s[i] != u'}')
        return false;
    pos = i + 1;
    return true;
}

// macro-string = *( macro-expand / macro-literal ); endsWithExpand tells domain-end's two forms apart.
bool isMacroString(QStringView s, bool *endsWithExpand = nullptr)
{
    bool lastWasExpand = false;
    for (qsizetype pos = 0; pos < s.size();) {
        lastWasExpand = s[pos] == u'%';
        if (lastWasExpand && !readMacroExpand(s, pos))
            return false;
        if (!lastWasExpand && !isMacroLiteral(s[pos++]))
            return false;
    }
    if (endsWithExpand)
        *endsWithExpand = lastWasExpand;
    return true;
}

// toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
// Why it matters: an all-digit last label means an IP address was written where a domain belongs.
bool isToplabel(QStringView label)
{
    if (label.isEmpty() || !isAlnum(label.front()) || !isAlnum(label.back()))
        return false;
    if (!std::all_of(label.begin(), label.end(), [](QChar c) { return isAlnum(c) || c == u'-'; }))
        return false;
    return label.contains(u'-') || std::any_of(label.begin(), label.end(), isAlpha);
}

// domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand
bool isDomainSpec(QStringView s)
{
    bool endsWithExpand = false;
    if (s.isEmpty() || !isMacroString(s, &endsWithExpand))
        return false;
    if (endsWithExpand)
        return true;
    QStringView name = s.endsWith(u'.') ? s.chopped(1) : s;
    const qsizetype dot = name.lastIndexOf(u'.');
    return dot >= 0 && !name.contains(u"..") && isToplabel(name.mid(dot + 1));
}

// ip4-cidr-length and ip6-cidr-length: digits without a leading zero, up to max.
bool isCidrLength(QStringView digits, int max)
{
    if (digits.isEmpty() || digits.size() > 3 || !std::all_of(digits.begin(), digits.end(), isDigit))
        return false;
    if (digits.size() > 1 && digits.front() == u'0')
        return false;
    return digits.toInt() <= max;
}

// ip4-network = qnum "." qnum "." qnum "." qnum; the shape forbids the leading zeros and short
// forms ("10.1") that QHostAddress would accept, QHostAddress judges the rest.
bool isIp4Network(QStringView s)
{
    static const QRegularExpression shape(QStringLiteral("^(?:0|[1-9][0-9]{0,2})(?:\\.(?:0|[1-9][0-9]{0,2})){3}$"));
    QHostAddress address;
    return shape.match(s).hasMatch() && address.setAddress(s.toString())
        && address.protocol() == QAbstractSocket::IPv4Protocol;
}

// ip6-network: an IPv6 address; a zone ("%eth0") means nothing in DNS, so it is refused.
bool isIp6Network(QStringView s)
{
    QHostAddress address;
    return !s.contains(u'%') && address.setAddress(s.toString())
        && address.protocol() == QAbstractSocket::IPv6Protocol;
}

QString domainProblem(QStringView domain, QChar separator = u':')
{
    if (domain.isEmpty())
        return QStringLiteral("it needs a domain after '%1'").arg(separator);
    if (!isDomainSpec(domain))
        return QStringLiteral("%1 is not a valid domain: it must end in a name like .com or in a macro")
            .arg(quoted(domain));
    return {};
}

// dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ]: "/24", "//64", "/24//64"
QString dualCidrProblem(QStringView tail)
{
    static const QRegularExpression dual(QStringLiteral("^(?:/([^/]*))?(?://([^/]*))?$"));
    const QRegularExpressionMatch m = dual.match(tail);
    if (!m.hasMatch())
        return QStringLiteral("%1 is not a CIDR length such as /24 or //64").arg(quoted(tail));
    if (m.hasCaptured(1) && !isCidrLength(m.capturedView(1), 32))
        return QStringLiteral("the IPv4 prefix length must be 0 to 32");
    if (m.hasCaptured(2) && !isCidrLength(m.capturedView(2), 128))
        return QStringLiteral("the IPv6 prefix length must be 0 to 128");
    return {};
}

// a and mx: [ ":" domain-spec ] [ dual-cidr-length ]. A '/' may sit inside a macro-string, but a
// domain with a slash is never what the owner meant, so the first '/' starts the CIDR length.
QString aOrMxProblem(QStringView arg)
{
    const qsizetype slash = arg.indexOf(u'/');
    const QStringView domainPart = slash < 0 ? arg : arg.left(slash);
    const QStringView cidr = slash < 0 ? QStringView() : arg.mid(slash);
    if (domainPart.startsWith(u':')) {
        const QString problem = domainProblem(domainPart.mid(1));
        if (!problem.isEmpty())
            return problem;
    }
    return dualCidrProblem(cidr);
}

// ip4 = "ip4" ":" ip4-network [ ip4-cidr-length ], and the same for ip6 with 128 bits.
QString ipProblem(QStringView arg, bool v6)
{
    if (!arg.startsWith(u':') || arg.size() == 1)
        return QStringLiteral("it needs an address after ':'");
    const QStringView value = arg.mid(1);
    const qsizetype slash = value.indexOf(u'/');
    const QStringView address = slash < 0 ? value : value.left(slash);
    if (!(v6 ? isIp6Network(address) : isIp4Network(address)))
        return QStringLiteral("%1 is not an %2 address").arg(quoted(address), v6 ? u"IPv6" : u"IPv4");
    if (slash >= 0 && !isCidrLength(value.mid(slash + 1), v6 ? 128 : 32))
        return QStringLiteral("the prefix length must be 0 to %1").arg(v6 ? 128 : 32);
    return {};
}

// What is wrong with the part after a mechanism's name (":..." or "/..."), or empty.
QString argumentProblem(Kind kind, QStringView arg)
{
    switch (kind) {
    case Kind::All:
        return arg.isEmpty() ? QString() : QStringLiteral("'all' takes no argument");
    case Kind::Include:
    case Kind::Exists:
        return arg.startsWith(u':') ? domainProblem(arg.mid(1)) : QStringLiteral("it needs a domain after ':'");
    case Kind::A:
    case Kind::Mx:
        return aOrMxProblem(arg);
    case Kind::Ptr:
        if (arg.startsWith(u'/'))
            return QStringLiteral("'ptr' takes no CIDR length");
        return arg.isEmpty() ? QString() : domainProblem(arg.mid(1));
    case Kind::Ip4:
        return ipProblem(arg, false);
    case Kind::Ip6:
        return ipProblem(arg, true);
    default:
        return {};
    }
}

// The section of RFC 7208 that defines each mechanism, so an error can send the reader to it.
QString sectionOf(Kind kind)
{
    switch (kind) {
    case Kind::All:
        return QStringLiteral("5.1");
    case Kind::Include:
        return QStringLiteral("5.2");
    case Kind::A:
        return QStringLiteral("5.3");
    case Kind::Mx:
        return QStringLiteral("5.4");
    case Kind::Ptr:
        return QStringLiteral("5.5");
    case Kind::Ip4:
    case Kind::Ip6:
        return QStringLiteral("5.6");
    case Kind::Exists:
        return QStringLiteral("5.7");
    default:
        return QStringLiteral("6");
    }
}

std::optional<Kind> mechanismKind(QStringView name)
{
    static const QList<QPair<QString, Kind>> kinds = {
        {QStringLiteral("all"), Kind::All},     {QStringLiteral("include"), Kind::Include},
        {QStringLiteral("a"), Kind::A},         {QStringLiteral("mx"), Kind::Mx},
        {QStringLiteral("ptr"), Kind::Ptr},     {QStringLiteral("ip4"), Kind::Ip4},
        {QStringLiteral("ip6"), Kind::Ip6},     {QStringLiteral("exists"), Kind::Exists},
    };
    for (const auto &[known, kind] : kinds) {
        if (name == known)
            return kind;
    }
    return std::nullopt;
}

bool isQualifier(QChar c)
{
    return c == u'+' || c == u'-' || c == u'~' || c == u'?';
}

// A term is a modifier when a name and '=' start it (RFC 7208 4.6.1); "include:x=y" is not one.
bool looksLikeModifier(QStringView word)
{
    const qsizetype equals = word.indexOf(u'=');
    return equals > 0 && isName(word.left(equals));
}

// directive = [ qualifier ] mechanism
std::optional<SpfTerm> parseMechanism(QStringView word, QStringList &errors)
{
    SpfTerm term;
    QStringView rest = word;
    if (isQualifier(rest.front())) {
        term.qualifier = rest.front();
        rest = rest.mid(1);
    }
    qsizetype nameEnd = 0;
    while (nameEnd < rest.size() && rest[nameEnd] != u':' && rest[nameEnd] != u'/')
        ++nameEnd;
    term.name = rest.left(nameEnd).toString().toLower();
    const std::optional<Kind> kind = mechanismKind(term.name);
    if (!kind) {
        errors.append(QStringLiteral("%1: unknown mechanism %2; the known ones are all, include, a, mx, ptr, "
                                     "ip4, ip6 and exists (RFC 7208 5).").arg(quoted(word), quoted(term.name)));
        return std::nullopt;
    }
    term.kind = *kind;
    const QStringView arg = rest.mid(nameEnd);
    term.value = (arg.startsWith(u':') ? arg.mid(1) : arg).toString();
    const QString problem = argumentProblem(term.kind, arg);
    if (!problem.isEmpty())
        errors.append(QStringLiteral("%1: %2 (RFC 7208 %3).").arg(quoted(word), problem, sectionOf(term.kind)));
    return term;
}

// modifier = redirect / explanation / unknown-modifier, each name "=" value
SpfTerm parseModifier(QStringView word, QStringList &errors)
{
    const qsizetype equals = word.indexOf(u'=');
    SpfTerm term;
    term.name = word.left(equals).toString().toLower();
    term.value = word.mid(equals + 1).toString();
    if (term.name == u"redirect" || term.name == u"exp") {
        term.kind = term.name == u"redirect" ? Kind::Redirect : Kind::Exp;
        const QString problem = domainProblem(term.value, u'=');
        if (!problem.isEmpty())
            errors.append(QStringLiteral("%1: %2 (RFC 7208 6).").arg(quoted(word), problem));
    } else if (!isMacroString(term.value)) {
        errors.append(QStringLiteral("%1: the value has a stray '%' or a character that is not printable ASCII; "
                                     "write '%%' for a percent sign (RFC 7208 7.1).").arg(quoted(word)));
    }
    return term;
}

std::optional<SpfTerm> parseTerm(QStringView word, QStringList &errors)
{
    if (isQualifier(word.front()) && looksLikeModifier(word.mid(1))) {
        errors.append(QStringLiteral("%1: a modifier takes no qualifier (RFC 7208 4.6.1).").arg(quoted(word)));
        return std::nullopt;
    }
    if (looksLikeModifier(word))
        return parseModifier(word, errors);
    return parseMechanism(word, errors);
}

qsizetype countKind(const QList<SpfTerm> &terms, Kind kind)
{
    return std::count_if(terms.begin(), terms.end(), [kind](const SpfTerm &t) { return t.kind == kind; });
}

bool isMechanism(const SpfTerm &t)
{
    return t.kind != Kind::Redirect && t.kind != Kind::Exp && t.kind != Kind::Modifier;
}

// Receivers stop at the first character outside printable ASCII; say so once, plainly.
void checkCharacters(QStringView txt, QStringList &errors)
{
    const bool clean = std::all_of(txt.begin(), txt.end(), [](QChar c) { return c.unicode() >= 0x20 && c.unicode() <= 0x7e; });
    if (!clean)
        errors.append(QStringLiteral("The record holds a tab, line break or non-ASCII character; SPF terms are "
                                     "printable ASCII separated by spaces (RFC 7208 4.6.1)."));
}

void checkOnce(const QList<SpfTerm> &terms, Kind kind, const char *name, QStringList &errors)
{
    const qsizetype n = countKind(terms, kind);
    if (n > 1)
        errors.append(QStringLiteral("'%1=' appears %2 times; it may appear at most once (RFC 7208 6).")
                          .arg(QLatin1String(name)).arg(n));
}

void checkLookups(const SpfRecord &r, QStringList &errors)
{
    const int n = r.lookupTerms();
    if (n > kMaxLookups)
        errors.append(QStringLiteral("The record needs %1 DNS lookups (include, a, mx, ptr, exists, redirect) "
                                     "before counting those of its includes; past %2 receivers answer "
                                     "permerror (RFC 7208 4.6.4).").arg(n).arg(kMaxLookups));
}

// Only a mechanism after 'all' is dead: modifiers may sit anywhere (RFC 7208 4.6.3).
bool hasMechanismAfterAll(const QList<SpfTerm> &terms)
{
    const auto all = std::find_if(terms.begin(), terms.end(), [](const SpfTerm &t) { return t.kind == Kind::All; });
    return all != terms.end() && std::any_of(all + 1, terms.end(), isMechanism);
}

void checkEnding(const SpfRecord &r, QStringList &warnings)
{
    const std::optional<QChar> all = r.allQualifier();
    const bool redirects = countKind(r.terms, Kind::Redirect) > 0;
    if (!all && !redirects)
        warnings.append(QStringLiteral("No 'all' and no 'redirect=': mail from any other host gets 'neutral', "
                                       "which protects nothing; end with -all or ~all (RFC 7208 4.7)."));
    if (all && redirects)
        warnings.append(QStringLiteral("'redirect=' is ignored because the record has 'all' (RFC 7208 6.1)."));
    if (all == QChar(u'+'))
        warnings.append(QStringLiteral("'+all' lets every host on the Internet pass SPF for this domain."));
    if (hasMechanismAfterAll(r.terms))
        warnings.append(QStringLiteral("Mechanisms after 'all' are never evaluated; 'all' belongs at the end "
                                       "(RFC 7208 5.1)."));
}

void checkAdvice(const QList<SpfTerm> &terms, QStringList &warnings)
{
    if (countKind(terms, Kind::Ptr) > 0)
        warnings.append(QStringLiteral("'ptr' is slow and unreliable, and RFC 7208 5.5 says not to use it; "
                                       "list the addresses with ip4/ip6 or a instead."));
    for (const SpfTerm &t : terms) {
        if (t.kind == Kind::Modifier)
            warnings.append(QStringLiteral("Unknown modifier '%1=' is ignored by receivers (RFC 7208 6); "
                                           "check its spelling.").arg(t.name));
    }
}

} // namespace

bool SpfRecord::looksLikeSpf(QStringView txt)
{
    return txt.left(6).compare(u"v=spf1", Qt::CaseInsensitive) == 0 && (txt.size() == 6 || txt[6] == u' ');
}

SpfRecord SpfRecord::parse(QStringView txt)
{
    SpfRecord r;
    if (!looksLikeSpf(txt)) {
        r.errors.append(QStringLiteral("Not an SPF record: it must start with 'v=spf1' followed by a space "
                                       "or the end (RFC 7208 4.5)."));
        return r;
    }
    checkCharacters(txt, r.errors);
    const QList<QStringView> words = txt.mid(6).split(u' ', Qt::SkipEmptyParts);
    for (QStringView word : words) {
        if (std::optional<SpfTerm> term = parseTerm(word, r.errors))
            r.terms.append(*term);
    }
    checkOnce(r.terms, Kind::Redirect, "redirect", r.errors);
    checkOnce(r.terms, Kind::Exp, "exp", r.errors);
    checkLookups(r, r.errors);
    checkEnding(r, r.warnings);
    checkAdvice(r.terms, r.warnings);
    return r;
}

int SpfRecord::lookupTerms() const
{
    static const QList<Kind> costly = {Kind::Include, Kind::A, Kind::Mx, Kind::Ptr, Kind::Exists, Kind::Redirect};
    return int(std::count_if(terms.begin(), terms.end(), [](const SpfTerm &t) { return costly.contains(t.kind); }));
}

std::optional<QChar> SpfRecord::allQualifier() const
{
    for (const SpfTerm &t : terms) {
        if (t.kind == Kind::All)
            return t.qualifier;
    }
    return std::nullopt;
}

QStringList SpfRecord::includes() const
{
    QStringList domains;
    for (const SpfTerm &t : terms) {
        if (t.kind == Kind::Include)
            domains.append(t.value);
    }
    return domains;
}

QString SpfRecord::redirect() const
{
    for (const SpfTerm &t : terms) {
        if (t.kind == Kind::Redirect)
            return t.value;
    }
    return {};
}

} // namespace smtp
