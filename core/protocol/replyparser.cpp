#include "replyparser.h"

#include "untrustedtext.h"

#include <QStringDecoder>

namespace smtp {

namespace {
// RFC 5321 4.5.3.1.5: a reply line is at most 512 octets, CRLF included.
constexpr qsizetype kRfcMaxReplyLine = 512;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// The limit counts a line without its end: a partial line's last CR may be the start of
// CRLF, so whole and chunked input are judged alike wherever the bytes are split.
qsizetype lineContentSize(QByteArrayView partialLine)
{
    return partialLine.size() - (partialLine.endsWith('\r') ? 1 : 0);
}
} // namespace

ReplyParser::ReplyParser() : ReplyParser(Limits{}) {}

ReplyParser::ReplyParser(Limits limits) : m_limits(limits) {}

void ReplyParser::reset()
{
    m_buffer.clear();
    m_current = Reply{};
    m_ready.clear();
    m_error.clear();
}

QList<Reply> ReplyParser::takeReplies()
{
    QList<Reply> out;
    out.swap(m_ready);
    return out;
}

void ReplyParser::fail(const QString &message)
{
    m_error = message;
    m_buffer.clear();
}

void ReplyParser::addViolation(Violation violation)
{
    if (!m_current.violations.contains(violation))
        m_current.violations.append(violation);
}

void ReplyParser::feed(QByteArrayView data)
{
    if (hasError() || data.isEmpty())
        return;
    qsizetype start = 0;
    // Complete the line begun in an earlier chunk first, so m_buffer never holds more
    // than one partial line.
    while (start < data.size()) {
        const qsizetype lf = data.indexOf('\n', start);
        if (lf < 0) {
            m_buffer.append(data.sliced(start));
            if (lineContentSize(m_buffer) > m_limits.maxLineBytes)
                fail(QStringLiteral("The server sent more than %1 bytes without ending the line; "
                                    "reading stopped to protect memory.")
                         .arg(m_limits.maxLineBytes));
            return;
        }
        QByteArrayView rawLine;
        if (m_buffer.isEmpty()) {
            rawLine = data.sliced(start, lf - start + 1);
        } else {
            m_buffer.append(data.sliced(start, lf - start + 1));
            rawLine = m_buffer;
        }
        start = lf + 1;
        const bool crlf = rawLine.size() >= 2 && rawLine[rawLine.size() - 2] == '\r';
        const QByteArrayView content = rawLine.first(rawLine.size() - (crlf ? 2 : 1));
        if (content.size() > m_limits.maxLineBytes) {
            fail(QStringLiteral("The server sent a line of %1 bytes, over the limit of %2; "
                                "reading stopped to protect memory.")
                     .arg(content.size()).arg(m_limits.maxLineBytes));
            return;
        }
        processLine(content, rawLine, !crlf);
        m_buffer.clear();
        if (hasError())
            return;
    }
}

void ReplyParser::processLine(QByteArrayView content, QByteArrayView rawLine, bool bareLineFeed)
{
    const bool continuing = !m_current.lines.isEmpty();
    m_current.raw.append(rawLine.data(), rawLine.size());
    if (m_current.raw.size() > m_limits.maxReplyBytes || m_current.lines.size() >= m_limits.maxLines) {
        fail(QStringLiteral("The server's reply passed %1 lines or %2 bytes without ending; "
                            "reading stopped to protect memory.")
                 .arg(m_limits.maxLines).arg(m_limits.maxReplyBytes));
        return;
    }
    if (bareLineFeed)
        addViolation(Violation::BareLineFeed);
    if (rawLine.size() > kRfcMaxReplyLine)
        addViolation(Violation::LineTooLong);

    // The code and what follows it.
    int lineCode = 0;
    bool last = true;
    qsizetype textStart = 0;
    const qsizetype n = content.size();
    if (n >= 3 && isDigit(content[0]) && isDigit(content[1]) && isDigit(content[2])
        && (n == 3 || !isDigit(content[3]))) {
        lineCode = (content[0] - '0') * 100 + (content[1] - '0') * 10 + (content[2] - '0');
        if (n == 3) {
            textStart = 3; // "250" alone is a valid last line (RFC 5321 4.2)
        } else if (content[3] == ' ') {
            textStart = 4;
        } else if (content[3] == '-') {
            textStart = 4;
            last = false;
        } else {
            addViolation(Violation::MissingSeparator);
            textStart = 3;
        }
        if (content[0] < '2' || content[0] > '5' || content[1] > '5')
            addViolation(Violation::CodeOutOfRange);
    } else {
        addViolation(Violation::MalformedCode);
        // Inside a multi-line reply a line without a code stays in the group; a proper
        // last line (or the limits) ends it. On its own it is a reply of its own.
        last = !continuing;
    }

    if (!continuing)
        m_current.code = lineCode;
    else if (lineCode != 0 && lineCode != m_current.code)
        addViolation(Violation::CodeChanged);

    // The text: control bytes, CRs and UTF-8 checked in one pass.
    const QByteArrayView textBytes = content.sliced(textStart);
    bool ascii = true;
    bool hasCr = false;
    for (const char ch : textBytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80) {
            ascii = false;
        } else if (c < 0x20 || c == 0x7f) {
            if (c == '\r')
                hasCr = true;
            else if (c == 0)
                addViolation(Violation::NulByte);
            else if (c != '\t')
                addViolation(Violation::ControlCharacter);
        }
    }
    QString text;
    if (ascii) {
        text = QString::fromLatin1(textBytes);
    } else {
        QStringDecoder decoder(QStringDecoder::Utf8);
        text = decoder.decode(textBytes);
        if (decoder.hasError())
            addViolation(Violation::InvalidUtf8);
        for (Violation v : hiddenCharacters(text)) // C1 controls, bidi, zero-width
            addViolation(v);
    }
    if (hasCr) {
        addViolation(Violation::BareCarriageReturn);
        text.remove(QLatin1Char('\r'));
    }

    // An enhanced status code leads the text (RFC 2034 4); check it on every line.
    if (text.size() >= 5 && text[0].isDigit() && text[1] == QLatin1Char('.')) {
        qsizetype end = text.indexOf(QLatin1Char(' '));
        if (end < 0)
            end = text.size();
        const QStringView head = QStringView(text).left(end);
        const auto status = EnhancedStatus::parse(head);
        if (!status) {
            if (head.count(QLatin1Char('.')) == 2)
                addViolation(Violation::MalformedEnhancedCode);
        } else if (!continuing) {
            m_current.enhanced = status;
        } else if (m_current.enhanced && *m_current.enhanced != *status) {
            addViolation(Violation::EnhancedCodeChanged);
        }
    }

    m_current.lines.append(text);
    if (last)
        completeReply();
}

void ReplyParser::completeReply()
{
    const int klass = m_current.code / 100;
    if (m_current.enhanced && (klass == 2 || klass == 4 || klass == 5)
        && m_current.enhanced->klass != klass)
        addViolation(Violation::EnhancedClassMismatch);
    m_ready.append(std::move(m_current));
    m_current = Reply{};
}

std::optional<Reply> ReplyParser::finish()
{
    if (hasError())
        return std::nullopt;
    if (!m_buffer.isEmpty()) {
        const QByteArray rest = m_buffer;
        m_buffer.clear();
        const qsizetype ready = m_ready.size();
        // Process the unfinished line so its code and text are kept, then mark it cut off.
        processLine(rest, rest, false);
        if (m_ready.size() > ready) {
            Reply reply = m_ready.takeLast();
            reply.violations.append(Violation::Truncated);
            return reply;
        }
    }
    if (m_current.lines.isEmpty())
        return std::nullopt;
    addViolation(Violation::Truncated);
    Reply reply = std::move(m_current);
    m_current = Reply{};
    return reply;
}

} // namespace smtp
