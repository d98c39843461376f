#pragma once
// Literal words a regular expression cannot match without: a cheap test that rules a
// pattern out before PCRE2 scans a text with it (the reason rules try dozens per bounce).

#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <bitset>

namespace smtp {

// A text folded as caseless matching compares it with the literals (ASCII lower-cased, the
// KELVIN SIGN and LONG S as the 'k' and 's' PCRE2 takes them for), with the set of its
// ASCII character pairs: most literals are ruled out by a pair the text lacks.
class FoldedText
{
public:
    explicit FoldedText(QStringView text);
    bool contains(const QString &literal, const QList<quint16> &pairs) const;

private:
    QString m_text;
    std::bitset<128 * 128> m_pairs;
};

class RequiredLiterals
{
public:
    RequiredLiterals() = default; // nothing required: the pattern is always tried
    explicit RequiredLiterals(const QString &pattern);

    // Strings, lower-cased, at least one of which occurs in every text the case-insensitive
    // `pattern` matches; empty when nothing of two characters or more is certain. Reads the
    // plain PCRE syntax the rules use; a construct it does not know makes it give up, never
    // guess.
    static QStringList of(const QString &pattern);

    const QStringList &literals() const { return m_literals; }
    // Whether the text can match: one of the literals is in it, or none is required.
    bool allow(const FoldedText &text) const;

    static quint16 pairIndex(QChar a, QChar b) { return quint16(a.unicode() * 128 + b.unicode()); }

private:
    QStringList m_literals;
    QList<QList<quint16>> m_pairs;   // per literal, its ASCII character pairs
};

// A case-insensitive rule pattern with the literals that rule a text out before PCRE2
// reads it (CheckedText::match uses both).
struct RulePattern
{
    RulePattern() = default;
    RulePattern(const QString &pattern, QRegularExpression::PatternOptions options)
        : re(pattern, options | QRegularExpression::CaseInsensitiveOption), literals(pattern)
    {
    }
    QRegularExpression re;
    RequiredLiterals literals;
};

} // namespace smtp
