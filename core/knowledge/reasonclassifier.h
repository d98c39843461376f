#pragma once
// Names why a delivery failed, in Sisimai's vocabulary (userunknown, mailboxfull, ...),
// from the enhanced status code and the server's words; rules are data (bounce-reasons.json).

#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include "requiredliterals.h"

namespace smtp {

class CheckedText;

class ReasonClassifier
{
public:
    // The compiled-in rules, loaded once; const and safe to share between threads.
    static const ReasonClassifier &instance();

    // `diagnostic` is the server's words, `context` the text around them (read when the
    // words say nothing); `status` "5.1.1" or empty; `action` failed, delayed... or empty.
    QString classify(const QString &diagnostic, const QString &context, const QString &status, int replyCode,
                     const QString &action) const;
    // The status a reason implies in class `klass` (4 or 5): "5.1.1" for userunknown,
    // "5.0.0" for a reason that names none; empty for other classes.
    QString inferredStatus(const QString &reason, int klass) const;
    // Whether retrying cannot help: a hard reason with a permanent (5) class.
    bool isHard(const QString &reason, int klass) const;
    // The reason whose text rules match first, or empty.
    QString reasonFromText(const QString &text) const;

    // A message that holds a delivery back without a failure (a challenge-response
    // request, a list's moderation notice): the note that says so, else empty. A notice that
    // `saysItFailed` (its words) under a subject announcing a non-delivery is a bounce of one.
    QString notBounceNote(const QString &from, const QString &subject, const QString &body, bool saysItFailed) const;

    // A notice in words that says delivery is late, not failed ("THIS IS A WARNING MESSAGE
    // ONLY", "will keep trying"), and not also that it gave up.
    bool soundsDelayed(const QString &subject, const QString &body) const;

    // What a recipient's domain is known to mean when nothing else is (Google Groups...).
    QString reasonForDomain(const QString &recipient) const;

    // What could not be read in bounce-reasons.json; compiles every rule to check it.
    QStringList loadErrors() const;

private:
    ReasonClassifier();

    struct Rule
    {
        QString reason;
        QList<RulePattern> patterns;  // any of them names the reason
    };
    static QList<Rule> readRules(const QJsonArray &array);
    struct StageRule
    {
        QString reason;
        QStringList from;             // the vague reasons the stage of the refusal overrides
        QRegularExpression pattern;   // where in the session the server refused
    };
    QString classifyWords(const CheckedText &diagnostic, const CheckedText &context, const QString &status,
                          int replyCode, const QString &action) const;
    QString byStage(const QString &reason, const CheckedText &diagnostic, const CheckedText &context) const;
    QString firstMatch(const QList<Rule> &rules, const CheckedText &plain) const;

    QList<Rule> m_rules;
    QList<Rule> m_weakRules;
    QList<StageRule> m_stageRules;
    QRegularExpression m_afterData;
    QRegularExpression m_policyStatus;     // with address words and away from RCPT: filtered
    QRegularExpression m_recipientStage;
    QHash<QString, QString> m_status;
    QHash<QString, QString> m_weakStatus;
    struct StatusOverText
    {
        QStringList reasons;          // text reasons the status code overrides
        QRegularExpression unless;    // words that keep the text's reason
    };
    QHash<QString, StatusOverText> m_statusOverText;
    struct ProviderCodes
    {
        QRegularExpression pattern;     // captures the provider's error number
        QHash<QString, QString> codes;  // number -> reason
    };
    QList<ProviderCodes> m_providerCodes;
    QHash<QString, QString> m_domains;
    QStringList m_hard;
    QHash<QString, QString> m_inferredStatus;   // reason -> "X.1.1"
    struct NotBounce
    {
        QString note;
        RulePattern from, subject, body;   // any that matches tells; an empty one never does
    };
    QList<NotBounce> m_notBounces;
    RulePattern m_notBounceUnless;          // a subject announcing that such a notice itself bounced
    struct DelayNotices
    {
        RulePattern subject, body, unless;
    } m_delay;
    QStringList m_errors;
};

} // namespace smtp
