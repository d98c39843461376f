#pragma once
// Everything that happened in a session, in order: an append-only list of events, with
// export to text (arrows like swaks), HTML and JSON, and JSON read back. Secrets never
// enter it: AUTH lines are recorded redacted when they are sent.

#include "knowledge/explanation.h"
#include "protocol/reply.h"

#include <QDateTime>
#include <QList>
#include <optional>

namespace smtp {

struct TranscriptEvent
{
    enum class Kind { Connecting, Connected, Sent, Received, Tls, Warning, Error, Note, Closed };

    Kind kind = Kind::Note;
    QDateTime time;
    QString text;               // Sent: the line(s) as sent (redacted); Received: as received; else a message
    std::optional<Reply> reply; // Received only
    QString answers;            // Received: the command line it answers
    QString context;            // Sent and Received: CONNECT, EHLO, RCPT, DATA_END, AUTH..., MESSAGE for a line typed after 354
    QString annotation;         // Received: the short explanation
    // Received: the reply decoded once, where it arrived (views only show it). Derived from
    // reply and context, so equality leaves it out.
    std::optional<Explanation> explanation;
    qint64 latencyMs = -1;      // Received: time since the command was sent
    bool overTls = false;

    friend bool operator==(const TranscriptEvent &a, const TranscriptEvent &b)
    {
        return a.kind == b.kind && a.time == b.time && a.text == b.text && a.reply == b.reply
            && a.answers == b.answers && a.context == b.context && a.annotation == b.annotation
            && a.latencyMs == b.latencyMs && a.overTls == b.overTls;
    }
};

QString kindName(TranscriptEvent::Kind kind);

// The HTML export's colours: fixed light or dark, or both with the reader's browser
// choosing (prefers-color-scheme).
enum class HtmlColours { Auto, Light, Dark };

class Transcript
{
public:
    void append(const TranscriptEvent &event) { m_events.append(event); }
    const QList<TranscriptEvent> &events() const { return m_events; }
    qsizetype size() const { return m_events.size(); }
    void clear() { m_events.clear(); }

    QString toText() const;
    // One event as toText writes it, one line per line of its text.
    static QString formatEvent(const TranscriptEvent &event);
    QString toHtml(HtmlColours colours = HtmlColours::Auto) const;
    QByteArray toJson() const;
    // Reads what toJson wrote; replies are re-parsed from their raw bytes.
    static std::optional<Transcript> fromJson(const QByteArray &json, QString *error);

    // Writes by the file's extension: .json, .html/.htm, anything else as text.
    bool save(const QString &path, QString *error, HtmlColours colours = HtmlColours::Auto) const;

    friend bool operator==(const Transcript &a, const Transcript &b) { return a.m_events == b.m_events; }

private:
    QList<TranscriptEvent> m_events;
};

} // namespace smtp
