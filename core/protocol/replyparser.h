#pragma once
// Turns the bytes a server sends into Replies, fed in chunks of any size. Violations are
// noted on the reply, never fatal; only the hard limits (a hostile server) stop it.

#include "reply.h"

#include <QByteArray>
#include <QList>

namespace smtp {

class ReplyParser
{
public:
    // Bounds that keep memory small whatever a server sends.
    struct Limits
    {
        qsizetype maxLineBytes = 16 * 1024;    // RFC 5321 asks for 512; be lenient, not naive
        qsizetype maxReplyBytes = 512 * 1024;
        int maxLines = 2000;
    };

    ReplyParser();
    explicit ReplyParser(Limits limits);

    void feed(QByteArrayView data);
    bool hasReplies() const { return !m_ready.isEmpty(); }
    QList<Reply> takeReplies();

    // The stream has ended: returns a reply that was still open, marked Truncated.
    std::optional<Reply> finish();

    // True once a limit was passed; the parser then ignores further input.
    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    // Bytes of a reply that has begun but not ended.
    bool isInsideReply() const { return !m_buffer.isEmpty() || !m_current.lines.isEmpty(); }
    void reset();

private:
    void processLine(QByteArrayView content, QByteArrayView rawLine, bool bareLineFeed);
    void addViolation(Violation violation);
    void completeReply();
    void fail(const QString &message);

    Limits m_limits;
    QByteArray m_buffer;      // an incomplete line
    Reply m_current;          // a multi-line reply being assembled
    QList<Reply> m_ready;
    QString m_error;
};

} // namespace smtp
