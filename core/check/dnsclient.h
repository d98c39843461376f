#pragma once
// DNS for the checks through libunbound: any record type, and whether DNSSEC proved the
// answer (secure), found it forged or broken (bogus), or had nothing to prove it with.
// Blocking: the checks call it from their worker threads, never from the GUI thread.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>

struct ub_ctx;
struct ub_result;

namespace smtp {

namespace DnsType {
enum : int { A = 1, Ns = 2, Cname = 5, Ptr = 12, Mx = 15, Txt = 16, Aaaa = 28, Tlsa = 52 };
}

struct DnsAnswer
{
    enum class Security { Insecure, Secure, Bogus };

    QString error;              // the resolver could not answer (unreachable, timed out...)
    int rcode = 0;              // 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN ...
    Security security = Security::Insecure;
    QString whyBogus;           // libunbound's reason when bogus
    QString canonicalName;      // the name answered after CNAMEs, when it differs
    QList<QByteArray> records;  // rdata in wire form, names uncompressed

    bool failed() const { return !error.isEmpty(); }
    bool nxdomain() const { return rcode == 3; }
    bool isSecure() const { return security == Security::Secure; }
    bool isBogus() const { return security == Security::Bogus; }
    // "secure (DNSSEC)", "not signed", "BOGUS: <why>": how far the answer can be trusted.
    QString securityText() const;
};

class DnsClient
{
public:
    // nameserver "ADDR[:PORT]" (or "[v6]:PORT"), empty for /etc/resolv.conf's servers;
    // trustAnchorFile empty for the root's anchor from Debian's dns-root-data.
    // A question unanswered after timeoutMs fails; after two such, the server is taken for
    // gone and later questions fail at once, so a check without DNS still ends soon.
    DnsClient(const QString &nameserver, const QString &trustAnchorFile, int timeoutMs = 10000);
    ~DnsClient();
    DnsClient(const DnsClient &) = delete;
    DnsClient &operator=(const DnsClient &) = delete;

    // Why the resolver could not be set up (then every query fails with it).
    QString setupError() const { return m_setupError; }
    // True when answers can be validated (a trust anchor was loaded).
    bool validates() const { return m_validates; }

    DnsAnswer query(const QString &name, int type);
    // A and AAAA of a name, in that order.
    QList<QHostAddress> addresses(const QString &name, DnsAnswer *firstAnswer = nullptr);

private:
    static constexpr int kTimedOut = -1000;
    int resolveWithin(const QString &name, int type, struct ub_result **result);

    ub_ctx *m_ctx = nullptr;
    QString m_setupError;
    bool m_validates = false;
    int m_timeoutMs;
    int m_timeouts = 0;
};

// Readers of rdata in wire form.
struct MxRecord
{
    int preference = 0;
    QString exchange;   // "." for a null MX, without the trailing dot otherwise
};
struct TlsaRecord
{
    int usage = 0, selector = 0, matchingType = 0;
    QByteArray data;
};

QString dnsNameFromWire(const QByteArray &rdata, int offset = 0);
MxRecord mxFromWire(const QByteArray &rdata);
QString txtFromWire(const QByteArray &rdata);  // its character-strings joined, as SPF asks
TlsaRecord tlsaFromWire(const QByteArray &rdata);
QHostAddress addressFromWire(const QByteArray &rdata);
// 1.0.0.127.in-addr.arpa for 127.0.0.1; the ip6.arpa name for IPv6.
QString reverseName(const QHostAddress &address);

} // namespace smtp
