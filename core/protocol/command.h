#pragma once
// A command line as a user typed it, split into verb, argument and ESMTP parameters, with
// what breaks RFC 5321 or the extension RFCs noted, so a front end can warn before sending.

#include <QList>
#include <QString>
#include <QStringList>

namespace smtp {

struct EsmtpParameter
{
    QString keyword;  // upper case
    QString value;    // empty when the parameter has none
    bool hasValue = false;

    friend bool operator==(const EsmtpParameter &a, const EsmtpParameter &b)
    {
        return a.keyword == b.keyword && a.value == b.value && a.hasValue == b.hasValue;
    }
};

struct Command
{
    QString line;                       // as typed, without CRLF
    QString verb;                       // upper case: "MAIL"
    QString argument;                   // everything after the verb (after "FROM:" for MAIL)
    QString address;                    // MAIL/RCPT: the address inside <>, "" for <>
    QList<EsmtpParameter> parameters;   // MAIL/RCPT only
    QStringList problems;               // each a sentence naming the rule broken

    static Command parse(const QString &line);

    bool isKnownVerb() const;
    bool isValid() const { return problems.isEmpty(); }
    const EsmtpParameter *parameter(const QString &keyword) const;

    friend bool operator==(const Command &a, const Command &b)
    {
        return a.line == b.line && a.verb == b.verb && a.argument == b.argument
            && a.address == b.address && a.parameters == b.parameters && a.problems == b.problems;
    }
};

// Every verb of RFC 5321 and of the extensions we know, in upper case.
const QStringList &knownVerbs();

} // namespace smtp
