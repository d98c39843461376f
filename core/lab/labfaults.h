#pragma once
// Faults on demand, as Mailpit's chaos and MailHog's Jim give them, for a class or a
// client's tests: at a stage of the session, with a chance, a reply of the teacher's
// choosing, a delay, or a dropped connection. A seed makes a run repeat exactly.
//
// The spec, shared by `smtpwb lab --chaos`, scenario files and the practice panel, is a
// comma-separated list of STAGE:WHAT[:PERCENT]:
//   RCPT:451:10              451 (with a fitting enhanced code and text) to 10 % of RCPTs
//   DATA_END:552             552 to every message (percent defaults to 100)
//   MAIL:delay=2000          MAIL's reply two seconds late
//   DATA:delay=500-3000:50   half of the DATA replies late by 0.5 to 3 s
//   EHLO:drop:5              the connection closed, no reply, at 5 % of EHLOs
// STAGE is CONNECT (the greeting), a verb (EHLO, HELO, MAIL, RCPT, DATA, BDAT, AUTH, ...),
// DATA_END (the reply after the final dot) or * (every command).

#include <QList>
#include <QString>
#include <optional>

namespace smtp {

struct LabFault
{
    enum class Kind { Reply, Delay, Drop };
    QString stage;
    Kind kind = Kind::Reply;
    QString reply;          // "451 4.3.0 text", for Reply
    int delayMinMs = 0;     // for Delay
    int delayMaxMs = 0;
    int percent = 100;

    bool appliesTo(const QString &stageName) const;
    QString spec() const;   // back in the spec's syntax: "RCPT:451:10"

    friend bool operator==(const LabFault &a, const LabFault &b)
    {
        return a.stage == b.stage && a.kind == b.kind && a.reply == b.reply && a.delayMinMs == b.delayMinMs
            && a.delayMaxMs == b.delayMaxMs && a.percent == b.percent;
    }
};

// Reads a spec (see above); an empty spec is no fault. On an error, says which item and why.
std::optional<QList<LabFault>> parseFaults(const QString &spec, QString *error);
QString faultsSpec(const QList<LabFault> &faults);

// A reply code's injected answer: "451 4.3.0 Requested action aborted: a fault the
// practice server was asked to inject".
QString faultReply(int code);

} // namespace smtp
