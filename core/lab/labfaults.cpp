#include "labfaults.h"

#include <QRegularExpression>
#include <QStringList>

namespace smtp {

namespace {

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool readStage(const QString &text, QString *stage)
{
    static const QRegularExpression valid(QStringLiteral("^(\\*|[A-Z]{3,10}|DATA_END)$"));
    *stage = text.trimmed().toUpper();
    return valid.match(*stage).hasMatch();
}

bool readPercent(const QString &text, int *percent)
{
    bool ok = false;
    *percent = text.trimmed().toInt(&ok);
    return ok && *percent >= 0 && *percent <= 100;
}

// "2000" or "500-3000", in milliseconds, at most ten minutes.
bool readDelay(const QString &text, int *low, int *high)
{
    const QStringList ends = text.split(QLatin1Char('-'));
    bool ok1 = false, ok2 = true;
    *low = ends.value(0).toInt(&ok1);
    *high = ends.size() > 1 ? ends.value(1).toInt(&ok2) : *low;
    return ends.size() <= 2 && ok1 && ok2 && *low >= 0 && *high >= *low && *high <= 600'000;
}

bool readItem(const QString &item, LabFault *fault, QString *error)
{
    const QStringList parts = item.split(QLatin1Char(':'));
    const QString where = QStringLiteral("fault \"%1\"").arg(item.trimmed());
    if (parts.size() < 2 || parts.size() > 3)
        return fail(error, where + QStringLiteral(": give STAGE:WHAT or STAGE:WHAT:PERCENT"));
    if (!readStage(parts.at(0), &fault->stage))
        return fail(error, where + QStringLiteral(": the stage is CONNECT, a command verb, DATA_END or *"));
    if (parts.size() == 3 && !readPercent(parts.at(2), &fault->percent))
        return fail(error, where + QStringLiteral(": the chance is a percentage from 0 to 100"));
    const QString what = parts.at(1).trimmed().toLower();
    if (what == QLatin1String("drop")) {
        fault->kind = LabFault::Kind::Drop;
        return true;
    }
    if (what.startsWith(QLatin1String("delay="))) {
        fault->kind = LabFault::Kind::Delay;
        if (!readDelay(what.mid(6), &fault->delayMinMs, &fault->delayMaxMs))
            return fail(error, where + QStringLiteral(": a delay is MS or MIN-MAX, in milliseconds up to 600000"));
        return true;
    }
    bool ok = false;
    const int code = what.toInt(&ok);
    if (!ok || code < 400 || code > 599)
        return fail(error, where + QStringLiteral(": WHAT is a reply code from 400 to 599, delay=MS[-MS] or drop"));
    fault->kind = LabFault::Kind::Reply;
    fault->reply = faultReply(code);
    return true;
}

} // namespace

bool LabFault::appliesTo(const QString &stageName) const
{
    return stage == QLatin1String("*") ? stageName != QLatin1String("CONNECT") : stage == stageName;
}

QString LabFault::spec() const
{
    QString what;
    switch (kind) {
    case Kind::Reply: what = reply.left(3); break;
    case Kind::Drop: what = QStringLiteral("drop"); break;
    case Kind::Delay:
        what = QStringLiteral("delay=%1").arg(delayMinMs);
        if (delayMaxMs != delayMinMs)
            what += QStringLiteral("-%1").arg(delayMaxMs);
        break;
    }
    return stage + QLatin1Char(':') + what + (percent == 100 ? QString() : QStringLiteral(":%1").arg(percent));
}

std::optional<QList<LabFault>> parseFaults(const QString &spec, QString *error)
{
    QList<LabFault> faults;
    for (const QString &item : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (item.trimmed().isEmpty())
            continue;
        LabFault fault;
        if (!readItem(item, &fault, error))
            return std::nullopt;
        faults.append(fault);
    }
    return faults;
}

QString faultsSpec(const QList<LabFault> &faults)
{
    QStringList items;
    for (const LabFault &f : faults)
        items.append(f.spec());
    return items.join(QLatin1Char(','));
}

QString faultReply(int code)
{
    // The enhanced code a real server would pair with each (RFC 3463), so a client's
    // handling of the pair is tested too.
    struct Pair { int code; const char *enhanced; const char *text; };
    static const Pair pairs[] = {
        {421, "4.3.2", "Service not available, closing the channel"},
        {450, "4.2.1", "Mailbox temporarily unavailable"},
        {451, "4.3.0", "Requested action aborted: local error in processing"},
        {452, "4.3.1", "Insufficient system storage"},
        {454, "4.7.0", "Temporary authentication failure"},
        {500, "5.5.2", "Syntax error, command unrecognized"},
        {501, "5.5.4", "Syntax error in parameters or arguments"},
        {503, "5.5.1", "Bad sequence of commands"},
        {530, "5.7.0", "Authentication required"},
        {535, "5.7.8", "Authentication credentials invalid"},
        {550, "5.7.1", "Requested action not taken: refused"},
        {552, "5.3.4", "Message too big for system"},
        {554, "5.0.0", "Transaction failed"},
    };
    QString enhanced = QStringLiteral("%1.0.0").arg(code / 100);
    QString text = code < 500 ? QStringLiteral("Temporary failure") : QStringLiteral("Permanent failure");
    for (const Pair &p : pairs)
        if (p.code == code) {
            enhanced = QString::fromLatin1(p.enhanced);
            text = QString::fromLatin1(p.text);
        }
    return QStringLiteral("%1 %2 %3 (a fault the practice server was asked to inject)").arg(code).arg(enhanced, text);
}

} // namespace smtp
