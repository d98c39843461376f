#pragma once
// A reply as people paste it: one line of a multi-line reply ("550-5.1.1 ..." alone),
// lines joined into one, a reply inside an MTA's framing (Postfix's "host x said: ...
// (in reply to RCPT TO command)", Exim's "SMTP error from remote mail server after RCPT
// TO:<x>: ...", Exchange's "Remote Server returned '...'", "Diagnostic-Code: smtp; ...",
// Sendmail's "<<< 550 ..."), or words with no code at all. The framing also tells the
// command answered and the remote host.

#include "reply.h"

#include <QString>

namespace smtp {

struct PastedReply
{
    Reply reply;          // code 0 when the text carries no reply code
    QString framing;      // "postfix", "exim", "exchange", "dsn", "sendmail"; empty for a bare reply
    QString command;      // the command answered as the knowledge names it ("RCPT", "DATA_END"), or empty
    QString remoteHost;   // "mx.example.com[192.0.2.1]" as the framing writes it, or empty

    // Reads pasted text; never fails (the reply's code tells whether one was found).
    static PastedReply read(const QString &text);

    friend bool operator==(const PastedReply &a, const PastedReply &b)
    {
        return a.reply == b.reply && a.framing == b.framing && a.command == b.command && a.remoteHost == b.remoteHost;
    }
};

// "RCPT TO:<bob@x>", "end of DATA", "pipelined DATA", "MAIL FROM" -> "RCPT", "DATA_END", "DATA", "MAIL".
QString commandNamed(const QString &words);

} // namespace smtp
