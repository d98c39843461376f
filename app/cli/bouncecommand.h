#pragma once
// `smtpwb bounce`: bounce messages (files, a directory, or standard input) explained per
// recipient, as text, JSON or TSV; many files are read in parallel, printed in order.

#include <QIODevice>
#include <QStringList>
#include <QTextStream>

namespace smtp::cli {

// `arguments` starts with the program name, then "bounce". `input` is read for "-".
int runBounce(const QStringList &arguments, QIODevice &input, QTextStream &out, QTextStream &err);

} // namespace smtp::cli
