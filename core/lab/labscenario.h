#pragma once
// A practice-server scenario: what the lab server says and refuses, read from JSON (the
// built-in ones under resources/lab/scenarios/, or a teacher's own file).

#include "labfaults.h"
#include "labgoals.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace smtp {

// A demo account for AUTH PLAIN/LOGIN. Passwords are in clear: this is a classroom toy.
struct LabAccount
{
    QString user;
    QString password;

    friend bool operator==(const LabAccount &a, const LabAccount &b)
    {
        return a.user == b.user && a.password == b.password;
    }
};

// One scripted answer: when `command` comes and `match` matches, answer `reply` (or
// `raw` bytes, unchecked, to show broken servers) instead of the usual reply.
struct LabRule
{
    QString command;      // upper case verb, or CONNECT (the greeting) or DATA_END (after the dot)
    QString match;        // case-insensitive regular expression; empty matches everything
    QString reply;        // "452 4.2.2 Mailbox full"; lines separated by \n
    QByteArray raw;       // sent exactly as is when not empty
    int delayMs = 0;
    bool disconnect = false;  // close the connection after this reply

    friend bool operator==(const LabRule &a, const LabRule &b)
    {
        return a.command == b.command && a.match == b.match && a.reply == b.reply && a.raw == b.raw
            && a.delayMs == b.delayMs && a.disconnect == b.disconnect;
    }
};

struct LabScenario
{
    QString name;            // short id: "greylisting"
    QString title;           // one line for lists
    QString description;     // what the class will see
    QString teaches;         // what the class should learn from it
    QString hostname = QStringLiteral("lab.smtp-workbench.test");
    QString greeting;        // text of the 220 line after the host name
    QStringList capabilities;   // EHLO keywords; SIZE and AUTH get their parameters added
    QStringList domains;        // the lab's own domains; others are relayed or refused
    QStringList mailboxes;      // known recipients; empty = anyone at the lab's domains
    bool openRelay = false;     // accept any recipient domain
    QList<LabAccount> accounts;   // when the file has none: alice/wonderland, bob/builder
    bool requireTls = false;    // 530 5.7.0 to MAIL before STARTTLS
    bool requireAuth = false;   // 530 5.7.0 to MAIL before AUTH
    bool allowPlainAuth = false;   // offer AUTH before TLS (only to show why one should not)
    qint64 maxSize = 10 * 1024 * 1024;   // advertised with SIZE; also the storage cap
    int greylistSeconds = 0;    // 0: no greylisting
    int greetingDelayMs = 0;
    int replyDelayMs = 0;
    int maxMessages = 0;        // per connection; 0: no limit
    int maxCommands = 0;        // per connection; 0: no limit
    int maxErrors = 20;         // then 421 4.7.0 and close
    int idleTimeoutSeconds = 300;
    int firstCommandTimeoutSeconds = 30;   // from the greeting to the first command: silent clients go early
    int maxClientsPerAddress = 10;         // one machine cannot take every place of the class
    int maxClients = 50;
    QList<LabRule> rules;
    QList<LabFault> faults;     // chance-driven faults, tried before the rules (labfaults.h)
    quint32 seed = 0;           // 0: each run differs; else connection n rolls the same dice every run
    int bytesPerSecond = 0;     // replies trickle out at this rate (a tarpit when small); 0: no limit
    QList<LabGoal> goals;       // exercises, checked on what each client does (labgoals.h)
    // Flaws to study, each a real server's bug on purpose (see knownFlaws()).
    QStringList flaws;

    bool hasFlaw(const QString &flaw) const { return flaws.contains(flaw); }
    // "starttls-buffering": commands pipelined after STARTTLS in clear are obeyed after the
    // handshake (CVE-2011-0411); "starttls-injection": an extra reply rides with the 220 to
    // STARTTLS; "smuggling-lf": DATA also ends at <LF>.<LF> and <LF>.<CR><LF> (SMTP smuggling).
    static const QStringList &knownFlaws();

    bool hasCapability(const QString &keyword) const;

    // Every scenario shipped in resources/lab/scenarios/, sorted by name.
    static QList<LabScenario> builtIn();
    // A built-in scenario by name, else a JSON file by path.
    static std::optional<LabScenario> load(const QString &nameOrPath, QString *error = nullptr);
    static std::optional<LabScenario> fromJson(const QByteArray &json, QString *error = nullptr);

    friend bool operator==(const LabScenario &a, const LabScenario &b);
    friend bool operator!=(const LabScenario &a, const LabScenario &b) { return !(a == b); }
};

} // namespace smtp
