#pragma once
// Reads a reply's words (resources/knowledge/diagnosis.json and the reason rules of
// bounce-reasons.json) into a Diagnosis. One engine for explain, sessions, the window and
// the bounce explainer. Loaded once; const and safe to share between threads.

#include "diagnosis.h"

#include "requiredliterals.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QRegularExpression>
#include <QStringList>

namespace smtp {

class CheckedText;

class Diagnoser
{
public:
    static const Diagnoser &instance();

    // `text` is the server's words (all lines of the reply, or a bounce's diagnostic);
    // `code` the basic reply code (0 when none), `status` the enhanced code ("5.1.1") or
    // empty. Replies that succeeded get an empty diagnosis.
    Diagnosis diagnose(const QString &text, int code, const QString &status) const;

    // The parts, for the bounce explainer, which finds the reason with more context:
    // a reason the words override (greylisting) or fill in where the rules found none,
    QString refineReason(const QString &reason, const QString &text, int code, const QString &status) const;
    // and the rest of the diagnosis for a text whose reason is known.
    Diagnosis describe(const QString &text, int code, const QString &status, const QString &reason) const;
    // Both for the bounce explainer, the words looked up once: `reason` refined in place,
    // and the diagnosis of the refined reason (empty for empty words or "delivered").
    Diagnosis refineAndDescribe(QString &reason, const QString &text, int code, const QString &status) const;
    QString sourceOf(const QString &text) const;
    // What a reason (or "delayed") means and what to do, from diagnosis.json: {summary, action}.
    QPair<QString, QString> adviceFor(const QString &reason) const;
    // Whether a diagnosis tells more than the codes alone (a kind of wording, a list, or
    // another reason than the enhanced code names): a transcript's one-line note carries
    // it only then.
    bool saysMoreThanTheCodes(const Diagnosis &d, int code, const QString &status) const;

    // What could not be read in diagnosis.json; compiles every pattern to check it.
    QStringList loadErrors() const;

private:
    Diagnoser();
    struct Source { QString name; RulePattern match; QString help; };
    struct Advice { QString summary; QString action; };
    struct List { QString name; RulePattern match; QString help; Advice advice; };
    struct ProviderCodes { QString source; RulePattern match; QString help; QHash<QString, Advice> codes; };
    struct Wording
    {
        QString kind;
        QString reason;
        bool temporaryOnly = false;    // read only in 4xx replies and text without a code
        RulePattern match;
        Advice advice;
        bool overridesReason = false;  // over the reason rules' own (greylisting)
    };

    static RulePattern pattern(const QString &text);
    // The words are checked once (CheckedText) for all the patterns that read them.
    QString sourceOf(const CheckedText &text) const;
    const Wording *wordingFor(const CheckedText &text, int code, const QString &status) const;
    static QString refined(const QString &reason, const Wording *w);
    Diagnosis describe(const CheckedText &text, const QString &reason, const Wording *w) const;
    bool applyList(const CheckedText &text, Diagnosis &d) const;
    bool applyProviderCode(const CheckedText &text, Diagnosis &d) const;
    static QString urlIn(const CheckedText &text);

    QList<Source> m_sources;
    QList<List> m_lists;
    QList<ProviderCodes> m_providerCodes;
    QList<Wording> m_wordings;
    QHash<QString, Advice> m_reasons;
    QStringList m_errors;
};

} // namespace smtp
