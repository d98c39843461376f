#include "labcommand.h"

#include "explaincommand.h"
#include "output.h"
#include "lab/labinspector.h"
#include "lab/labserver.h"
#include "protocol/untrustedtext.h"

#include <QCommandLineParser>
#include <QTimer>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace smtp::cli {

namespace {

// A signal handler may only do async-signal-safe things: write a byte to a socket that
// the event loop watches (the self-pipe trick), and let Qt quit from there.
int g_signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalFds[0], &byte, 1);
}

class SignalWatcher
{
public:
    SignalWatcher()
    {
        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
            return;
        m_notifier = new QSocketNotifier(g_signalFds[1], QSocketNotifier::Read);
        QObject::connect(m_notifier, &QSocketNotifier::activated, [] {
            char byte;
            [[maybe_unused]] const auto read = ::read(g_signalFds[1], &byte, 1);
            QCoreApplication::quit();
        });
        struct sigaction action = {};
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        sigaction(SIGINT, &action, nullptr);
        sigaction(SIGTERM, &action, nullptr);
    }
    ~SignalWatcher()
    {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        delete m_notifier;
        for (int &fd : g_signalFds) {
            if (fd >= 0)
                ::close(fd);
            fd = -1;
        }
    }

private:
    QSocketNotifier *m_notifier = nullptr;
};

QString describe(const LabMessage &m)
{
    QStringList how;
    how.append(QStringLiteral("%1 octets").arg(m.data.size()));
    if (m.tls)
        how.append(QStringLiteral("TLS"));
    if (!m.user.isEmpty())
        how.append(QStringLiteral("user %1").arg(visibleText(m.user)));
    QStringList to;
    for (const QString &r : m.recipients)
        to.append(QLatin1Char('<') + visibleText(r) + QLatin1Char('>'));
    return QStringLiteral("accepted: from <%1> to %2 (%3) via %4")
        .arg(visibleText(m.sender), to.join(QStringLiteral(", ")), how.join(QStringLiteral(", ")), m.peer);
}

// --chaos, --seed and --bandwidth onto the scenario; false with a message when malformed.
bool addFaultOptions(const QCommandLineParser &parser, const QCommandLineOption &chaos, const QCommandLineOption &seed,
                     const QCommandLineOption &bandwidth, LabScenario &scenario, QString *error)
{
    if (parser.isSet(chaos)) {
        const auto faults = parseFaults(parser.value(chaos), error);
        if (!faults)
            return false;
        scenario.faults += *faults;
    }
    bool ok = true;
    if (parser.isSet(seed)) {
        scenario.seed = parser.value(seed).toUInt(&ok);
        if (!ok || scenario.seed == 0) {
            *error = QStringLiteral("--seed takes a whole number from 1 to 4294967295");
            return false;
        }
    }
    if (parser.isSet(bandwidth)) {
        scenario.bytesPerSecond = parser.value(bandwidth).toInt(&ok);
        if (!ok || scenario.bytesPerSecond < 1 || scenario.bytesPerSecond > 100'000'000) {
            *error = QStringLiteral("--bandwidth takes bytes per second, from 1 to 100000000");
            return false;
        }
    }
    return true;
}

} // namespace

int runLab(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("The SMTP Workbench practice server, for a class or for trying things."));
    parser.addHelpOption();
    const QCommandLineOption list(QStringLiteral("list"), QStringLiteral("List the built-in scenarios and exit."));
    const QCommandLineOption scenarioOption(QStringLiteral("scenario"),
                                            QStringLiteral("A built-in scenario by name, or a scenario JSON file."),
                                            QStringLiteral("name|file"), QStringLiteral("all-good"));
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("TCP port; 0 picks a free one."),
                                        QStringLiteral("port"), QStringLiteral("2525"));
    const QCommandLineOption listenOption(QStringLiteral("listen"),
                                          QStringLiteral("Address to listen on (default 127.0.0.1; 0.0.0.0 for the whole network)."),
                                          QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption transcript(QStringLiteral("transcript"),
                                        QStringLiteral("Print every line sent and received."));
    const QCommandLineOption chaos(QStringLiteral("chaos"),
        QStringLiteral("Faults to inject, STAGE:WHAT[:PERCENT],...: a reply code (RCPT:451:10), a delay "
                       "(DATA:delay=500-3000:50) or a dropped connection (MAIL:drop:5); STAGE is CONNECT, a verb, "
                       "DATA_END or *. Added to the scenario's own."),
        QStringLiteral("faults"));
    const QCommandLineOption seed(QStringLiteral("seed"),
        QStringLiteral("Roll the faults' dice from this seed (1 or more): the same clients see the same run again."),
        QStringLiteral("n"));
    const QCommandLineOption bandwidth(QStringLiteral("bandwidth"),
        QStringLiteral("Send replies at this many bytes per second (a tarpit when small, e.g. 5)."),
        QStringLiteral("bytes"));
    parser.addOptions({list, scenarioOption, portOption, listenOption, transcript, chaos, seed, bandwidth});
    if (!parser.parse(arguments)) {
        err << "smtpwb lab: " << parser.errorText() << '\n';
        err.flush();
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << subcommandHelp(parser, QStringLiteral("lab"));
        out.flush();
        return ExitOk;
    }
    if (parser.isSet(list)) {
        const QList<LabScenario> scenarios = LabScenario::builtIn();
        qsizetype width = 0;
        for (const LabScenario &s : scenarios)
            width = qMax(width, s.name.size());
        for (const LabScenario &s : scenarios)
            out << s.name.leftJustified(width + 2) << s.title << '\n';
        out.flush();
        return ExitOk;
    }

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535) {
        err << "smtpwb lab: --port takes a number from 0 to 65535\n";
        err.flush();
        return ExitUsage;
    }
    QHostAddress address;
    if (!address.setAddress(parser.value(listenOption))) {
        err << "smtpwb lab: --listen takes an IP address, not \"" << parser.value(listenOption) << "\"\n";
        err.flush();
        return ExitUsage;
    }
    QString error;
    std::optional<LabScenario> scenario = LabScenario::load(parser.value(scenarioOption), &error);
    if (!scenario) {
        err << "smtpwb lab: " << error << "\n(smtpwb lab --list shows the built-in scenarios)\n";
        err.flush();
        return ExitBadInput;
    }
    if (!addFaultOptions(parser, chaos, seed, bandwidth, *scenario, &error)) {
        err << "smtpwb lab: " << error << '\n';
        err.flush();
        return ExitUsage;
    }

    LabServer server;
    if (!server.start(*scenario, quint16(port), address)) {
        err << "smtpwb lab: " << server.errorString() << '\n';
        err.flush();
        return ExitBadInput;
    }
    // Lines are written at once but flushed at most every 50 ms: a class's server takes
    // thousands of messages a second, and a write per line cost it a tenth of its speed.
    QTimer flusher;
    flusher.setSingleShot(true);
    flusher.setInterval(50);
    QObject::connect(&flusher, &QTimer::timeout, [&out] { out.flush(); });
    auto say = [&out, &flusher](const QString &line) {
        out << line << '\n';
        if (!flusher.isActive())
            flusher.start();
    };
    QObject::connect(&server, &LabServer::clientConnected, [&](const QString &peer) { say(QStringLiteral("connected: ") + peer); });
    QObject::connect(&server, &LabServer::clientDisconnected, [&](const QString &peer) { say(QStringLiteral("disconnected: ") + peer); });
    QObject::connect(&server, &LabServer::messageAccepted, [&](const LabMessage &m) {
        say(describe(m));
        for (const LabInspection::Note &n : LabInspection::quickNotes(m))
            say(QStringLiteral("  warning: ") + visibleText(n.text));
    });
    // The teacher's view of the class: each goal as a student reaches it, with where they are.
    QObject::connect(&server, &LabServer::goalReached, [&](const QString &ip, const QString &, const QString &title) {
        say(QStringLiteral("goal reached: %1 \"%2\"; %3").arg(ip, title, server.progress().summary(ip)));
    });
    if (parser.isSet(transcript))
        QObject::connect(&server, &LabServer::logLine, say);

    say(QStringLiteral("smtpwb lab: scenario %1 (%2)").arg(scenario->name, scenario->title));
    for (int i = 0; i < scenario->goals.size(); ++i)
        say(QStringLiteral("smtpwb lab: goal %1: %2").arg(i + 1).arg(scenario->goals.at(i).title));
    say(QStringLiteral("smtpwb lab: listening on %1 port %2").arg(server.address().toString()).arg(server.port()));
    if (!scenario->faults.isEmpty() || scenario->bytesPerSecond > 0)
        say(QStringLiteral("smtpwb lab: faults %1%2%3")
                .arg(scenario->faults.isEmpty() ? QStringLiteral("none") : faultsSpec(scenario->faults),
                     scenario->seed ? QStringLiteral(", seed %1").arg(scenario->seed) : QStringLiteral(", no seed (each run differs)"),
                     scenario->bytesPerSecond ? QStringLiteral(", %1 bytes/s").arg(scenario->bytesPerSecond) : QString()));
    if (!server.address().isLoopback()) {
        err << "smtpwb lab: note: reachable beyond this machine; its TLS key is a public demo key, "
               "so treat the connection as unencrypted\n";
        err.flush();
    }
    if (!server.isTlsAvailable())
        say(QStringLiteral("smtpwb lab: no TLS support in this Qt: STARTTLS is not offered"));
    say(QStringLiteral("smtpwb lab: Ctrl-C stops"));

    SignalWatcher stopOnSignal;
    QCoreApplication::exec();
    server.stop();
    say(QStringLiteral("smtpwb lab: stopped; %1 message(s) accepted").arg(server.messages().size()));
    if (!scenario->goals.isEmpty()) {
        const QStringList clients = server.progress().clients();
        say(QStringLiteral("smtpwb lab: goals reached, per client address%1").arg(clients.isEmpty() ? QStringLiteral(": none") : QString()));
        for (const QString &ip : clients)
            say(QStringLiteral("  ") + server.progress().summary(ip));
    }
    out.flush();
    return ExitOk;
}

} // namespace smtp::cli
