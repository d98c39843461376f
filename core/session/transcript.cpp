#include "transcript.h"

#include "knowledge/explainer.h"
#include "protocol/replyparser.h"
#include "protocol/untrustedtext.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace smtp {

namespace {
const char *const kKindNames[] = {"connecting", "connected", "sent", "received", "tls",
                                  "warning", "error", "note", "closed"};
constexpr int kFormatVersion = 1;

QString timeText(const QDateTime &time)
{
    return time.toString(QStringLiteral("HH:mm:ss.zzz"));
}

// swaks-style arrows: -> sent, <- received, <** failure received; ~ for TLS.
QString arrowFor(const TranscriptEvent &e)
{
    switch (e.kind) {
    case TranscriptEvent::Kind::Sent: return e.overTls ? QStringLiteral(" ~> ") : QStringLiteral(" -> ");
    case TranscriptEvent::Kind::Received: {
        const bool failure = e.reply && e.reply->code >= 400;
        if (e.overTls)
            return failure ? QStringLiteral("<~* ") : QStringLiteral("<~  ");
        return failure ? QStringLiteral("<** ") : QStringLiteral("<-  ");
    }
    case TranscriptEvent::Kind::Warning:
    case TranscriptEvent::Kind::Error: return QStringLiteral("*** ");
    default: return QStringLiteral("=== ");
    }
}
} // namespace

QString kindName(TranscriptEvent::Kind kind)
{
    return QString::fromLatin1(kKindNames[int(kind)]);
}

QString Transcript::formatEvent(const TranscriptEvent &e)
{
    QString out;
    const QString arrow = arrowFor(e);
    const QString prefix = e.kind == TranscriptEvent::Kind::Warning ? QStringLiteral("warning: ")
                         : e.kind == TranscriptEvent::Kind::Error   ? QStringLiteral("error: ")
                                                                    : QString();
    const QStringList lines = visibleText(e.text).split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        out += timeText(e.time) + QLatin1Char(' ') + arrow + (i == 0 ? prefix : QString()) + lines[i];
        if (i == lines.size() - 1 && e.kind == TranscriptEvent::Kind::Received) {
            if (e.latencyMs >= 0)
                out += QStringLiteral("   [%1 ms]").arg(e.latencyMs);
            if (!e.annotation.isEmpty())
                out += QStringLiteral("   # ") + visibleText(e.annotation, LineBreaks::Mark);
        }
        out += QLatin1Char('\n');
    }
    return out;
}

QString Transcript::toText() const
{
    QString out;
    for (const TranscriptEvent &e : m_events)
        out += formatEvent(e);
    return out;
}

namespace {
// Colours by role; the dark set keeps the same contrast on a near-black page.
const char kLightCss[] =
    "body{font-family:monospace;background:#fff;color:#222}\n"
    ".t{color:#888}.sent{color:#1b4f9c}.c2{color:#1e7d32}.c3{color:#00838f}.c4{color:#b26a00}"
    ".c5{color:#c62828}.c0{color:#6a1b9a}.warning{color:#b26a00}.error{color:#c62828;font-weight:bold}"
    ".note{color:#555}.ann{color:#777;font-style:italic}\n";
const char kDarkCss[] =
    "body{font-family:monospace;background:#1e1e20;color:#e8e8e8}\n"
    ".t{color:#8a8a8a}.sent{color:#8ab4f8}.c2{color:#81c995}.c3{color:#78d9ec}.c4{color:#fdd663}"
    ".c5{color:#f28b82}.c0{color:#d7aefb}.warning{color:#fdd663}.error{color:#f28b82;font-weight:bold}"
    ".note{color:#b0b0b0}.ann{color:#a0a0a0;font-style:italic}\n";

QString htmlStyle(HtmlColours colours)
{
    switch (colours) {
    case HtmlColours::Light: return QString::fromLatin1(kLightCss);
    case HtmlColours::Dark: return QString::fromLatin1(kDarkCss);
    case HtmlColours::Auto: break;
    }
    return QString::fromLatin1(kLightCss) + QStringLiteral("@media (prefers-color-scheme: dark){\n")
           + QString::fromLatin1(kDarkCss) + QStringLiteral("}\n");
}
} // namespace

QString Transcript::toHtml(HtmlColours colours) const
{
    QString out = QStringLiteral(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>SMTP transcript</title>\n<style>\n")
        + htmlStyle(colours) + QStringLiteral("pre{margin:0;white-space:pre-wrap}\n</style></head><body>\n");
    for (const TranscriptEvent &e : m_events) {
        QString cls;
        switch (e.kind) {
        case TranscriptEvent::Kind::Sent: cls = QStringLiteral("sent"); break;
        case TranscriptEvent::Kind::Received: cls = QStringLiteral("c%1").arg(e.reply ? e.reply->code / 100 : 0); break;
        case TranscriptEvent::Kind::Warning: cls = QStringLiteral("warning"); break;
        case TranscriptEvent::Kind::Error: cls = QStringLiteral("error"); break;
        default: cls = QStringLiteral("note"); break;
        }
        out += QStringLiteral("<pre class=\"%1\"><span class=\"t\">%2</span> %3%4")
                   .arg(cls, timeText(e.time), arrowFor(e).toHtmlEscaped(), visibleText(e.text).toHtmlEscaped());
        if (e.kind == TranscriptEvent::Kind::Received && !e.annotation.isEmpty())
            out += QStringLiteral("  <span class=\"ann\">%1%2</span>")
                       .arg(e.latencyMs >= 0 ? QStringLiteral("[%1 ms] ").arg(e.latencyMs) : QString(),
                            visibleText(e.annotation).toHtmlEscaped());
        out += QStringLiteral("</pre>\n");
    }
    out += QStringLiteral("</body></html>\n");
    return out;
}

QByteArray Transcript::toJson() const
{
    QJsonArray events;
    for (const TranscriptEvent &e : m_events) {
        QJsonObject o;
        o.insert(QLatin1String("kind"), kindName(e.kind));
        o.insert(QLatin1String("time"), e.time.toString(Qt::ISODateWithMs));
        o.insert(QLatin1String("text"), e.text);
        if (!e.context.isEmpty())
            o.insert(QLatin1String("context"), e.context);
        if (e.reply) {
            o.insert(QLatin1String("code"), e.reply->code);
            o.insert(QLatin1String("raw"), QString::fromLatin1(e.reply->raw.toBase64()));
            o.insert(QLatin1String("answers"), e.answers);
            o.insert(QLatin1String("annotation"), e.annotation);
            QJsonArray violations;
            for (Violation v : e.reply->violations)
                violations.append(violationName(v));
            o.insert(QLatin1String("violations"), violations);
        }
        if (e.latencyMs >= 0)
            o.insert(QLatin1String("latencyMs"), e.latencyMs);
        o.insert(QLatin1String("tls"), e.overTls);
        events.append(o);
    }
    QJsonObject root;
    root.insert(QLatin1String("format"), QLatin1String("smtp-workbench-transcript"));
    root.insert(QLatin1String("version"), kFormatVersion);
    root.insert(QLatin1String("events"), events);
    return escapeHiddenInJson(QJsonDocument(root).toJson(QJsonDocument::Indented));
}

std::optional<Transcript> Transcript::fromJson(const QByteArray &json, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<Transcript> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("Not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("format")).toString() != QLatin1String("smtp-workbench-transcript"))
        return fail(QStringLiteral("Not an SMTP Workbench transcript (no \"format\": \"smtp-workbench-transcript\")."));
    if (root.value(QLatin1String("version")).toInt() > kFormatVersion)
        return fail(QStringLiteral("The transcript was written by a newer version (format %1).")
                        .arg(root.value(QLatin1String("version")).toInt()));
    Transcript transcript;
    Explainer explainer;
    const QJsonArray events = root.value(QLatin1String("events")).toArray();
    for (const QJsonValue &v : events) {
        const QJsonObject o = v.toObject();
        TranscriptEvent e;
        const QString kind = o.value(QLatin1String("kind")).toString();
        int index = -1;
        for (int i = 0; i < int(std::size(kKindNames)); ++i)
            if (kind == QLatin1String(kKindNames[i]))
                index = i;
        if (index < 0)
            return fail(QStringLiteral("Event %1 has an unknown kind \"%2\".").arg(transcript.size() + 1).arg(kind));
        e.kind = TranscriptEvent::Kind(index);
        e.time = QDateTime::fromString(o.value(QLatin1String("time")).toString(), Qt::ISODateWithMs);
        e.text = o.value(QLatin1String("text")).toString();
        e.latencyMs = o.value(QLatin1String("latencyMs")).toInteger(-1);
        e.overTls = o.value(QLatin1String("tls")).toBool();
        e.context = o.value(QLatin1String("context")).toString();
        if (o.contains(QLatin1String("raw"))) {
            ReplyParser parser;
            parser.feed(QByteArray::fromBase64(o.value(QLatin1String("raw")).toString().toLatin1()));
            QList<Reply> replies = parser.takeReplies();
            if (auto last = parser.finish())
                replies.append(*last);
            if (replies.size() != 1)
                return fail(QStringLiteral("Event %1: the raw bytes do not hold one reply.").arg(transcript.size() + 1));
            e.reply = replies.first();
            e.reply->received = e.time;
            e.answers = o.value(QLatin1String("answers")).toString();
            e.annotation = o.value(QLatin1String("annotation")).toString();
            e.explanation = explainer.explain(*e.reply, e.context); // decoded once, here
        }
        transcript.append(e);
    }
    return transcript;
}

bool Transcript::save(const QString &path, QString *error, HtmlColours colours) const
{
    QByteArray bytes;
    if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        bytes = toJson();
    else if (path.endsWith(QLatin1String(".html"), Qt::CaseInsensitive) || path.endsWith(QLatin1String(".htm"), Qt::CaseInsensitive))
        bytes = toHtml(colours).toUtf8();
    else
        bytes = toText().toUtf8();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace smtp
