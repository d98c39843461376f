// A client's bytes -> the practice server, without a socket. Property: whatever a client
// sends, in any scenario, the server neither crashes nor grows without bound, and every
// line it writes is a reply (three digits, then space or hyphen) ended by CRLF, except in
// a scenario that sends broken replies on purpose (its rules' raw bytes).

#include "lab/labgreylist.h"
#include "lab/labscenario.h"
#include "lab/labsession.h"

#include <QCoreApplication>
#include <QIODevice>
#include <algorithm>
#include <cstdlib>

using namespace smtp;

namespace {

// The client's side of the wire: what it sent, to read; what the server writes, kept.
class Wire : public QIODevice
{
public:
    explicit Wire(const QByteArray &in) : m_in(in) { open(QIODevice::ReadWrite); }
    QByteArray out;

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_in.size() - m_pos + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char *data, qint64 max) override
    {
        const qint64 n = qMin<qint64>(max, m_in.size() - m_pos);
        memcpy(data, m_in.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char *data, qint64 size) override
    {
        if (out.size() < 4 * 1024 * 1024)
            out.append(data, size);
        return size;
    }

private:
    QByteArray m_in;
    qint64 m_pos = 0;
};

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
    Wire wire(QByteArray(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1)));
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
