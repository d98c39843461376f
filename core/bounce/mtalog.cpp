#include "mtalog.h"

#include <QRegularExpression>

#include <utility>

namespace smtp::MtaLog {

namespace {

struct LogFailure
{
    QString recipient;
    QString action;            // failed, delayed
    QString status;            // the dsn= value, or empty
    QString remoteMta;
    QString diagnostic;
    QString originalRecipient; // the address the sender wrote, before aliases or forwarding
};

// Postfix: "postfix/smtp[123]: 4Bf0: to=<bob@x>, relay=mx.x[1.2.3.4]:25, ..., dsn=5.1.1,
// status=bounced (host mx.x[1.2.3.4] said: 550 ... (in reply to RCPT TO command))".
std::optional<LogFailure> postfixLine(QStringView line)
{
    static const QRegularExpression re(QStringLiteral(
        "\\bto=<([^>]*)>.*?(?:relay=([^\\[,\\s]+)[^,]*,)?.*?(?:dsn=([245]\\.[0-9]{1,3}\\.[0-9]{1,3}),)?"
        "\\s*status=(bounced|deferred|undeliverable|expired)\\s*\\((.*)\\)\\s*$"));
    static const QRegularExpression origTo(QStringLiteral("\\borig_to=<([^>]*)>"));
    const QRegularExpressionMatch m = re.match(line);
    if (!m.hasMatch())
        return std::nullopt;
    const QString status = m.captured(4);
    LogFailure f{m.captured(1), status == QLatin1String("deferred") ? QStringLiteral("delayed") : QStringLiteral("failed"),
                 m.captured(3), m.captured(2), m.captured(5), origTo.match(line).captured(1)};
    if (f.remoteMta == QLatin1String("none"))
        f.remoteMta.clear();
    return f;
}

// Exim: "2026-12-01 10:00:00 1abc-0001-XY ** bob@x R=dnslookup T=remote_smtp H=mx.x [1.2.3.4]
// X=TLS1.3:...: SMTP error from remote mail server after RCPT TO:<bob@x>: 550 5.1.1 ..." and
// "==" for a delay. An address made by redirection is followed by its parent in parentheses
// and the original address in angle brackets: "** bob@x (alias) <info@y> R=...". The final
// one may be a bare local part ("** bob <bob@y>"): the original is then the only address.
// The fields hold no ": " (X= values have bare colons): the first one ends them.
std::optional<LogFailure> eximLine(QStringView text)
{
    static const QRegularExpression head(QStringLiteral(
        "\\s(\\*\\*|==)\\s+([^\\s:<(]+)(?:\\s+\\([^)]*\\))?(?:\\s+<([^>\\s]*)>)?"));
    static const QRegularExpression host(QStringLiteral("\\sH=([^\\s:\\[]+)"));
    const QRegularExpressionMatch m = head.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    QString recipient = m.captured(2);
    QString original = m.captured(3);
    if (!recipient.contains(QLatin1Char('@'))) {
        if (!original.contains(QLatin1Char('@')))
            return std::nullopt; // a pipe or a file, not an address
        recipient = std::exchange(original, QString());
    }
    const qsizetype end = text.indexOf(QLatin1String(": "), m.capturedEnd());
    const QStringView fields = text.mid(m.capturedEnd(), end < 0 ? -1 : end - m.capturedEnd());
    return LogFailure{recipient, m.captured(1) == QLatin1String("**") ? QStringLiteral("failed") : QStringLiteral("delayed"),
                      QString(), host.match(fields).captured(1), end < 0 ? QString() : text.mid(end + 2).toString(), original};
}

// The start of a log line: an optional grep prefix ("mail.log:" of grep -H, "12:" of -n),
// a timestamp, and for syslog the host and the program. The host is in capture 1 (a
// traditional stamp, which syslog always follows with host and program) or 2 (an ISO
// stamp, which Exim's own log follows with a message id instead).
const QRegularExpression &lineHead()
{
    static const QRegularExpression re(QStringLiteral(
        "^(?:[^\\s:][^:]{0,255}:(?:[0-9]+:)?)?"
        "(?:[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8}\\s+(\\S+)\\s+[^\\s\\[:]+(?:\\[[0-9]+\\])?:"
        "|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]{8,}\\S*\\s(?:\\s*(\\S+)\\s+[^\\s\\[:]+(?:\\[[0-9]+\\])?:)?)"));
    return re;
}

// A Postfix delivery record without its syslog head (journalctl -o cat, a cut column).
bool isPostfixRecord(QStringView line)
{
    static const QRegularExpression re(QStringLiteral("\\bto=<[^>]*>,.*\\bstatus=[a-z]+\\b"));
    return re.match(line).hasMatch();
}

} // namespace

bool isLogLine(QStringView line)
{
    return lineHead().match(line).hasMatch() || isPostfixRecord(line);
}

std::optional<QByteArray> dsnFields(QStringView line)
{
    std::optional<LogFailure> f = postfixLine(line);
    if (!f)
        f = eximLine(line);
    if (!f || f->recipient.isEmpty())
        return std::nullopt;
    const QRegularExpressionMatch head = lineHead().match(line);
    const QString reportingMta = head.captured(1).isEmpty() ? head.captured(2) : head.captured(1);
    QString out = QStringLiteral("Final-Recipient: rfc822; %1\n").arg(f->recipient);
    if (!f->originalRecipient.isEmpty())
        out += QStringLiteral("Original-Recipient: rfc822; %1\n").arg(f->originalRecipient);
    out += QStringLiteral("Action: %1\n").arg(f->action);
    if (!f->status.isEmpty())
        out += QStringLiteral("Status: %1\n").arg(f->status);
    if (!reportingMta.isEmpty())
        out += QStringLiteral("Reporting-MTA: dns; %1\n").arg(reportingMta);
    if (!f->remoteMta.isEmpty())
        out += QStringLiteral("Remote-MTA: dns; %1\n").arg(f->remoteMta);
    if (!f->diagnostic.isEmpty())
        out += QStringLiteral("Diagnostic-Code: smtp; %1\n").arg(f->diagnostic.simplified());
    return out.toUtf8();
}

} // namespace smtp::MtaLog
