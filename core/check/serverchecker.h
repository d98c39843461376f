#pragma once
// Runs a whole server check: finds the hosts (a domain's MX, or the one host given), runs
// the domain's checks, then each host's on its own thread, and hands each result on as it
// comes. Nothing blocks the caller's thread; results arrive as queued signals.

#include "checkoptions.h"
#include "checkresult.h"

#include <QList>
#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>

namespace smtp {

class ServerChecker : public QObject
{
    Q_OBJECT
public:
    explicit ServerChecker(QObject *parent = nullptr);
    ~ServerChecker() override;   // cancels and waits for the threads

    // Starts the check; false with `error` when the options are unusable (no target...).
    bool start(const CheckOptions &options, QString *error = nullptr);
    void cancel();
    bool isRunning() const { return m_running; }
    const CheckOptions &options() const { return m_options; }
    const QList<CheckResult> &results() const { return m_results; }

    // "example.com" is a domain; "host:port", "[v6]:port" and IP literals are hosts.
    static bool parseTarget(const QString &target, QString *host, int *port);

signals:
    void resultReady(const smtp::CheckResult &result);
    void hostsFound(const QStringList &hosts);
    void finished();

private:
    void run();   // on m_thread

    CheckOptions m_options;
    QList<CheckResult> m_results;
    std::unique_ptr<QThread> m_thread;
    std::atomic<bool> m_cancelled{false};
    bool m_running = false;
};

} // namespace smtp
