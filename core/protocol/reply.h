#pragma once
// One SMTP reply as received: code, enhanced status, text lines, raw bytes, and the
// protocol violations seen in it. A plain value: compare whole replies in tests.

#include "enhancedstatus.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QStringList>
#include <optional>

namespace smtp {

// Ways a server's reply can break RFC 5321 (and RFC 2034/3463) that we note, not reject.
enum class Violation {
    BareLineFeed,         // line ended in LF without CR
    BareCarriageReturn,   // a CR not followed by LF inside a line
    MissingSeparator,     // the character after the code is neither space nor hyphen
    MalformedCode,        // the line does not start with three digits
    CodeOutOfRange,       // first digit not 2-5, or second digit above 5
    CodeChanged,          // a line of a multi-line reply carries another code
    LineTooLong,          // over 512 octets with CRLF (RFC 5321 4.5.3.1.5)
    NulByte,              // NUL in the text
    ControlCharacter,     // another control byte in the text
    InvalidUtf8,          // text that is not UTF-8
    MalformedEnhancedCode,   // looks like x.y.z but breaks RFC 3463 syntax
    EnhancedClassMismatch,   // e.g. 550 with 4.1.1
    EnhancedCodeChanged,     // lines of one reply carry different enhanced codes
    Truncated,               // the connection ended in the middle of the reply
    BidiControl,             // U+202E and kin: they reorder how the text reads
    InvisibleCharacter,      // zero-width and other characters that show nothing
};

// A sentence a user can read, for transcripts and the command line tool.
QString describe(Violation violation);

// A reply code as its three digits: 52 (a server's "052") is "052", 0 is "???".
QString codeDigits(int code);
// A stable machine name (JSON export, tests): "bare-lf", "code-changed", ...
QString violationName(Violation violation);
std::optional<Violation> violationFromName(const QString &name);

struct Reply
{
    int code = 0;                              // 0 when the server sent no valid code
    std::optional<EnhancedStatus> enhanced;    // from the first line, when present
    QStringList lines;                         // the text after "250-"/"250 ", per line
    QByteArray raw;                            // exactly the bytes received
    QList<Violation> violations;               // each kind once, in order of appearance
    QDateTime received;                        // set by whoever reads the socket

    bool isMultiline() const { return lines.size() > 1; }
    int klass() const { return code / 100; }
    bool isPositive() const { return code >= 200 && code < 400; }
    // All lines joined by newlines, without the enhanced code prefix of each line.
    QString text() const;
    // The text as the server sent it: "250-first\n250 second".
    QString toDisplayString() const;
    // Line `index` as the server sent it: "250-first".
    QString displayLine(qsizetype index) const;

    friend bool operator==(const Reply &a, const Reply &b)
    {
        return a.code == b.code && a.enhanced == b.enhanced && a.lines == b.lines
            && a.raw == b.raw && a.violations == b.violations;
    }
    friend bool operator!=(const Reply &a, const Reply &b) { return !(a == b); }
};

} // namespace smtp
