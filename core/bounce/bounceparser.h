#pragma once
// A bounce message (or a pasted piece of one) in, a BounceReport out: DSNs, ARF
// feedback reports, auto-replies and the prose bounces of the common MTAs.

#include "bouncereport.h"

#include <QByteArray>

namespace smtp {

class BounceParser
{
public:
    // Never fails: what cannot be read is said in the report's notes. Thread-safe.
    static BounceReport parse(const QByteArray &message);

private:
    // `depth` 1 reads a bounce found inside an attached message, and goes no deeper.
    static BounceReport parse(const QByteArray &message, int depth);
};

} // namespace smtp
