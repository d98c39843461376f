// Pasted text on standard input -> `smtpwb explain` output, plain and JSON. Properties:
// no crash; no control byte except newline and tab reaches the output.

#include "explaincommand.h"

#include <QBuffer>
#include <QTextStream>
#include <cstdlib>

namespace {

void checkVisible(const QString &text)
{
    for (QChar c : text)
        if ((c.unicode() < 0x20 && c != u'\n' && c != u'\t') || c.unicode() == 0x7F || c.unicode() == 0x202E)
            std::abort();
}

void explainAs(const QByteArray &bytes, const QStringList &arguments)
{
    QBuffer input;
    input.setData(bytes);
    input.open(QIODevice::ReadOnly);
    QString out, err;
    QTextStream outStream(&out), errStream(&err);
    smtp::cli::runExplain(arguments, input, outStream, errStream);
    outStream.flush();
    errStream.flush();
    checkVisible(out);
    checkVisible(err);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    explainAs(bytes, {QStringLiteral("smtpwb"), QStringLiteral("explain")});
    explainAs(bytes, {QStringLiteral("smtpwb"), QStringLiteral("explain"), QStringLiteral("--json")});
    return 0;
}
