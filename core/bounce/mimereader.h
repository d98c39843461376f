#pragma once
// Reads a message's MIME structure with GMime: the decoded text of each part a bounce
// explainer cares about, the headers of the original message, and parser warnings.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace smtp {

// The parts of a message that matter to a bounce, decoded to Unicode.
struct MimeContent
{
    struct Headers
    {
        QString subject;
        QString messageId;
        QString from;
        QString to;
        QString date;
        QString autoSubmitted;
        QStringList other;   // "name: value" lines of headers the rules may look at
        bool present = false;
    };

    Headers top;                    // the message's own headers
    QString topType;                // "multipart/report", ...
    QString reportType;             // report-type parameter of multipart/report
    QStringList texts;              // text/* parts outside the original message, in order
    QStringList deliveryStatus;     // message/delivery-status (and global-) bodies
    QStringList feedbackReports;    // message/feedback-report bodies
    Headers original;               // message/rfc822 or text/rfc822-headers, when present
    QString originalHeaderText;     // the original's raw header block, when present
    bool hasAttachedMessage = false; // a message/rfc822 part: attachedMessage() gives it whole
    QStringList notes;              // what the parser could not read
};

// A whole message laid out for a person to inspect: its headers, and every part of its
// MIME tree with the text parts decoded.
struct MimeTree
{
    struct Header
    {
        QString name;
        QString value;   // unfolded, RFC 2047 words decoded
    };
    struct Part
    {
        int depth = 0;          // 0: the message's own body
        QString type;           // "text/plain", "multipart/alternative"...
        QString charset;
        QString encoding;       // Content-Transfer-Encoding, empty when none
        QString filename;
        qsizetype size = 0;     // decoded octets (leaf parts)
        QString text;           // decoded and converted to Unicode (text parts, first 16 KB)
    };
    bool isMime = false;        // GMime could read it as a message
    QList<Header> headers;
    QList<Part> parts;
    QStringList notes;          // what the parser could not read
};

class MimeReader
{
public:
    // Thread-safe; initialises GMime once.
    static MimeContent read(const QByteArray &message);
    // The first attached message/rfc822 of a message, as text (a bounce may be inside);
    // empty when none, or over 4 MB. Parses again: read() keeps only what most need.
    static QByteArray attachedMessage(const QByteArray &message);
    // The message's headers and MIME tree, for inspection (the practice server's inspector).
    static MimeTree tree(const QByteArray &message);
    // An RFC 2047 encoded header value, decoded.
    static QString decodeHeader(const QString &value);
};

} // namespace smtp
