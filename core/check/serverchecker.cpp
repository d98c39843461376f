#include "serverchecker.h"

#include "checkcontext.h"
#include "domainchecks.h"
#include "hostchecks.h"

#include "session/sessionoptions.h"

#include <QMetaObject>

namespace smtp {

namespace {
constexpr int kMostHosts = 8;   // addresses checked at once at most
}

ServerChecker::ServerChecker(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<smtp::CheckResult>();
}

ServerChecker::~ServerChecker()
{
    cancel();
    if (m_thread)
        m_thread->wait();
}

bool ServerChecker::parseTarget(const QString &target, QString *host, int *port)
{
    QString h;
    if (!parseHostPort(target, &h, port))
        return false;
    if (h.endsWith(QLatin1Char('.'))) // a name written absolute
        h.chop(1);
    if (h.isEmpty() || h.contains(QLatin1Char(' ')))
        return false;
    *host = h;
    return true;
}

bool ServerChecker::start(const CheckOptions &options, QString *error)
{
    QString host;
    int port = -1;
    if (m_running || !parseTarget(options.target, &host, &port)) {
        if (error)
            *error = m_running ? QStringLiteral("a check is already running")
                               : QStringLiteral("'%1' is neither a domain nor HOST[:PORT]").arg(options.target);
        return false;
    }
    if (m_thread)
        m_thread->wait();
    m_options = options;
    m_results.clear();
    m_cancelled = false;
    m_running = true;
    m_thread.reset(QThread::create([this] { run(); }));
    connect(m_thread.get(), &QThread::finished, this, [this] {
        m_running = false;
        emit finished();
    });
    m_thread->start();
    return true;
}

void ServerChecker::cancel()
{
    m_cancelled = true;
}

void ServerChecker::run()
{
    // Results cross to the owner's thread one by one, in the order they were made.
    auto sink = [this](const CheckResult &r) {
        QMetaObject::invokeMethod(this, [this, r] {
            m_results.append(r);
            emit resultReady(r);
        }, Qt::QueuedConnection);
    };
    const CheckOptions options = m_options;
    CheckContext ctx(options, sink, &m_cancelled);
    QString name;
    int port = -1;
    parseTarget(options.target, &name, &port);
    QHostAddress literal;
    QList<HostTarget> hosts;

    if (literal.setAddress(name)) {
        hosts.append({QString(), literal, quint16(port > 0 ? port : options.port), QString()});
    } else if (port > 0) {
        // HOST:PORT is one server, not a domain: no MX, no domain policies.
        for (const QHostAddress &a : ctx.dns().addresses(name))
            hosts.append({name, a, quint16(port), QString()});
        if (hosts.isEmpty()) {
            ctx.begin();
            ctx.report(QStringLiteral("connect"), options.target, CheckStatus::Fail,
                       QStringLiteral("%1 has no A or AAAA record").arg(name));
        }
    } else {
        const MxFindings mx = checkMx(ctx, name);
        for (const MailHost &m : mx.hosts) {
            for (const QHostAddress &a : m.addresses)
                hosts.append({m.name, a, quint16(options.port), name});
        }
        if (hosts.size() > kMostHosts) {
            // A hostile or huge zone must not open a connection per record: the most preferred.
            ctx.begin();
            ctx.report(QStringLiteral("mx"), name, CheckStatus::Info,
                       QStringLiteral("%1 mail server addresses: the first %2 by preference checked").arg(hosts.size()).arg(kMostHosts));
            hosts = hosts.mid(0, kMostHosts);
        }
        if (!mx.nxdomain) {
            QStringList mxNames;
            for (const MailHost &m : mx.hosts)
                mxNames.append(m.name);
            checkSpf(ctx, name);
            checkDmarc(ctx, name);
            checkMtaSts(ctx, name, mxNames);
            checkTlsRpt(ctx, name);
        }
    }
    QStringList labels;
    for (const HostTarget &h : hosts)
        labels.append(h.label());
    QMetaObject::invokeMethod(this, [this, labels] { emit hostsFound(labels); }, Qt::QueuedConnection);

    // Hosts in parallel, each with its own resolver; one connection per host at a time.
    std::vector<std::unique_ptr<QThread>> workers;
    for (const HostTarget &h : std::as_const(hosts)) {
        workers.emplace_back(QThread::create([&options, sink, h, this] {
            CheckContext hostCtx(options, sink, &m_cancelled);
            checkHost(hostCtx, h);
        }));
        workers.back()->start();
    }
    for (auto &w : workers)
        w->wait();
}

} // namespace smtp
