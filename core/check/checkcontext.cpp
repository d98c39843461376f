#include "checkcontext.h"

#include "checkcatalog.h"

#include <QHostInfo>

namespace smtp {

QString HostTarget::label() const
{
    const QString host = name.isEmpty()
        ? (address.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[%1]").arg(address.toString())
                                                                : address.toString())
        : name;
    return port == 25 ? host : QStringLiteral("%1:%2").arg(host).arg(port);
}

CheckContext::CheckContext(const CheckOptions &options, Sink sink, const std::atomic<bool> *cancelled)
    : m_options(options), m_sink(std::move(sink)), m_cancelled(cancelled),
      m_dns(options.nameserver, options.trustAnchorFile, options.timeoutSeconds * 1000),
      m_heloName(options.heloName.isEmpty() ? QHostInfo::localHostName() : options.heloName)
{
    if (!options.caFile.isEmpty())
        m_extraCas = QSslCertificate::fromPath(options.caFile, QSsl::Pem);
    if (!m_heloName.contains(QLatin1Char('.')))
        m_heloName = QStringLiteral("smtpwb.invalid"); // RFC 5321 4.1.1.1 wants a FQDN
    m_clock.start();
}

CheckResult CheckContext::report(const QString &id, const QString &host, CheckStatus status,
                                 const QString &summary, const QString &detail)
{
    CheckResult r;
    r.id = id;
    r.host = host;
    r.status = status;
    r.summary = summary;
    r.detail = detail.trimmed();
    r.ms = m_clock.elapsed();
    if (const CheckInfo *info = CheckCatalog::instance().info(id)) {
        r.references = info->references;
        if (status == CheckStatus::Fail || status == CheckStatus::Warn) {
            r.detail += QStringLiteral("%1Why it matters: %2\nWhat to change: %3")
                            .arg(r.detail.isEmpty() ? QString() : QStringLiteral("\n\n"), info->why, info->fix);
        }
    }
    if (m_sink && wants(id)) // a check another one needs runs anyway, but is shown only when asked for
        m_sink(r);
    m_clock.restart();
    return r;
}

} // namespace smtp
