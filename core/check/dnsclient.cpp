#include "dnsclient.h"

#include "protocol/untrustedtext.h"
#include "session/sessionoptions.h"

#include <QFile>
#include <QTemporaryFile>
#include <QUrl>
#include <QElapsedTimer>
#include <poll.h>
#include <unbound.h>

namespace smtp {

namespace {

const char kRootAnchor[] = "/usr/share/dns/root.key";

// "127.0.0.1:5354" -> "127.0.0.1@5354"; "[::1]:53" -> "::1@53"; a bare address stays.
QByteArray unboundAddress(const QString &nameserver)
{
    QString host;
    int port = -1;
    if (!parseHostPort(nameserver, &host, &port))
        return nameserver.toLatin1(); // Unbound says what is wrong with it
    return (port < 0 ? host : host + QLatin1Char('@') + QString::number(port)).toLatin1();
}

} // namespace

QString DnsAnswer::securityText() const
{
    switch (security) {
    case Security::Secure: return QStringLiteral("secure (DNSSEC validated)");
    case Security::Bogus: return QStringLiteral("BOGUS (DNSSEC validation failed: %1)").arg(whyBogus);
    case Security::Insecure: break;
    }
    return QStringLiteral("not signed (no DNSSEC proof)");
}

DnsClient::DnsClient(const QString &nameserver, const QString &trustAnchorFile, int timeoutMs)
    : m_ctx(ub_ctx_create()), m_timeoutMs(timeoutMs)
{
    if (!m_ctx) {
        m_setupError = QStringLiteral("could not create a DNS resolver");
        return;
    }
    // A server on this machine (a lab's, a test's) is a server like any other, and names
    // Unbound would answer itself (RFC 6761's) are asked of the DNS: a check reports what the
    // DNS says. local-zone is read only from a configuration file, not ub_ctx_set_option().
    QTemporaryFile config;
    if (config.open()) {
        config.write("server:\n  do-not-query-localhost: no\n"
                     "  local-zone: \"127.in-addr.arpa.\" nodefault\n"
                     "  local-zone: \"test.\" nodefault\n  local-zone: \"localhost.\" nodefault\n");
        config.close();
        ub_ctx_config(m_ctx, QFile::encodeName(config.fileName()).constData());
    }
    ub_ctx_async(m_ctx, 1); // a thread, not a process, answers the asynchronous questions
    int rc = 0;
    if (nameserver.isEmpty())
        rc = ub_ctx_resolvconf(m_ctx, nullptr);
    else
        rc = ub_ctx_set_fwd(m_ctx, unboundAddress(nameserver).constData());
    if (rc != 0) {
        m_setupError = QStringLiteral("DNS server %1: %2")
                           .arg(nameserver.isEmpty() ? QStringLiteral("from /etc/resolv.conf") : nameserver,
                                QString::fromLocal8Bit(ub_strerror(rc)));
        return;
    }
    const QString anchors = trustAnchorFile.isEmpty() ? QString::fromLatin1(kRootAnchor) : trustAnchorFile;
    if (QFile::exists(anchors) && ub_ctx_add_ta_file(m_ctx, QFile::encodeName(anchors).constData()) == 0)
        m_validates = true;
    else if (!trustAnchorFile.isEmpty())
        m_setupError = QStringLiteral("cannot read the trust anchors in %1").arg(trustAnchorFile);
}

DnsClient::~DnsClient()
{
    if (m_ctx)
        ub_ctx_delete(m_ctx);
}

namespace {

struct Pending
{
    bool done = false;
    int error = 0;
    ub_result *result = nullptr;
};

void onAnswer(void *arg, int error, ub_result *result)
{
    auto *pending = static_cast<Pending *>(arg);
    pending->done = true;
    pending->error = error;
    pending->result = result;
}

} // namespace

// ub_resolve() waits as long as Unbound retries (half a minute for a server that is gone):
// ask asynchronously and give up at our own deadline.
int DnsClient::resolveWithin(const QString &name, int type, ub_result **result)
{
    Pending pending;
    int id = 0;
    const int rc = ub_resolve_async(m_ctx, QUrl::toAce(name).constData(), type, 1 /* IN */, &pending, onAnswer, &id);
    if (rc != 0)
        return rc;
    QElapsedTimer clock;
    clock.start();
    while (!pending.done) {
        const qint64 left = m_timeoutMs - clock.elapsed();
        if (left <= 0) {
            ub_cancel(m_ctx, id);
            return kTimedOut;
        }
        pollfd fd{ub_fd(m_ctx), POLLIN, 0};
        if (poll(&fd, 1, int(left)) > 0)
            ub_process(m_ctx);
    }
    *result = pending.result;
    return pending.error;
}

DnsAnswer DnsClient::query(const QString &name, int type)
{
    DnsAnswer answer;
    if (!m_setupError.isEmpty()) {
        answer.error = m_setupError;
        return answer;
    }
    if (m_timeouts >= 2) {
        answer.error = QStringLiteral("not asked: the DNS server left two questions unanswered, %1 s each").arg(m_timeoutMs / 1000);
        return answer;
    }
    ub_result *result = nullptr;
    const int rc = resolveWithin(name, type, &result);
    if (rc == kTimedOut) {
        ++m_timeouts;
        answer.error = QStringLiteral("no answer from the DNS server within %1 s").arg(m_timeoutMs / 1000);
        return answer;
    }
    if (rc != 0) {
        answer.error = QString::fromLocal8Bit(ub_strerror(rc));
        return answer;
    }
    answer.rcode = result->rcode;
    if (result->bogus) {
        answer.security = DnsAnswer::Security::Bogus;
        answer.whyBogus = visibleText(QString::fromUtf8(result->why_bogus ? result->why_bogus : "unknown"),
                                      LineBreaks::Mark);
    } else if (result->secure) {
        answer.security = DnsAnswer::Security::Secure;
    }
    if (result->canonname && QString::fromLatin1(result->canonname).chopped(1).compare(name, Qt::CaseInsensitive) != 0)
        answer.canonicalName = QString::fromLatin1(result->canonname);
    if (answer.canonicalName.endsWith(QLatin1Char('.')))
        answer.canonicalName.chop(1);
    for (int i = 0; result->havedata && result->data[i]; ++i)
        answer.records.append(QByteArray(result->data[i], result->len[i]));
    if (answer.rcode == 2 && !answer.isBogus())
        answer.error = QStringLiteral("the DNS server failed to answer (SERVFAIL)");
    ub_resolve_free(result);
    return answer;
}

QList<QHostAddress> DnsClient::addresses(const QString &name, DnsAnswer *firstAnswer)
{
    QList<QHostAddress> out;
    const DnsAnswer a = query(name, DnsType::A);
    for (const QByteArray &r : a.records)
        out.append(addressFromWire(r));
    const DnsAnswer aaaa = query(name, DnsType::Aaaa);
    for (const QByteArray &r : aaaa.records)
        out.append(addressFromWire(r));
    if (firstAnswer)
        *firstAnswer = a;
    return out;
}

QString dnsNameFromWire(const QByteArray &rdata, int offset)
{
    QStringList labels;
    int pos = offset;
    while (pos < rdata.size()) {
        const int length = quint8(rdata[pos]);
        if (length == 0 || length > 63 || pos + 1 + length > rdata.size())
            break;
        labels.append(QString::fromLatin1(rdata.mid(pos + 1, length)));
        pos += 1 + length;
    }
    return labels.isEmpty() ? QStringLiteral(".") : visibleText(labels.join(QLatin1Char('.')), LineBreaks::Mark);
}

MxRecord mxFromWire(const QByteArray &rdata)
{
    MxRecord mx;
    if (rdata.size() < 3)
        return mx;
    mx.preference = (quint8(rdata[0]) << 8) | quint8(rdata[1]);
    mx.exchange = dnsNameFromWire(rdata, 2);
    return mx;
}

QString txtFromWire(const QByteArray &rdata)
{
    QByteArray text;
    int pos = 0;
    while (pos < rdata.size()) {
        const int length = quint8(rdata[pos]);
        text.append(rdata.mid(pos + 1, length));
        pos += 1 + length;
    }
    return QString::fromUtf8(text);
}

TlsaRecord tlsaFromWire(const QByteArray &rdata)
{
    TlsaRecord t;
    if (rdata.size() < 3)
        return t;
    t.usage = quint8(rdata[0]);
    t.selector = quint8(rdata[1]);
    t.matchingType = quint8(rdata[2]);
    t.data = rdata.mid(3);
    return t;
}

QHostAddress addressFromWire(const QByteArray &rdata)
{
    if (rdata.size() == 4)
        return QHostAddress(quint32((quint8(rdata[0]) << 24) | (quint8(rdata[1]) << 16)
                                   | (quint8(rdata[2]) << 8) | quint8(rdata[3])));
    if (rdata.size() == 16)
        return QHostAddress(reinterpret_cast<const quint8 *>(rdata.constData()));
    return {};
}

QString reverseName(const QHostAddress &address)
{
    QStringList parts;
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        const quint32 v4 = address.toIPv4Address();
        for (int shift = 0; shift < 32; shift += 8)
            parts.append(QString::number((v4 >> shift) & 0xff));
        return parts.join(QLatin1Char('.')) + QStringLiteral(".in-addr.arpa");
    }
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    for (int i = 15; i >= 0; --i) {
        parts.append(QString::number(v6[i] & 0x0f, 16));
        parts.append(QString::number(v6[i] >> 4, 16));
    }
    return parts.join(QLatin1Char('.')) + QStringLiteral(".ip6.arpa");
}

} // namespace smtp
