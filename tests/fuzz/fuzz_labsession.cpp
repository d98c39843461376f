// A client's bytes -> the practice server, without a socket. Property: whatever a client
// sends, in any scenario, the server neither crashes nor grows without bound, and every
// line it writes is a reply (three digits, then space or hyphen) ended by CRLF, except in
// a scenario that sends broken replies on purpose (its rules' raw bytes).

#include "lab/labgreylist.h"
#include "lab/labscenario.h"
#include "lab/labsession.h"
#include "labwire.h"

#include <QCoreApplication>
#include <algorithm>
#include <cstdlib>

using namespace smtp;

namespace {

void checkReplies(const QByteArray &out)
{
    if (!out.isEmpty() && !out.endsWith("\r\n"))
        std::abort();
    for (const QByteArray &line : out.split('\n')) {
        if (line.isEmpty())
            continue;
        if (line.size() < 5 || !line.endsWith('\r') || !isdigit(line[0]) || !isdigit(line[1]) || !isdigit(line[2])
            || (line[3] != ' ' && line[3] != '-'))
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int argc = 1;
    static char name[] = "fuzz_labsession";
    static char *argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
    static const QList<LabScenario> scenarios = LabScenario::builtIn();
    if (size == 0 || scenarios.isEmpty())
        return 0;
    // The first byte picks the scenario; the rest is what the client sends.
    const LabScenario &scenario = scenarios.at(data[0] % scenarios.size());
    LabWire wire(QByteArray(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1)), 4 * 1024 * 1024);
    LabGreylist greylist(0);
    LabSession session(&wire, scenario, &greylist);
    session.start();
    session.readAvailable();
    const bool brokenOnPurpose = std::any_of(scenario.rules.begin(), scenario.rules.end(),
                                             [](const LabRule &rule) { return !rule.raw.isEmpty(); });
    if (!brokenOnPurpose)
        checkReplies(wire.out);
    return 0;
}
