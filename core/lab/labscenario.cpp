#include "labscenario.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

// The scenarios live in a static library: its resources must be registered by hand.
static void initLabResources()
{
    Q_INIT_RESOURCE(lab);
}

namespace smtp {

namespace {

const QStringList &defaultCapabilities()
{
    static const QStringList caps = {
        QStringLiteral("PIPELINING"), QStringLiteral("SIZE"), QStringLiteral("8BITMIME"),
        QStringLiteral("ENHANCEDSTATUSCODES"), QStringLiteral("STARTTLS"), QStringLiteral("AUTH"),
        QStringLiteral("DSN"), QStringLiteral("CHUNKING"), QStringLiteral("SMTPUTF8"),
    };
    return caps;
}

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out.append(v.toString());
    return out;
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

// A typo in a teacher's file should be an error, not a silently ignored setting.
bool checkKeys(const QJsonObject &o, const QStringList &allowed, const QString &where, QString *error)
{
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!allowed.contains(it.key()))
            return fail(error, QStringLiteral("%1: unknown key \"%2\" (known: %3)")
                                   .arg(where, it.key(), allowed.join(QStringLiteral(", "))));
    return true;
}

bool readRule(const QJsonObject &o, int index, LabRule &rule, QString *error)
{
    const QString where = QStringLiteral("rule %1").arg(index + 1);
    static const QStringList keys = {QStringLiteral("command"), QStringLiteral("match"), QStringLiteral("reply"),
                                     QStringLiteral("raw"), QStringLiteral("delayMs"), QStringLiteral("disconnect"),
                                     QStringLiteral("comment")};
    if (!checkKeys(o, keys, where, error))
        return false;
    rule.command = o.value(QLatin1String("command")).toString().toUpper();
    rule.match = o.value(QLatin1String("match")).toString();
    rule.reply = o.value(QLatin1String("reply")).toString();
    rule.raw = o.value(QLatin1String("raw")).toString().toUtf8();
    rule.delayMs = o.value(QLatin1String("delayMs")).toInt();
    rule.disconnect = o.value(QLatin1String("disconnect")).toBool();
    if (rule.command.isEmpty())
        return fail(error, where + QStringLiteral(": \"command\" is missing"));
    const QRegularExpression re(rule.match);
    if (!re.isValid())
        return fail(error, QStringLiteral("%1: \"match\" is not a valid regular expression: %2")
                               .arg(where, re.errorString()));
    if (rule.raw.isEmpty()) {
        static const QRegularExpression reply(QStringLiteral("^[2-5][0-9][0-9]( |$)"));
        if (!reply.match(rule.reply).hasMatch())
            return fail(error, where + QStringLiteral(": \"reply\" must start with a code from 200 to 599, "
                                                      "or give \"raw\" bytes instead"));
    }
    if (rule.delayMs < 0 || rule.delayMs > 600'000)
        return fail(error, where + QStringLiteral(": \"delayMs\" must be between 0 and 600000"));
    return true;
}

// "faults": a spec string, or an array of spec strings and objects
// {"stage", "reply" (a whole reply: the teacher's own words), "percent"}.
bool readFaults(const QJsonValue &value, QList<LabFault> &faults, QString *error)
{
    const QJsonArray items = value.isString() ? QJsonArray{value} : value.toArray();
    for (int i = 0; i < items.size(); ++i) {
        const QJsonValue item = items.at(i);
        QString why;
        if (item.isString()) {
            const auto parsed = parseFaults(item.toString(), &why);
            if (!parsed)
                return fail(error, QStringLiteral("faults: %1").arg(why));
            faults += *parsed;
            continue;
        }
        const QJsonObject o = item.toObject();
        const QString where = QStringLiteral("fault %1").arg(i + 1);
        static const QStringList keys = {QStringLiteral("stage"), QStringLiteral("reply"), QStringLiteral("percent"),
                                         QStringLiteral("comment")};
        if (!checkKeys(o, keys, where, error))
            return false;
        const QString reply = o.value(QLatin1String("reply")).toString();
        const auto parsed = parseFaults(QStringLiteral("%1:%2:%3")
                                            .arg(o.value(QLatin1String("stage")).toString(), reply.left(3))
                                            .arg(o.value(QLatin1String("percent")).toInt(100)),
                                        &why);
        if (!parsed || parsed->size() != 1 || parsed->first().kind != LabFault::Kind::Reply)
            return fail(error, QStringLiteral("%1: %2").arg(where, why.isEmpty() ? QStringLiteral("give a stage and a reply") : why));
        LabFault fault = parsed->first();
        if (reply.size() > 4)
            fault.reply = reply; // the teacher's own words
        faults.append(fault);
    }
    return true;
}

} // namespace

const QStringList &LabScenario::knownFlaws()
{
    static const QStringList flaws = {QStringLiteral("starttls-buffering"), QStringLiteral("starttls-injection"),
                                      QStringLiteral("smuggling-lf")};
    return flaws;
}

bool LabScenario::hasCapability(const QString &keyword) const
{
    for (const QString &c : capabilities)
        if (c.section(QLatin1Char(' '), 0, 0).compare(keyword, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

std::optional<LabScenario> LabScenario::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        fail(error, QStringLiteral("not valid JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        fail(error, QStringLiteral("a scenario is a JSON object"));
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    static const QStringList keys = {
        QStringLiteral("name"), QStringLiteral("title"), QStringLiteral("description"), QStringLiteral("teaches"),
        QStringLiteral("hostname"), QStringLiteral("greeting"), QStringLiteral("capabilities"),
        QStringLiteral("domains"), QStringLiteral("mailboxes"), QStringLiteral("openRelay"),
        QStringLiteral("accounts"), QStringLiteral("requireTls"), QStringLiteral("requireAuth"),
        QStringLiteral("allowPlainAuth"), QStringLiteral("maxSize"), QStringLiteral("greylistSeconds"),
        QStringLiteral("greetingDelayMs"), QStringLiteral("replyDelayMs"), QStringLiteral("maxMessages"),
        QStringLiteral("maxCommands"), QStringLiteral("maxErrors"), QStringLiteral("idleTimeoutSeconds"),
        QStringLiteral("maxClients"), QStringLiteral("firstCommandTimeoutSeconds"), QStringLiteral("maxClientsPerAddress"),
        QStringLiteral("rules"), QStringLiteral("faults"), QStringLiteral("seed"),
        QStringLiteral("bytesPerSecond"), QStringLiteral("flaws"), QStringLiteral("goals"), QStringLiteral("comment")};
    if (!checkKeys(o, keys, QStringLiteral("scenario"), error))
        return std::nullopt;

    LabScenario s;
    auto str = [&](const char *key, const QString &fallback = {}) {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isString() ? v.toString() : fallback;
    };
    auto num = [&](const char *key, qint64 fallback) {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isDouble() ? qint64(v.toDouble()) : fallback;
    };
    s.name = str("name");
    if (s.name.isEmpty()) {
        fail(error, QStringLiteral("\"name\" is missing"));
        return std::nullopt;
    }
    s.title = str("title", s.name);
    s.description = str("description");
    s.teaches = str("teaches");
    s.hostname = str("hostname", s.hostname);
    s.greeting = str("greeting", QStringLiteral("ESMTP SMTP Workbench practice server"));
    s.capabilities = o.contains(QLatin1String("capabilities")) ? stringList(o.value(QLatin1String("capabilities")))
                                                               : defaultCapabilities();
    s.domains = o.contains(QLatin1String("domains")) ? stringList(o.value(QLatin1String("domains")))
                                                     : QStringList{QStringLiteral("lab.test")};
    s.mailboxes = stringList(o.value(QLatin1String("mailboxes")));
    s.openRelay = o.value(QLatin1String("openRelay")).toBool();
    if (!o.contains(QLatin1String("accounts")))
        s.accounts = {{QStringLiteral("alice"), QStringLiteral("wonderland")}, {QStringLiteral("bob"), QStringLiteral("builder")}};
    for (const QJsonValue &v : o.value(QLatin1String("accounts")).toArray()) {
        const QJsonObject a = v.toObject();
        s.accounts.append({a.value(QLatin1String("user")).toString(), a.value(QLatin1String("password")).toString()});
    }
    s.requireTls = o.value(QLatin1String("requireTls")).toBool();
    s.requireAuth = o.value(QLatin1String("requireAuth")).toBool();
    s.allowPlainAuth = o.value(QLatin1String("allowPlainAuth")).toBool();
    s.maxSize = num("maxSize", s.maxSize);
    s.greylistSeconds = int(num("greylistSeconds", 0));
    s.greetingDelayMs = int(num("greetingDelayMs", 0));
    s.replyDelayMs = int(num("replyDelayMs", 0));
    s.maxMessages = int(num("maxMessages", 0));
    s.maxCommands = int(num("maxCommands", 0));
    s.maxErrors = int(num("maxErrors", s.maxErrors));
    s.idleTimeoutSeconds = int(num("idleTimeoutSeconds", s.idleTimeoutSeconds));
    s.maxClients = int(num("maxClients", s.maxClients));
    s.firstCommandTimeoutSeconds = int(num("firstCommandTimeoutSeconds", s.firstCommandTimeoutSeconds));
    s.maxClientsPerAddress = int(num("maxClientsPerAddress", s.maxClientsPerAddress));
    s.seed = quint32(num("seed", 0));
    s.bytesPerSecond = int(num("bytesPerSecond", 0));
    if (!readFaults(o.value(QLatin1String("faults")), s.faults, error))
        return std::nullopt;
    const QJsonArray goals = o.value(QLatin1String("goals")).toArray();
    for (int i = 0; i < goals.size(); ++i) {
        const auto goal = LabGoal::fromJson(goals.at(i).toObject(), i, error);
        if (!goal)
            return std::nullopt;
        if (std::any_of(s.goals.begin(), s.goals.end(), [&](const LabGoal &g) { return g.id == goal->id; })) {
            fail(error, QStringLiteral("goal %1: the id \"%2\" is used twice").arg(i + 1).arg(goal->id));
            return std::nullopt;
        }
        s.goals.append(*goal);
    }
    s.flaws = stringList(o.value(QLatin1String("flaws")));
    for (const QString &flaw : std::as_const(s.flaws))
        if (!knownFlaws().contains(flaw)) {
            fail(error, QStringLiteral("unknown flaw \"%1\" (known: %2)").arg(flaw, knownFlaws().join(QStringLiteral(", "))));
            return std::nullopt;
        }

    // Storage is in memory: keep one message to 10 MB whatever a file says.
    constexpr qint64 kMaxStored = 10 * 1024 * 1024;
    if (s.maxSize <= 0 || s.maxSize > kMaxStored) {
        fail(error, QStringLiteral("\"maxSize\" must be between 1 and %1 bytes").arg(kMaxStored));
        return std::nullopt;
    }
    const auto inRange = [&](qint64 v, qint64 lo, qint64 hi, const char *key) {
        if (v >= lo && v <= hi)
            return true;
        fail(error, QStringLiteral("\"%1\" must be between %2 and %3").arg(QLatin1String(key)).arg(lo).arg(hi));
        return false;
    };
    if (!inRange(s.greylistSeconds, 0, 86400, "greylistSeconds") || !inRange(s.greetingDelayMs, 0, 600'000, "greetingDelayMs")
        || !inRange(s.replyDelayMs, 0, 600'000, "replyDelayMs") || !inRange(s.maxMessages, 0, 1'000'000, "maxMessages")
        || !inRange(s.maxCommands, 0, 1'000'000, "maxCommands") || !inRange(s.maxErrors, 1, 1000, "maxErrors")
        || !inRange(s.idleTimeoutSeconds, 1, 86400, "idleTimeoutSeconds") || !inRange(s.maxClients, 1, 1000, "maxClients")
        || !inRange(s.bytesPerSecond, 0, 100'000'000, "bytesPerSecond")
        || !inRange(s.firstCommandTimeoutSeconds, 1, 86400, "firstCommandTimeoutSeconds")
        || !inRange(s.maxClientsPerAddress, 1, 1000, "maxClientsPerAddress"))
        return std::nullopt;

    const QJsonArray rules = o.value(QLatin1String("rules")).toArray();
    for (int i = 0; i < rules.size(); ++i) {
        LabRule rule;
        if (!readRule(rules.at(i).toObject(), i, rule, error))
            return std::nullopt;
        s.rules.append(rule);
    }
    return s;
}

QList<LabScenario> LabScenario::builtIn()
{
    static const QList<LabScenario> scenarios = [] {
        initLabResources();
        QList<LabScenario> out;
        const QDir dir(QStringLiteral(":/lab/scenarios"));
        for (const QString &file : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            QFile f(dir.filePath(file));
            if (!f.open(QIODevice::ReadOnly))
                continue;
            QString error;
            if (auto s = fromJson(f.readAll(), &error))
                out.append(*s);
            else
                qWarning("lab scenario %s: %s", qPrintable(file), qPrintable(error));
        }
        return out;
    }();
    return scenarios;
}

std::optional<LabScenario> LabScenario::load(const QString &nameOrPath, QString *error)
{
    for (const LabScenario &s : builtIn())
        if (s.name == nameOrPath)
            return s;
    const QFileInfo info(nameOrPath);
    if (!info.exists()) {
        fail(error, QStringLiteral("\"%1\" is neither a built-in scenario nor a file").arg(nameOrPath));
        return std::nullopt;
    }
    if (info.size() > 1024 * 1024) {
        fail(error, QStringLiteral("%1: too big for a scenario file (over 1 MB)").arg(nameOrPath));
        return std::nullopt;
    }
    QFile f(nameOrPath);
    if (!f.open(QIODevice::ReadOnly)) {
        fail(error, QStringLiteral("%1: cannot open: %2").arg(nameOrPath, f.errorString()));
        return std::nullopt;
    }
    QString why;
    auto s = fromJson(f.readAll(), &why);
    if (!s)
        fail(error, QStringLiteral("%1: %2").arg(nameOrPath, why));
    return s;
}

bool operator==(const LabScenario &a, const LabScenario &b)
{
    return a.name == b.name && a.title == b.title && a.description == b.description && a.teaches == b.teaches
        && a.hostname == b.hostname && a.greeting == b.greeting && a.capabilities == b.capabilities
        && a.domains == b.domains && a.mailboxes == b.mailboxes && a.openRelay == b.openRelay
        && a.accounts == b.accounts && a.requireTls == b.requireTls && a.requireAuth == b.requireAuth
        && a.allowPlainAuth == b.allowPlainAuth && a.maxSize == b.maxSize
        && a.greylistSeconds == b.greylistSeconds && a.greetingDelayMs == b.greetingDelayMs
        && a.replyDelayMs == b.replyDelayMs && a.maxMessages == b.maxMessages && a.maxCommands == b.maxCommands
        && a.maxErrors == b.maxErrors && a.idleTimeoutSeconds == b.idleTimeoutSeconds
        && a.maxClients == b.maxClients && a.firstCommandTimeoutSeconds == b.firstCommandTimeoutSeconds
        && a.maxClientsPerAddress == b.maxClientsPerAddress && a.rules == b.rules && a.faults == b.faults && a.seed == b.seed
        && a.bytesPerSecond == b.bytesPerSecond && a.flaws == b.flaws && a.goals == b.goals;
}

} // namespace smtp
