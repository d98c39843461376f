#pragma once
// What the checks of one run share on one worker thread: the options, a resolver, the
// extra CAs, our EHLO name, and how each result is made and handed on.

#include "checkoptions.h"
#include "checkresult.h"
#include "dnsclient.h"

#include <QElapsedTimer>
#include <QSslCertificate>
#include <atomic>
#include <functional>

namespace smtp {

// A mail server to check: its name (empty for an IP literal), one address, the port, and
// the domain it serves mail for (empty when only a host was given).
struct HostTarget
{
    QString name;
    QHostAddress address;
    quint16 port = 25;
    QString domain;

    // "mx.example.com" or "mx.example.com:2525", the IP when there is no name.
    QString label() const;
    // The name TLS must match: the host's name, or its address.
    QString peerName() const { return name.isEmpty() ? address.toString() : name; }
};

class CheckContext
{
public:
    using Sink = std::function<void(const CheckResult &)>;

    CheckContext(const CheckOptions &options, Sink sink, const std::atomic<bool> *cancelled);

    const CheckOptions &options() const { return m_options; }
    DnsClient &dns() { return m_dns; }
    const QList<QSslCertificate> &extraCas() const { return m_extraCas; }
    QString heloName() const { return m_heloName; }
    int timeoutMs() const { return m_options.timeoutSeconds * 1000; }
    bool wants(const QString &id) const { return m_options.wants(id); }
    bool isCancelled() const { return m_cancelled && m_cancelled->load(); }

    // Starts the clock for the next result.
    void begin() { m_clock.start(); }
    // Makes a result (references from the catalog; for warn and fail, why it matters and
    // what to change appended to the detail), hands it on when that check was asked for,
    // and returns it.
    CheckResult report(const QString &id, const QString &host, CheckStatus status,
                       const QString &summary, const QString &detail = QString());

private:
    const CheckOptions &m_options;
    Sink m_sink;
    const std::atomic<bool> *m_cancelled;
    DnsClient m_dns;
    QList<QSslCertificate> m_extraCas;
    QString m_heloName;
    QElapsedTimer m_clock;
};

} // namespace smtp
