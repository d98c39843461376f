#pragma once
// Exercises: goals a scenario sets ("deliver a message to bob over STARTTLS with AUTH"),
// each a condition the practice server checks on what a client did, and the progress of
// every client address, for the student's checklist and the teacher's view of the class.

#include "labmessage.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <optional>

namespace smtp {

// What one connection has done so far; a delivery is judged with its message too.
struct LabFacts
{
    QSet<QString> verbs;       // commands the server answered (EHLO, STARTTLS, VRFY...)
    bool tls = false;          // TLS is up now
    bool authenticated = false;
    QSet<int> codesSent;       // every reply code this client address got, on any connection
};

struct LabGoal
{
    QString id;                // stable: "tls-auth-delivery"
    QString title;             // what to do, for the checklist
    QString hint;              // how, when the student is stuck
    // Conditions, all of which must hold (an empty one holds):
    QString command;           // this command was answered
    bool tls = false;          // over TLS (the delivery's, when `delivered`)
    bool authenticated = false;
    int replyCode = 0;         // the client got a reply with this code
    bool delivered = false;    // a message was accepted...
    QStringList to;            // ...to each of these
    int minRecipients = 0;     // ...to at least this many in one transaction
    QStringList mailParameters;   // ...with these MAIL parameters (a keyword, or KEYWORD=VALUE)
    QStringList rcptParameters;   // ...and these RCPT parameters
    bool pipelined = false;       // ...with MAIL, RCPT and DATA in one write

    bool reachedBy(const LabFacts &facts, const LabMessage *delivery) const;
    // From a scenario file's goal object; an error names the goal and the key.
    static std::optional<LabGoal> fromJson(const QJsonObject &o, int index, QString *error);

    friend bool operator==(const LabGoal &a, const LabGoal &b);
};

// The goals reached, per client address, since the server started.
class LabProgress : public QObject
{
    Q_OBJECT
public:
    explicit LabProgress(QObject *parent = nullptr) : QObject(parent) {}

    void setGoals(const QList<LabGoal> &goals);
    const QList<LabGoal> &goals() const { return m_goals; }
    void clear();

    // A reply code sent to `ip` (remembered across its connections: "after a 451").
    void noteReply(const QString &ip, int code) { m_codes[ip].insert(code); }
    QSet<int> codesSentTo(const QString &ip) const { return m_codes.value(ip); }
    // Checks every goal `ip` has not reached yet; emits goalReached for each new one.
    void check(const QString &ip, const LabFacts &facts, const LabMessage *delivery = nullptr);

    QStringList reached(const QString &ip) const { return m_reached.value(ip); }
    QStringList clients() const { return m_reached.keys(); }
    // "127.0.0.1: 3 of 10 (say-hello, first-message, two-recipients)"
    QString summary(const QString &ip) const;

signals:
    void goalReached(const QString &ip, const QString &goalId, const QString &title);

private:
    QList<LabGoal> m_goals;
    QHash<QString, QSet<int>> m_codes;
    QHash<QString, QStringList> m_reached;   // in the order reached
};

} // namespace smtp
