#include "mtalog.h"

#include <QRegularExpression>

namespace smtp::MtaLog {

namespace {

struct LogFailure
{
    QString recipient;
    QString action;      // failed, delayed
    QString status;      // the dsn= value, or empty
    QString remoteMta;
    QString diagnostic;
};

// Postfix: "postfix/smtp[123]: 4Bf0: to=<bob@x>, relay=mx.x[1.2.3.4]:25, ..., dsn=5.1.1,
// status=bounced (host mx.x[1.2.3.4] said: 550 ... (in reply to RCPT TO command))".
std::optional<LogFailure> postfixLine(QStringView line)
{
    static const QRegularExpression re(QStringLiteral(
        "\\bto=<([^>]*)>.*?(?:relay=([^\\[,\\s]+)[^,]*,)?.*?(?:dsn=([245]\\.[0-9]{1,3}\\.[0-9]{1,3}),)?"
        "\\s*status=(bounced|deferred|undeliverable|expired)\\s*\\((.*)\\)\\s*$"));
    const QRegularExpressionMatch m = re.match(line.toString());
    if (!m.hasMatch())
        return std::nullopt;
    const QString status = m.captured(4);
    LogFailure f{m.captured(1), status == QLatin1String("deferred") ? QStringLiteral("delayed") : QStringLiteral("failed"),
                 m.captured(3), m.captured(2), m.captured(5)};
    if (f.remoteMta == QLatin1String("none"))
        f.remoteMta.clear();
    return f;
}

// Exim: "2026-12-01 10:00:00 1abc-0001-XY ** bob@x R=dnslookup T=remote_smtp H=mx.x [1.2.3.4]
// X=TLS1.3:...: SMTP error from remote mail server after RCPT TO:<bob@x>: 550 5.1.1 ..." and
// "==" for a delay. The fields hold no ": " (X= values have bare colons): the first one ends them.
std::optional<LogFailure> eximLine(QStringView line)
{
    static const QRegularExpression head(QStringLiteral("\\s(\\*\\*|==)\\s+(\\S+@[^\\s:]+)"));
    static const QRegularExpression host(QStringLiteral("\\sH=([^\\s:\\[]+)"));
    const QString text = line.toString();
    const QRegularExpressionMatch m = head.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const qsizetype end = text.indexOf(QLatin1String(": "), m.capturedEnd());
    const QString fields = text.mid(m.capturedEnd(), end < 0 ? -1 : end - m.capturedEnd());
    return LogFailure{m.captured(2), m.captured(1) == QLatin1String("**") ? QStringLiteral("failed") : QStringLiteral("delayed"),
                      QString(), host.match(fields).captured(1), end < 0 ? QString() : text.mid(end + 2)};
}

QString oneLine(QString text)
{
    return text.simplified();
}

} // namespace

bool isLogLine(QStringView line)
{
    // syslog ("Dec  1 10:00:00 host postfix/smtp[1]:"), RFC 5424/ISO stamps, Exim's own log.
    static const QRegularExpression re(QStringLiteral(
        "^(?:[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} \\S+ \\S+?(?:\\[[0-9]+\\])?:|"
        "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]{8,}\\S*\\s)"));
    return re.match(line.toString()).hasMatch();
}

std::optional<QByteArray> dsnFields(QStringView line)
{
    std::optional<LogFailure> f = postfixLine(line);
    if (!f)
        f = eximLine(line);
    if (!f || f->recipient.isEmpty())
        return std::nullopt;
    QString out = QStringLiteral("Final-Recipient: rfc822; %1\nAction: %2\n").arg(f->recipient, f->action);
    if (!f->status.isEmpty())
        out += QStringLiteral("Status: %1\n").arg(f->status);
    if (!f->remoteMta.isEmpty())
        out += QStringLiteral("Remote-MTA: dns; %1\n").arg(f->remoteMta);
    if (!f->diagnostic.isEmpty())
        out += QStringLiteral("Diagnostic-Code: smtp; %1\n").arg(oneLine(f->diagnostic));
    return out.toUtf8();
}

} // namespace smtp::MtaLog
