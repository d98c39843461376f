#pragma once
// `smtpwb explain`: a code, an enhanced code, a reply, or a stream of replies, explained.

#include <QIODevice>
#include <QStringList>
#include <QTextStream>

namespace smtp::cli {

// Exit codes shared by the subcommands.
enum ExitCode { ExitOk = 0, ExitBadInput = 1, ExitUsage = 2 };

// `arguments` starts with the program name, then "explain". Reads `input` in stream mode.
int runExplain(const QStringList &arguments, QIODevice &input, QTextStream &out, QTextStream &err);

} // namespace smtp::cli
