// A typed or pasted command line -> Command. Properties: no crash; parsing is a pure
// function of the line (the same line parses the same twice).

#include "protocol/command.h"

#include <cstdlib>

using namespace smtp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString line = QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const Command first = Command::parse(line);
    if (!(first == Command::parse(line)))
        std::abort();
    first.isKnownVerb();
    return 0;
}
