// A delivery-status body -> fields. Properties: no crash; every field read has a name.

#include "bounce/dsnfields.h"

#include <cstdlib>

using namespace smtp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const DsnFields fields = DsnFields::parse(text);
    for (const DsnField &field : fields.perMessage)
        if (field.name.isEmpty())
            std::abort();
    for (const QList<DsnField> &group : fields.perRecipient)
        for (const DsnField &field : group) {
            if (field.name.isEmpty())
                std::abort();
            DsnFields::stripType(field.value);
            DsnFields::typeOf(field.value);
        }
    DsnFields::looksLikeDsn(text);
    return 0;
}
