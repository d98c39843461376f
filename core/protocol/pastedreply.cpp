#include "pastedreply.h"

#include "replyparser.h"

#include <QRegularExpression>

namespace smtp {

namespace {

constexpr auto kOptions = QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption;

// What is left once a framing is taken off.
struct Unframed
{
    QString text;
    QString framing;
    QString command;
    QString host;
};

QString collapse(QString text)
{
    return text.simplified();
}

// Postfix: "host mx.x[1.2.3.4] said: 550 ... (in reply to RCPT TO command)".
bool postfixFraming(const QString &text, Unframed &out)
{
    static const QRegularExpression re(QStringLiteral(
        "\\bhost\\s+(\\S+)\\s+said:\\s*(.*?)\\s*(?:\\(in reply to (.+?) command\\))?\\s*$"), kOptions);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return false;
    out = {m.captured(2), QStringLiteral("postfix"), commandNamed(m.captured(3)), m.captured(1)};
    return true;
}

// Exim: "SMTP error from remote mail server after RCPT TO:<bob@x>: [host mx.x [1.2.3.4]:] 550 ...".
bool eximFraming(const QString &text, Unframed &out)
{
    static const QRegularExpression re(QStringLiteral(
        "SMTP error from remote (?:mail server|mailer) after\\s+((?:RCPT TO|MAIL FROM):\\s*<[^>]*>|[^:]+?)(?:\\s+[A-Z]+=\\S+)*:"
        "\\s*(?:host\\s+(\\S+(?:\\s+\\[[^\\]]+\\])?):\\s*)?(.*)$"), kOptions);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return false;
    out = {m.captured(3), QStringLiteral("exim"), commandNamed(m.captured(1)), m.captured(2)};
    return true;
}

// Exchange: "Remote Server returned '550 5.1.1 ...'" (also "at mx: Remote server returned").
bool exchangeFraming(const QString &text, Unframed &out)
{
    static const QRegularExpression re(QStringLiteral("Remote Server (?:at (\\S+) )?returned '(.*)'"), kOptions);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return false;
    out = {m.captured(2), QStringLiteral("exchange"), QString(), m.captured(1)};
    return true;
}

// A DSN field: "Diagnostic-Code: smtp; 550 ..." (folded lines included).
bool dsnFraming(const QString &text, Unframed &out)
{
    static const QRegularExpression re(QStringLiteral("^\\s*Diagnostic-Code:\\s*[^;]*;\\s*(.*)$"), kOptions);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return false;
    out = {m.captured(1), QStringLiteral("dsn"), QString(), QString()};
    return true;
}

// Sendmail's transcript: "... while talking to mx.x.: >>> RCPT To:<x> <<< 550 ...".
bool sendmailFraming(const QString &text, Unframed &out)
{
    static const QRegularExpression reply(QStringLiteral("^<<<\\s?(.*)$"), QRegularExpression::MultilineOption);
    static const QRegularExpression command(QStringLiteral("^>>>\\s?(\\S+(?: (?:TO|FROM):)?)"),
                                            QRegularExpression::MultilineOption | QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression host(QStringLiteral("while talking to ([^\\s:]+)"), QRegularExpression::CaseInsensitiveOption);
    QStringList lines;
    for (auto it = reply.globalMatch(text); it.hasNext();)
        lines.append(it.next().captured(1));
    if (lines.isEmpty())
        return false;
    QString last;
    for (auto it = command.globalMatch(text); it.hasNext();)
        last = it.next().captured(1);
    out = {lines.join(QLatin1Char('\n')), QStringLiteral("sendmail"), commandNamed(last), host.match(text).captured(1)};
    return true;
}

Unframed unframe(const QString &text)
{
    Unframed out;
    if (dsnFraming(text, out) || sendmailFraming(text, out) || eximFraming(text, out) || postfixFraming(text, out)
        || exchangeFraming(text, out)) {
        return out;
    }
    return {text, QString(), QString(), QString()};
}

// Where a reply code starts: at a line's start, or inside text when an enhanced code
// follows it ("... said: 550 5.1.1"), so numbers in prose ("432000 seconds") are not taken.
qsizetype replyStart(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(
        "(?:^|(?<=[\\s:;'\"(\\[]))[245][0-5][0-9](?:(?=[ -][245]\\.[0-9]{1,3}\\.[0-9]{1,3}\\b)|(?<=^...)(?=[ -]|$))"),
        QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = re.match(text);
    return m.hasMatch() ? m.capturedStart() : -1;
}

// The lines of one reply: "550-a 550-b 550 c" joined on one line is split again.
QStringList replyLines(const QString &text)
{
    const QString code = text.left(3);
    const QRegularExpression next(QStringLiteral("\\s+(?=%1[ -])").arg(code));
    QStringList lines;
    for (const QString &line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty())
            continue;
        if (!trimmed.startsWith(code) && !lines.isEmpty()) {
            lines.last() += QLatin1Char(' ') + trimmed; // a folded line goes on
            continue;
        }
        lines += trimmed.split(next, Qt::SkipEmptyParts);
    }
    return lines;
}

// The reply the server sent, from its lines as pasted; the last line ends the reply
// whether or not it was pasted with the space separator.
Reply parseLines(QStringList lines)
{
    QByteArray bytes;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines[i];
        if (i + 1 == lines.size() && line.size() >= 4 && line.at(3) == QLatin1Char('-'))
            line[3] = QLatin1Char(' ');
        else if (i + 1 < lines.size() && line.size() >= 4 && line.at(3) == QLatin1Char(' '))
            line[3] = QLatin1Char('-');
        else if (line.size() == 3)
            line += i + 1 == lines.size() ? QLatin1Char(' ') : QLatin1Char('-');
        bytes += line.toUtf8() + "\r\n";
    }
    ReplyParser parser;
    parser.feed(bytes);
    const QList<Reply> replies = parser.takeReplies();
    if (!replies.isEmpty())
        return replies.first();
    return parser.finish().value_or(Reply());
}

// Words with no code: kept as the reply's text; an enhanced code inside still counts.
Reply textOnly(const QString &text)
{
    static const QRegularExpression status(QStringLiteral("(?<![0-9.])[245]\\.[0-9]{1,3}\\.[0-9]{1,3}(?![0-9.])"));
    Reply reply;
    reply.lines = QStringList{collapse(text)};
    reply.raw = text.toUtf8();
    reply.enhanced = EnhancedStatus::parse(status.match(text).captured(0));
    return reply;
}

} // namespace

QString commandNamed(const QString &words)
{
    const QString w = words.simplified().toUpper();
    if (w.isEmpty())
        return QString();
    if (w.contains(QLatin1String("END OF DATA")) || w.contains(QLatin1String("END OF MESSAGE"))
        || w == QLatin1String("DATA_END"))
        return QStringLiteral("DATA_END");
    if (w.startsWith(QLatin1String("RCPT")))
        return QStringLiteral("RCPT");
    if (w.startsWith(QLatin1String("MAIL")))
        return QStringLiteral("MAIL");
    if (w.contains(QLatin1String("DATA")))
        return QStringLiteral("DATA");
    if (w.contains(QLatin1String("CONNECT")) || w.contains(QLatin1String("GREETING")) || w.contains(QLatin1String("BANNER")))
        return QStringLiteral("CONNECT");
    static const QStringList verbs = {
        QStringLiteral("EHLO"), QStringLiteral("HELO"), QStringLiteral("STARTTLS"), QStringLiteral("AUTH"),
        QStringLiteral("BDAT"), QStringLiteral("RSET"), QStringLiteral("VRFY"), QStringLiteral("EXPN"),
        QStringLiteral("HELP"), QStringLiteral("NOOP"), QStringLiteral("QUIT"), QStringLiteral("ETRN"),
    };
    for (const QString &verb : verbs)
        if (w.startsWith(verb))
            return verb;
    return QString();
}

PastedReply PastedReply::read(const QString &text)
{
    QString normal = text;
    normal.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    const Unframed unframed = unframe(normal.trimmed());
    PastedReply pasted;
    pasted.framing = unframed.framing;
    pasted.command = unframed.command;
    pasted.remoteHost = unframed.host;
    const qsizetype start = replyStart(unframed.text);
    if (start < 0) {
        pasted.reply = textOnly(unframed.text);
        return pasted;
    }
    pasted.reply = parseLines(replyLines(unframed.text.mid(start)));
    return pasted;
}

} // namespace smtp
