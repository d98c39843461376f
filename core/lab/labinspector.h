#pragma once
// The message inspector, as smtp4dev has one: for a message the practice server accepted,
// its envelope, headers, MIME tree with each text part decoded, the raw lines with their
// ends shown, and what breaks the rules (RFC 5322 2.1.1 line lengths, bare LF, a missing
// Date or Message-ID, 8-bit data not declared with BODY=8BITMIME).

#include "bounce/mimereader.h"
#include "labmessage.h"

#include <QList>
#include <QString>

namespace smtp {

struct LabInspection
{
    enum class Finding {
        BareLineFeed,        // lines ended by LF alone (RFC 5321 2.3.8)
        LongLine,            // a line over 998 octets (RFC 5322 2.1.1)
        UndeclaredEightBit,  // octets over 127 without BODY=8BITMIME or SMTPUTF8 (RFC 6152)
        MissingDate,         // RFC 5322 3.6: Date and From are required
        MissingFrom,
        MissingMessageId,    // RFC 5322 3.6.4: should be present
        NotMime,             // GMime could not read it as a message
        ParserNote,          // GMime's own warnings
    };
    struct Note
    {
        Finding kind;
        QString text;
    };

    QList<Note> notes;
    MimeTree tree;

    static LabInspection of(const LabMessage &message);
    // The notes alone, without GMime: the header names read from the message's header block
    // as it came. What `smtpwb lab` prints for every message, where GMime's whole parse cost
    // more than the rest of the server's work on it; GMime's own warnings are left out.
    static QList<Note> quickNotes(const LabMessage &message);
    bool has(Finding kind) const;
    // The whole inspection as text, for the practice panel and `smtpwb lab`; untrusted
    // parts shown through visibleText(). The raw lines end with ⏎ (CR LF) or ␊ (LF alone).
    QString toText(const LabMessage &message) const;
};

} // namespace smtp
