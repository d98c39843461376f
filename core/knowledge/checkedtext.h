#pragma once
// A text that many patterns read (the reason rules, the wordings, the sources): its UTF-16
// is checked once here, not by PCRE2 on every match.

#include "requiredliterals.h"

#include <QRegularExpression>
#include <QString>

#include <optional>

namespace smtp {

// QRegularExpression has PCRE2 check the whole subject's UTF-16 on each match, a pass over
// the text every time; for a bounce's words read by dozens of rules that pass cost more than
// the matching. A text that fails the check matches nothing, as PCRE2's own check has it
// (a lone surrogate, say, left by cutting a text to a length).
class CheckedText
{
public:
    explicit CheckedText(const QString &text)
        : m_text(text), m_valid(QStringView(text).isValidUtf16())
    {
    }

    const QString &text() const { return m_text; }
    bool isEmpty() const { return m_text.isEmpty(); }
    bool isValidUtf16() const { return m_valid; }

    bool matches(const QRegularExpression &re) const { return match(re).hasMatch(); }
    QRegularExpressionMatch match(const QRegularExpression &re) const
    {
        if (!m_valid)
            return QRegularExpressionMatch();
        return re.match(m_text, 0, QRegularExpression::NormalMatch,
                        QRegularExpression::DontCheckSubjectStringMatchOption);
    }

    // A rule's pattern, tried only when the text holds one of its literals.
    bool matches(const RulePattern &rule) const { return mayMatch(rule) && matches(rule.re); }
    QRegularExpressionMatch match(const RulePattern &rule) const
    {
        return mayMatch(rule) ? match(rule.re) : QRegularExpressionMatch();
    }

    QRegularExpressionMatchIterator globalMatch(const QRegularExpression &re) const
    {
        if (!m_valid)
            return QRegularExpressionMatchIterator();
        return re.globalMatch(m_text, 0, QRegularExpression::NormalMatch,
                              QRegularExpression::DontCheckSubjectStringMatchOption);
    }

private:
    bool mayMatch(const RulePattern &rule) const
    {
        if (rule.literals.literals().isEmpty())
            return true;
        if (!m_folded)
            m_folded.emplace(m_text); // folded once, for all the rules that read the text
        return rule.literals.allow(*m_folded);
    }

    QString m_text;   // shared with the caller's, not copied
    bool m_valid;
    mutable std::optional<FoldedText> m_folded;
};

} // namespace smtp
