#pragma once
// The bytes of a message as DATA sends them (RFC 5321 4.5.2): CRLF line ends, lines that
// begin with a dot doubled, and the final "." line.

#include <QByteArray>

namespace smtp {

// Any mix of CRLF, LF and CR line ends becomes CRLF; leading dots are doubled; a CRLF is
// added if the message does not end with one; then ".\r\n".
QByteArray encodeForData(const QByteArray &message);

// The reverse, as a server does: removes the terminator and one leading dot per line.
QByteArray decodeFromData(const QByteArray &wire);

} // namespace smtp
