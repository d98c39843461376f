#pragma once
// What a server's words say beyond its codes: why it failed (reason), who wrote it
// (source), which block list it names, where to read more, and what to do. A plain value.

#include <QHashFunctions>
#include <QJsonObject>
#include <QString>

namespace smtp {

struct Diagnosis
{
    QString reason;    // the bounce vocabulary (userunknown, blocked ...) plus "greylisted"
    QString kind;      // the kind of wording matched ("greylisting", "rate limit"), empty if none
    QString source;    // "Gmail / Google Workspace", "Postfix", ...; empty when unknown
    QString list;      // "Spamhaus PBL", "the DNS blocklist bl.example.net"; empty if none
    QString help;      // the URL the reply gives, else the provider's or the list's page
    QString summary;   // the specific meaning, in plain words
    QString action;    // the next step

    bool isEmpty() const { return reason.isEmpty() && source.isEmpty() && list.isEmpty() && summary.isEmpty(); }

    friend bool operator==(const Diagnosis &a, const Diagnosis &b)
    {
        return a.reason == b.reason && a.kind == b.kind && a.source == b.source && a.list == b.list
            && a.help == b.help && a.summary == b.summary && a.action == b.action;
    }
    friend bool operator!=(const Diagnosis &a, const Diagnosis &b) { return !(a == b); }
    friend size_t qHash(const Diagnosis &d, size_t seed = 0)
    {
        return qHashMulti(seed, d.reason, d.kind, d.source, d.list, d.help, d.summary, d.action);
    }
};

// The keys `smtpwb explain --json` and the bounce JSON add: reason, source, list, help,
// diagnosis (the summary), diagnosisAction. Empty values are null.
void addDiagnosisJson(QJsonObject &object, const Diagnosis &diagnosis);

} // namespace smtp
