#pragma once
// A message the practice server accepted, kept in memory so a class can look at what
// actually arrived: envelope, raw bytes (after dot-unstuffing), and how it came.

#include <QByteArray>
#include <QList>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace smtp {

struct LabMessage
{
    QString peer;          // "127.0.0.1:52344"
    QString helo;          // the name given in EHLO/HELO
    QString sender;        // "" for the null path <>
    QStringList recipients;
    QByteArray data;       // the message as stored: CRLF lines, dots unstuffed
    QDateTime received;
    bool tls = false;      // accepted over STARTTLS
    QString user;          // the AUTH user, empty when not authenticated
    QStringList mailParameters;   // MAIL FROM's ESMTP parameters: "BODY=8BITMIME", "SIZE=1200"
    QStringList rcptParameters;   // every RCPT TO's, once each: "NOTIFY=SUCCESS,FAILURE"
    bool pipelined = false;       // MAIL, RCPT and DATA came in one write
    QList<int> bareLineFeedLines; // lines (from 1) that ended in LF alone, stored with CR LF; the first 100
    int bareLineFeeds = 0;        // all of them
    qint64 longestLine = 0;       // octets, without the line end

    friend bool operator==(const LabMessage &a, const LabMessage &b)
    {
        return a.peer == b.peer && a.helo == b.helo && a.sender == b.sender && a.recipients == b.recipients
            && a.data == b.data && a.received == b.received && a.tls == b.tls && a.user == b.user
            && a.mailParameters == b.mailParameters && a.rcptParameters == b.rcptParameters && a.pipelined == b.pipelined && a.bareLineFeedLines == b.bareLineFeedLines
            && a.bareLineFeeds == b.bareLineFeeds && a.longestLine == b.longestLine;
    }
    friend bool operator!=(const LabMessage &a, const LabMessage &b) { return !(a == b); }
};

} // namespace smtp
