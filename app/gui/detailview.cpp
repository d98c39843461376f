#include "detailview.h"
#include "theme.h"

#include "protocol/command.h"
#include "protocol/untrustedtext.h"
#include "session/capabilities.h"

namespace smtp::gui {

namespace {
// Everything shown here goes through one door: hidden characters as marks, then HTML.
QString esc(const QString &s)
{
    return visibleText(s).toHtmlEscaped();
}

QString row(const QString &head, const QString &text)
{
    return QStringLiteral("<tr><td style='padding-right:12px;white-space:nowrap'><b>%1</b></td><td>%2</td></tr>")
        .arg(esc(head), text);
}

QString section(const QString &title)
{
    return QStringLiteral("<h3 style='margin-bottom:2px'>%1</h3>").arg(esc(title));
}

// What each parameter of MAIL and RCPT asks for, in a few words.
QString parameterMeaning(const EsmtpParameter &p)
{
    const QString k = p.keyword;
    if (k == QLatin1String("SIZE"))
        return QStringLiteral("declares the message size: %1 bytes (RFC 1870); the server may refuse it now rather than after sending").arg(p.value);
    if (k == QLatin1String("BODY"))
        return QStringLiteral("the body is %1 (7BIT: ASCII only; 8BITMIME: 8-bit text, RFC 6152; BINARYMIME: raw bytes with BDAT, RFC 3030)").arg(p.value);
    if (k == QLatin1String("RET"))
        return QStringLiteral("a bounce should return %1 (RFC 3461)").arg(p.value == QLatin1String("HDRS") ? QStringLiteral("only the headers") : QStringLiteral("the full message"));
    if (k == QLatin1String("ENVID"))
        return QStringLiteral("an envelope id to find in delivery reports (RFC 3461)");
    if (k == QLatin1String("NOTIFY"))
        return QStringLiteral("ask for delivery reports on: %1 (RFC 3461)").arg(p.value);
    if (k == QLatin1String("ORCPT"))
        return QStringLiteral("the original recipient, for reports (RFC 3461)");
    if (k == QLatin1String("SMTPUTF8"))
        return QStringLiteral("the message uses UTF-8 addresses or headers (RFC 6531)");
    if (k == QLatin1String("REQUIRETLS"))
        return QStringLiteral("the message must only travel over TLS (RFC 8689)");
    if (k == QLatin1String("AUTH"))
        return QStringLiteral("the authenticated submitter (RFC 4954 5)");
    if (k == QLatin1String("MT-PRIORITY"))
        return QStringLiteral("message priority %1 (RFC 6710)").arg(p.value);
    return QStringLiteral("not a parameter we know");
}

// What a command is for, per verb.
QString verbPurpose(const QString &verb)
{
    static const QHash<QString, QString> purposes = {
        {QStringLiteral("EHLO"), QStringLiteral("Introduces the client by name and asks for the server's extensions (RFC 5321 4.1.1.1).")},
        {QStringLiteral("HELO"), QStringLiteral("Introduces the client the old way, without extensions (RFC 5321 4.1.1.1).")},
        {QStringLiteral("STARTTLS"), QStringLiteral("Asks to switch this connection to TLS; afterwards the session starts over with EHLO (RFC 3207).")},
        {QStringLiteral("AUTH"), QStringLiteral("Signs in with a SASL mechanism (RFC 4954).")},
        {QStringLiteral("MAIL"), QStringLiteral("Starts a mail transaction and gives the envelope sender, where bounces go (RFC 5321 4.1.1.2).")},
        {QStringLiteral("RCPT"), QStringLiteral("Names one recipient of the message; repeat for each (RFC 5321 4.1.1.3).")},
        {QStringLiteral("DATA"), QStringLiteral("Asks to send the message; after 354, send it and end with a line holding a single dot (RFC 5321 4.1.1.4).")},
        {QStringLiteral("BDAT"), QStringLiteral("Sends the message in chunks of a stated size, without dot-stuffing (RFC 3030).")},
        {QStringLiteral("RSET"), QStringLiteral("Abandons the current transaction; the connection stays (RFC 5321 4.1.1.5).")},
        {QStringLiteral("VRFY"), QStringLiteral("Asks whether an address exists; most servers will not say (RFC 5321 4.1.1.6).")},
        {QStringLiteral("EXPN"), QStringLiteral("Asks for the members of a mailing list; usually disabled (RFC 5321 4.1.1.7).")},
        {QStringLiteral("HELP"), QStringLiteral("Asks for help text (RFC 5321 4.1.1.8).")},
        {QStringLiteral("NOOP"), QStringLiteral("Does nothing: checks that the server is still there (RFC 5321 4.1.1.9).")},
        {QStringLiteral("QUIT"), QStringLiteral("Ends the session politely; the server answers 221 and closes (RFC 5321 4.1.1.10).")},
        {QStringLiteral("ETRN"), QStringLiteral("Asks the server to send the mail it holds for a domain (RFC 1985).")},
    };
    return purposes.value(verb, QStringLiteral("Not a command of RFC 5321 or of a known extension."));
}
// What each keyword of an EHLO reply offers, with its parameters read (RFC 5321 4.1.1.1).
QString capabilitiesHtml(const Capabilities &capabilities)
{
    if (capabilities.isEmpty())
        return QString();
    QString html = section(QStringLiteral("What the server offers"));
    html += QStringLiteral("<table>");
    const Knowledge &k = Knowledge::instance();
    for (const Capability &c : capabilities.list()) {
        const KeywordInfo *info = k.keyword(c.keyword);
        QString text = info ? QStringLiteral("%1 (%2)").arg(k.describeParameters(c.keyword, c.params), info->rfc)
                            : QStringLiteral("An extension we do not know.");
        html += row(c.keyword, esc(text));
    }
    html += QStringLiteral("</table>");
    return html;
}
} // namespace

QString hexDump(const QByteArray &bytes)
{
    QString out;
    // 8 bytes a line: it fits the detail pane without scrolling sideways.
    constexpr int perLine = 8;
    for (qsizetype i = 0; i < bytes.size(); i += perLine) {
        const QByteArray chunk = bytes.mid(i, perLine);
        QString hex = QString::fromLatin1(chunk.toHex(' '));
        QString text;
        for (char c : chunk)
            text += (c >= 0x20 && c < 0x7f) ? QChar::fromLatin1(c) : QLatin1Char('.');
        out += QStringLiteral("%1  %2  %3\n").arg(i, 4, 16, QLatin1Char('0')).arg(hex, -(perLine * 3 - 1)).arg(text);
    }
    return out;
}

QString diagnosisHtml(const Diagnosis &d)
{
    if (d.isEmpty())
        return QString();
    QString html = section(QStringLiteral("What the server's words say"));
    if (!d.summary.isEmpty())
        html += QStringLiteral("<p style='font-size:large'><b>%1</b></p>").arg(esc(d.summary));
    html += QStringLiteral("<table>");
    if (!d.reason.isEmpty())
        html += row(QStringLiteral("Reason"), esc(d.reason));
    if (!d.list.isEmpty())
        html += row(QStringLiteral("Block list"), esc(d.list));
    if (!d.source.isEmpty())
        html += row(QStringLiteral("Written by"), esc(d.source));
    if (!d.action.isEmpty())
        html += row(QStringLiteral("What to do"), esc(d.action));
    if (!d.help.isEmpty())
        html += row(QStringLiteral("Read more"), esc(d.help));
    html += QStringLiteral("</table>");
    return html;
}

QString replyHtml(const Reply &reply, const Explanation &e)
{
    // The server's own words first, whole and readable; then what they say; then the codes.
    // Wrapped, not cut: the whole reply is read without scrolling sideways.
    QString html = QStringLiteral("<p style='font-family:monospace;font-size:large;white-space:pre-wrap'>%1</p>")
                       .arg(esc(reply.toDisplayString()));
    html += diagnosisHtml(e.diagnosis);
    if (!e.diagnosis.isEmpty())
        html += section(QStringLiteral("What the codes say"));
    html += QStringLiteral("<p style='font-size:large'><b>%1</b></p>").arg(esc(e.summary));
    if (e.code) {
        const QString digits = codeDigits(e.code);
        html += section(QStringLiteral("Reply code %1: %2").arg(codeDigits(e.code), e.title));
        html += QStringLiteral("<table>");
        html += row(QStringLiteral("%1xx  class").arg(digits[0]), QStringLiteral("<b>%1</b> - %2").arg(esc(e.klass.name), esc(e.klass.text)));
        html += row(QStringLiteral("x%1x  category").arg(digits[1]), QStringLiteral("<b>%1</b> - %2").arg(esc(e.category.name), esc(e.category.text)));
        html += row(QStringLiteral("xx%1  detail").arg(digits[2]), esc(e.detail));
        html += row(e.after.isEmpty() ? QStringLiteral("Meaning") : QStringLiteral("After %1").arg(e.after), esc(e.meaning));
        html += QStringLiteral("</table>");
    }
    if (e.enhanced) {
        const QString status = e.enhanced->toString();
        const QString registry = registryText(e);
        html += section(QStringLiteral("Enhanced status %1: %2 (%3)").arg(status, e.enhancedTitle, registry));
        html += QStringLiteral("<table>");
        html += row(QStringLiteral("%1.x.x  class").arg(e.enhanced->klass), QStringLiteral("<b>%1</b> - %2").arg(esc(e.enhancedClass.name), esc(e.enhancedClass.text)));
        html += row(QStringLiteral("x.%1.x  subject").arg(e.enhanced->subject), QStringLiteral("<b>%1</b> - %2").arg(esc(e.enhancedSubject.name), esc(e.enhancedSubject.text)));
        html += row(QStringLiteral("x.x.%1  detail").arg(e.enhanced->detail), esc(e.enhancedText));
        html += QStringLiteral("</table>");
    }
    html += section(QStringLiteral("What now"));
    html += QStringLiteral("<table>");
    html += row(QStringLiteral("Retry"), esc(retryText(e.retry)));
    if (!e.actor.isEmpty() && e.actor != QLatin1String("none") && e.diagnosis.action.isEmpty())
        html += row(QStringLiteral("Who acts"), esc(actorText(e.actor)));
    if (e.diagnosis.action.isEmpty())
        html += row(QStringLiteral("What to do"), esc(e.action));
    html += row(QStringLiteral("Read"), esc(e.references.join(QStringLiteral(", "))));
    html += QStringLiteral("</table>");
    if (!reply.violations.isEmpty()) {
        html += section(QStringLiteral("Protocol violations"));
        html += QStringLiteral("<ul>");
        for (Violation v : reply.violations)
            html += QStringLiteral("<li style='color:%1'>%2</li>").arg(Theme::replyClass(5).name(), esc(describe(v)));
        html += QStringLiteral("</ul>");
    }
    if (!reply.raw.isEmpty()) {
        html += section(QStringLiteral("Raw bytes (%1)").arg(reply.raw.size()));
        html += QStringLiteral("<pre>%1</pre>").arg(esc(hexDump(reply.raw)));
    }
    return html;
}

QString commandHtml(const QString &line)
{
    const Command c = Command::parse(line.section(QLatin1Char('\n'), 0, 0));
    QString html = QStringLiteral("<p style='font-size:large'><b>%1</b></p>").arg(esc(c.line));
    html += QStringLiteral("<p>%1</p>").arg(esc(verbPurpose(c.verb)));
    if (!c.address.isEmpty() || c.verb == QLatin1String("MAIL")) {
        html += QStringLiteral("<table>");
        html += row(c.verb == QLatin1String("MAIL") ? QStringLiteral("Sender") : QStringLiteral("Recipient"),
                    c.address.isEmpty() ? QStringLiteral("&lt;&gt; (the null sender: bounces get no bounce)") : esc(c.address));
        for (const EsmtpParameter &p : c.parameters)
            html += row(p.keyword + (p.hasValue ? QLatin1Char('=') + p.value : QString()), esc(parameterMeaning(p)));
        html += QStringLiteral("</table>");
    }
    if (!c.problems.isEmpty()) {
        html += section(QStringLiteral("Syntax warnings"));
        html += QStringLiteral("<ul>");
        for (const QString &p : c.problems)
            html += QStringLiteral("<li style='color:%1'>%2</li>").arg(Theme::replyClass(4).name(), esc(p));
        html += QStringLiteral("</ul>");
    }
    const QString context = Explainer::contextFor(c.verb);
    const QList<int> codes = Explainer::codesFor(context);
    if (!codes.isEmpty()) {
        html += section(QStringLiteral("Replies it can get"));
        html += QStringLiteral("<table>");
        for (int code : codes) {
            const ReplyCodeInfo *info = Knowledge::instance().replyCode(code);
            html += row(QString::number(code), esc(info->after.value(context)));
        }
        html += QStringLiteral("</table>");
    }
    return html;
}

QString detailHtml(const TranscriptEvent &event, Explainer &explainer)
{
    if (event.reply) {
        // Decoded where it arrived; a hand-made event without one is explained here.
        QString html = replyHtml(*event.reply, event.explanation ? *event.explanation
                                                                 : explainer.explain(*event.reply, event.context));
        if (event.context == QLatin1String("EHLO") && event.reply->code == 250)
            html += capabilitiesHtml(Capabilities::fromEhloReply(*event.reply));
        if (!event.answers.isEmpty())
            html += QStringLiteral("<p><i>In answer to:</i> <code>%1</code>%2</p>")
                        .arg(esc(event.answers.section(QLatin1Char('\n'), 0, 0)),
                             event.latencyMs >= 0 ? QStringLiteral(", after %1 ms").arg(event.latencyMs) : QString());
        return html;
    }
    if (event.kind == TranscriptEvent::Kind::Sent) {
        if (event.context == QLatin1String("DATA_END"))
            return QStringLiteral("<p style='font-size:large'><b>The message</b></p><p>Sent after the 354 with CRLF line "
                                  "ends; lines that begin with a dot are doubled (dot-stuffing, RFC 5321 4.5.2), and a "
                                  "line with a single dot ends it.</p><pre>%1</pre>").arg(esc(event.text));
        if (event.context == QLatin1String("AUTH") && !event.text.startsWith(QLatin1String("AUTH")))
            return QStringLiteral("<p style='font-size:large'><b>An answer in the AUTH exchange</b></p><p>The client's "
                                  "reply to a 334 challenge (RFC 4954 4), base64 on the wire. It carries credentials, "
                                  "so the transcript never shows it.</p><p><code>%1</code></p>").arg(esc(event.text));
        if (event.context == QLatin1String("MESSAGE"))
            return QStringLiteral("<p><b>A line of the message</b>, sent after the 354.</p><pre>%1</pre>").arg(esc(event.text));
        return commandHtml(event.text);
    }
    return QStringLiteral("<p>%1</p>").arg(esc(event.text).replace(QLatin1Char('\n'), QLatin1String("<br>")));
}

} // namespace smtp::gui
