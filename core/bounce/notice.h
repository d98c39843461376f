#pragma once
// A bounce read once for all its readers: the input made readable, its MIME parts, the
// prose without the returned original, the recipients the prose names and the RFC 3464
// fields; and the small steps several readers share.

#include "bouncereport.h"
#include "dsnfields.h"
#include "freetextrules.h"
#include "mimereader.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace smtp {

struct Notice
{
    bool fragment = false;               // a pasted piece of a bounce, not a whole message
    int depth = 0;                       // 1: the bounce attached to another message
    QByteArray bytes;                    // the input as read (shared, not copied)
    MimeContent content;
    QString notification;                // the prose, without the returned original message
    DsnFields dsn;                       // in their own part, or pasted in the prose
    QList<FreeTextFinding> findings;     // recipients the prose names, in order
};

// Reads `input` into a notice. What cannot be read goes to `report.notes`; the original
// message's subject, Message-ID and sender to the report's fields. Empty and binary input
// give no notice (the report says why).
std::optional<Notice> readNotice(const QByteArray &input, int depth, BounceReport &report);

// The first address in a text, lower-cased; empty if none.
QString firstAddress(const QString &text);
// The class a recipient's codes or action give: 2, 4, 5, or 0 when nothing tells.
int klassOf(const BounceRecipient &r);
// The original message's To, from its attached copy or its header lines.
QString originalTo(const Notice &notice);
// One header of the original message (the first of that name, unfolded); empty if none.
QString originalHeader(const Notice &notice, const QString &name);
// A recipient named by the prose alone, with the codes and words of the whole notice.
FreeTextFinding findingFromNotification(const QString &address, const QString &notification);

} // namespace smtp
