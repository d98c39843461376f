#pragma once
// One line of an MTA's log that reports a delivery failure or delay, turned into the RFC
// 3464 fields a bounce would carry, so the bounce explainer reads it like any other:
// Postfix "to=<x>, relay=..., dsn=5.1.1, status=bounced (host ... said: ...)" and
// status=deferred; Exim "** x R=... T=...: ..." (failed) and "== x ... defer (...): ...".

#include <QByteArray>
#include <QString>
#include <optional>

namespace smtp {

namespace MtaLog {

// Whether a line is an MTA log line at all (a timestamp, a host, a program name; or a
// Postfix delivery record alone), also as grep -H or -n prints it ("mail.log:Dec  1 ..."):
// how an input is told to be a log, and which of its lines are not.
bool isLogLine(QStringView line);

// The DSN fields for a failure or delay line; nothing for other lines (deliveries,
// connections, queue notes). The original address (Postfix orig_to=, Exim's "<...>" after
// the final one) is the Original-Recipient; the syslog host, the Reporting-MTA.
std::optional<QByteArray> dsnFields(QStringView line);

} // namespace MtaLog

} // namespace smtp
