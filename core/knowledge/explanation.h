#pragma once
// What a reply means, ready to show: a summary for newcomers, the digits one by one, the
// enhanced status code, whether to retry, what to do, and where to read more.

#include "diagnosis.h"
#include "knowledge.h"
#include "protocol/reply.h"

#include <QJsonObject>
#include <optional>

namespace smtp {

enum class Retry {
    Unknown,      // no valid code
    NotNeeded,    // 2xx and 3xx: it worked, or the dialogue goes on
    Later,        // 4xx: temporary; a later try is expected to work
    AfterChange,  // 5xx: the same thing will fail again; something must change first
    MayHelpLater, // 5xx whose cause can pass by itself (a full mailbox)
};

QString retryName(Retry retry);   // "not-needed", "later", ...
QString retryText(Retry retry);   // a sentence

struct Explanation
{
    int code = 0;
    QString after;                 // the command answered ("RCPT"), empty if unknown
    bool codeKnown = false;        // the code is in our knowledge
    DigitMeaning klass;            // first digit
    DigitMeaning category;         // second digit
    QString detail;                // third digit, in words
    QString title;                 // the code's title
    QString meaning;               // what it means after this command (or in general)

    std::optional<EnhancedStatus> enhanced;
    bool enhancedRegistered = false;
    bool enhancedKnown = false;    // in the registry or a vendor code we know
    QString vendor;                // who uses it, for codes outside the registry
    DigitMeaning enhancedClass;
    DigitMeaning enhancedSubject;
    QString enhancedTitle;
    QString enhancedText;
    QString actor;

    Retry retry = Retry::Unknown;
    QString action;                // what to do next
    QString summary;               // one line a newcomer understands
    QString annotation;            // short: "Permanent failure - Mail system - 5.1.1 Bad ..."
    QStringList references;        // "RFC 5321 4.2.3", "RFC 3463 3.2"
    QList<Violation> violations;
    Diagnosis diagnosis;           // what the server's words say; empty for successes

    // Set by the Explainer that built it: two explanations from one Explainer with the same
    // keys are equal but for their violations (output caches use this).
    quint64 codesKey = 0;
    quint64 wordsKey = 0;
};

// Where the enhanced code comes from, in words: "IANA registry", "not registered; used by
// Microsoft", "not registered".
QString registryText(const Explanation &explanation);

// Who must act, in words: "sender-admin" -> "the sender's mail administrator".
QString actorText(const QString &actor);

// The explanation as JSON, with the reply's own text when one is given, and the
// diagnosis keys (see addDiagnosisJson).
QJsonObject toJson(const Explanation &explanation, const Reply *reply = nullptr);

} // namespace smtp
