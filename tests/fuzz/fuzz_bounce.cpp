// A whole message (MIME, nested, broken) -> bounce report. Property: no crash, no leak,
// no hang, whatever the structure (GMime reads it; our code walks what GMime gives).

#include "bounce/bounceparser.h"

using namespace smtp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray message(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    BounceParser::parse(message);
    return 0;
}
