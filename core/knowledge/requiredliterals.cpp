#include "requiredliterals.h"

#include <cstring>

namespace smtp {

namespace {

// Literals of which at least one must occur; empty: nothing is known.
using AnyOf = QStringList;

// The shortest literal is what a text can most easily hold: the higher, the better a
// test; an unknown requirement scores nothing.
qsizetype strength(const AnyOf &any)
{
    qsizetype shortest = -1;
    for (const QString &literal : any)
        shortest = shortest < 0 ? literal.size() : qMin(shortest, literal.size());
    return qMax<qsizetype>(shortest, 0);
}

bool better(const AnyOf &candidate, const AnyOf &best)
{
    const qsizetype a = strength(candidate);
    const qsizetype b = strength(best);
    return a > b || (a == b && a > 0 && candidate.size() < best.size());
}

// One small reader per construct of the PCRE syntax, after Dovecot's one function per
// grammar rule. `failed` makes the whole pattern unknown: better no filter than a wrong one.
class Reader
{
public:
    explicit Reader(QStringView pattern) : p(pattern) {}

    AnyOf pattern()
    {
        AnyOf any = alternation();
        return failed || i != p.size() ? AnyOf() : any;
    }

private:
    enum class Kind { Literal, Group, Other };
    struct Atom
    {
        Kind kind = Kind::Other;
        QChar ch;
        AnyOf any;
    };
    enum class Count { Once, Optional, Repeated };

    QStringView p;
    qsizetype i = 0;
    bool failed = false;

    bool at(char c, qsizetype offset = 0) const { return i + offset < p.size() && p[i + offset] == QLatin1Char(c); }
    static bool isAsciiLetter(QChar c) { return c.unicode() < 128 && c.isLetter(); }
    static bool isAsciiDigit(QChar c) { return c >= QLatin1Char('0') && c <= QLatin1Char('9'); }

    // branch|branch|...: every branch must bring a literal, and any one of them may occur.
    AnyOf alternation()
    {
        AnyOf all = sequence();
        bool known = !all.isEmpty();
        while (!failed && at('|')) {
            ++i;
            const AnyOf branch = sequence();
            known = known && !branch.isEmpty();
            for (const QString &literal : branch)
                if (!all.contains(literal))
                    all.append(literal);
        }
        return known ? all : AnyOf();
    }

    // Atoms one after another: the best of the literal runs and groups that must be there.
    AnyOf sequence()
    {
        AnyOf best;
        QString run;
        const auto endRun = [&] {
            if (run.size() >= 2 && better({run}, best))
                best = {run};
            run.clear();
        };
        while (!failed && i < p.size() && !at('|') && !at(')')) {
            const Atom a = atom();
            const Count count = failed ? Count::Once : quantifier();
            if (failed)
                break;
            if (count == Count::Optional) {
                endRun();
            } else if (a.kind == Kind::Literal) {
                run += a.ch;
                if (count == Count::Repeated)
                    endRun(); // "ab+c" holds "ab", not "abc"
            } else {
                endRun();
                if (a.kind == Kind::Group && better(a.any, best))
                    best = a.any;
            }
        }
        endRun();
        return best;
    }

    Atom atom()
    {
        const QChar c = p[i];
        if (c == QLatin1Char('('))
            return group();
        if (c == QLatin1Char('['))
            return charClass();
        if (c == QLatin1Char('\\'))
            return escape();
        if (c == QLatin1Char('*') || c == QLatin1Char('+') || c == QLatin1Char('?') || c == QLatin1Char('{')) {
            failed = true; // a quantifier with nothing before it, or a literal brace: not read
            return {};
        }
        ++i;
        if (c == QLatin1Char('.') || c == QLatin1Char('^') || c == QLatin1Char('$') || !caseless(c))
            return {};
        return {Kind::Literal, c.toLower(), {}};
    }

    // A character whose every caseless match fold() finds: ASCII, or one with no case at
    // all (kana, ideographs, punctuation). Others end a run: a sharp s matches its capital.
    static bool caseless(QChar c)
    {
        if (c.unicode() < 128)
            return true;
        switch (c.category()) {
        case QChar::Letter_Other:
        case QChar::Punctuation_Connector:
        case QChar::Punctuation_Dash:
        case QChar::Punctuation_Open:
        case QChar::Punctuation_Close:
        case QChar::Punctuation_InitialQuote:
        case QChar::Punctuation_FinalQuote:
        case QChar::Punctuation_Other:
            return !c.isSurrogate();
        default:
            return false;
        }
    }

    Atom escape()
    {
        if (i + 1 >= p.size()) {
            failed = true;
            return {};
        }
        const QChar e = p[i + 1];
        i += 2;
        if (!isAsciiLetter(e) && !isAsciiDigit(e))
            return caseless(e) ? Atom{Kind::Literal, e.toLower(), {}} : Atom{};
        static const QString oneCharOrWidthless = QStringLiteral("bBAzZGKsSdDwWhHvVRNXntrfea");
        if (oneCharOrWidthless.contains(e))
            return {};
        if (e == QLatin1Char('x') || e == QLatin1Char('p') || e == QLatin1Char('P')) {
            if (at('{')) {
                while (i < p.size() && !at('}'))
                    ++i;
                if (!at('}'))
                    failed = true;
                ++i;
            } else {
                const qsizetype most = e == QLatin1Char('x') ? 2 : 1;
                for (qsizetype n = 0; n < most && i < p.size() && p[i].isLetterOrNumber(); ++n)
                    ++i;
            }
            return {};
        }
        failed = true; // back-references, \Q...\E, \c, \g, \k...: not read
        return {};
    }

    Atom charClass()
    {
        ++i;
        if (at('^'))
            ++i;
        if (at(']'))
            ++i; // a ']' first is a member
        while (i < p.size() && !at(']')) {
            if (at('\\'))
                i += 2;
            else if (const qsizetype close = posixClassEnd(); close > 0) {
                i = close;
            } else {
                ++i;
            }
        }
        if (!at(']'))
            failed = true;
        ++i;
        return {};
    }

    // "[:alpha:]" (or "[:^alpha:]") inside a class: where it ends, or 0 when the "[" is a
    // plain member ("[[:]" is '[' or ':'), as PCRE2 reads it.
    qsizetype posixClassEnd() const
    {
        if (!at('[') || !at(':', 1))
            return 0;
        qsizetype j = i + 2;
        if (j < p.size() && p[j] == QLatin1Char('^'))
            ++j;
        const qsizetype nameStart = j;
        while (j < p.size() && isAsciiLetter(p[j]))
            ++j;
        const bool named = j > nameStart && j + 1 < p.size() && p[j] == QLatin1Char(':') && p[j + 1] == QLatin1Char(']');
        return named ? j + 2 : 0;
    }

    Atom group()
    {
        ++i;
        bool lookaround = false;
        if (at('?')) {
            ++i;
            if (at(':') || at('>')) {
                ++i;
            } else if (at('=') || at('!')) {
                ++i;
                lookaround = true;
            } else if (at('<') && (at('=', 1) || at('!', 1))) {
                i += 2;
                lookaround = true;
            } else if (at('<') || (at('P') && at('<', 1))) {
                const qsizetype close = p.indexOf(QLatin1Char('>'), i);
                if (close < 0) {
                    failed = true;
                    return {};
                }
                i = close + 1;
            } else if (!optionSetting()) {
                return {};
            } else if (at(')')) {
                ++i;
                return {}; // (?i): changes how the rest matches, holds nothing itself
            } else {
                ++i; // (?i:...)
            }
        }
        const AnyOf inner = alternation();
        if (failed || !at(')')) {
            failed = true;
            return {};
        }
        ++i;
        return lookaround ? Atom{} : Atom{Kind::Group, QChar(), inner};
    }

    // "(?i)", "(?-i:": flags then ')' or ':'. Extended mode (x) changes what a space is.
    bool optionSetting()
    {
        while (i < p.size() && (isAsciiLetter(p[i]) || p[i] == QLatin1Char('-'))) {
            if (p[i] == QLatin1Char('x')) {
                failed = true;
                return false;
            }
            ++i;
        }
        if (!at(')') && !at(':')) {
            failed = true; // comments, conditions, recursion, branch reset: not read
            return false;
        }
        return true;
    }

    Count quantifier()
    {
        Count count = Count::Once;
        if (at('?') || at('*')) {
            count = Count::Optional;
            ++i;
        } else if (at('+')) {
            count = Count::Repeated;
            ++i;
        } else if (at('{')) {
            count = braces();
            if (failed)
                return count;
        } else {
            return count;
        }
        if (at('?') || at('+'))
            ++i; // lazy or possessive: how, not whether
        return count;
    }

    Count braces()
    {
        ++i;
        const auto number = [&] {
            qsizetype start = i;
            while (i < p.size() && isAsciiDigit(p[i]))
                ++i;
            return i == start ? -1 : p.mid(start, i - start).toInt();
        };
        const int least = number();
        int most = least;
        if (at(',')) {
            ++i;
            most = at('}') ? -1 : number();
        }
        if (least < 0 || !at('}')) {
            failed = true;
            return Count::Once;
        }
        ++i;
        if (least == 0)
            return Count::Optional;
        return least == 1 && most == 1 ? Count::Once : Count::Repeated;
    }
};

} // namespace

QStringList RequiredLiterals::of(const QString &pattern)
{
    return Reader(pattern).pattern();
}

RequiredLiterals::RequiredLiterals(const QString &pattern)
    : m_literals(of(pattern))
{
    for (const QString &literal : m_literals) {
        QList<quint16> pairs;
        for (qsizetype k = 0; k + 1 < literal.size(); ++k)
            if (literal[k].unicode() < 128 && literal[k + 1].unicode() < 128
                && !pairs.contains(pairIndex(literal[k], literal[k + 1])))
                pairs.append(pairIndex(literal[k], literal[k + 1]));
        m_pairs.append(pairs);
    }
}

bool RequiredLiterals::allow(const FoldedText &text) const
{
    if (m_literals.isEmpty())
        return true;
    for (qsizetype k = 0; k < m_literals.size(); ++k)
        if (text.contains(m_literals[k], m_pairs[k]))
            return true;
    return false;
}

FoldedText::FoldedText(QStringView text)
    : m_text(text.size(), Qt::Uninitialized)
{
    QChar *to = m_text.data();
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 128)
            *to++ = QChar(u >= 'A' && u <= 'Z' ? u + 32 : u);
        else if (u == 0x212A)
            *to++ = QLatin1Char('k');
        else if (u == 0x017F)
            *to++ = QLatin1Char('s');
        else
            *to++ = c;
    }
    for (qsizetype k = 0; k + 1 < m_text.size(); ++k)
        if (m_text[k].unicode() < 128 && m_text[k + 1].unicode() < 128)
            m_pairs.set(RequiredLiterals::pairIndex(m_text[k], m_text[k + 1]));
}

bool FoldedText::contains(const QString &literal, const QList<quint16> &pairs) const
{
    for (const quint16 pair : pairs)
        if (!m_pairs.test(pair))
            return false;
    // glibc's memmem over the UTF-16 bytes is many times faster than a search by
    // characters; a hit at an odd byte straddles two characters and does not count.
    const char *text = reinterpret_cast<const char *>(m_text.utf16());
    const char *end = text + m_text.size() * 2;
    const char *needle = reinterpret_cast<const char *>(literal.utf16());
    const size_t length = size_t(literal.size()) * 2;
    for (const char *at = text; at < end; ++at) {
        at = static_cast<const char *>(memmem(at, size_t(end - at), needle, length));
        if (!at)
            return false;
        if ((at - text) % 2 == 0)
            return true;
    }
    return false;
}

} // namespace smtp
