#include "knowledge.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>

// The data lives in a static library: its resources must be registered by hand.
static void initKnowledgeResources()
{
    Q_INIT_RESOURCE(knowledge);
}

namespace smtp {

QJsonObject readKnowledgeFile(const QString &name, QStringList &errors)
{
    initKnowledgeResources();
    const QString path = QStringLiteral(":/knowledge/") + name;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        errors.append(QStringLiteral("%1: cannot open: %2").arg(path, file.errorString()));
        return {};
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError) {
        errors.append(QStringLiteral("%1: %2 at offset %3").arg(path, error.errorString()).arg(error.offset));
        return {};
    }
    return doc.object();
}

namespace {

DigitMeaning digitMeaning(const QJsonValue &value)
{
    const QJsonObject o = value.toObject();
    return {o.value(QLatin1String("name")).toString(), o.value(QLatin1String("text")).toString()};
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

} // namespace

const Knowledge &Knowledge::instance()
{
    static const Knowledge knowledge; // thread-safe initialisation (C++11 magic statics)
    return knowledge;
}

Knowledge::Knowledge()
{
    initKnowledgeResources();
    loadReplyCodes();
    loadEnhanced();
    loadKeywords();
}

void Knowledge::loadReplyCodes()
{
    const QJsonObject root = readKnowledgeFile(QStringLiteral("replycodes.json"), m_errors);
    const QJsonObject classes = root.value(QLatin1String("classes")).toObject();
    for (auto it = classes.begin(); it != classes.end(); ++it)
        m_replyClasses.insert(it.key().at(0), digitMeaning(it.value()));
    const QJsonObject categories = root.value(QLatin1String("categories")).toObject();
    for (auto it = categories.begin(); it != categories.end(); ++it)
        m_replyCategories.insert(it.key().at(0), digitMeaning(it.value()));
    const QJsonArray codes = root.value(QLatin1String("codes")).toArray();
    for (const QJsonValue &v : codes) {
        const QJsonObject o = v.toObject();
        ReplyCodeInfo info;
        info.code = o.value(QLatin1String("code")).toInt();
        info.title = str(o, "title");
        info.text = str(o, "text");
        info.action = str(o, "action");
        info.rfc = str(o, "rfc");
        const QJsonObject after = o.value(QLatin1String("after")).toObject();
        for (auto it = after.begin(); it != after.end(); ++it)
            info.after.insert(it.key(), it.value().toString());
        if (m_replyIndex.contains(info.code)) {
            m_errors.append(QStringLiteral("replycodes.json: code %1 appears twice").arg(info.code));
            continue;
        }
        m_replyIndex.insert(info.code, m_replyCodes.size());
        m_replyCodes.append(info);
    }
}

void Knowledge::loadEnhanced()
{
    const QJsonObject root = readKnowledgeFile(QStringLiteral("enhanced.json"), m_errors);
    const QJsonObject classes = root.value(QLatin1String("classes")).toObject();
    for (auto it = classes.begin(); it != classes.end(); ++it)
        m_enhancedClasses.insert(it.key(), digitMeaning(it.value()));
    const QJsonObject subjects = root.value(QLatin1String("subjects")).toObject();
    for (auto it = subjects.begin(); it != subjects.end(); ++it)
        m_enhancedSubjects.insert(it.key(), digitMeaning(it.value()));
    const QJsonArray codes = root.value(QLatin1String("codes")).toArray();
    for (const QJsonValue &v : codes) {
        const QJsonObject o = v.toObject();
        EnhancedCodeInfo info;
        info.code = str(o, "code");
        info.title = str(o, "title");
        info.text = str(o, "text");
        info.action = str(o, "action");
        info.rfc = str(o, "rfc");
        info.actor = str(o, "actor");
        const QJsonValue vendor = o.value(QLatin1String("vendor"));
        info.vendor = vendor.isString() ? vendor.toString() : QString();
        for (const QJsonValue &b : o.value(QLatin1String("basic")).toArray())
            info.basic.append(b.toInt());
        info.classes = str(o, "classes");
        info.retry = o.value(QLatin1String("retry")).toBool();
        if (m_enhancedIndex.contains(info.code)) {
            m_errors.append(QStringLiteral("enhanced.json: code %1 appears twice").arg(info.code));
            continue;
        }
        if (info.code.contains(QLatin1Char('-')) && !addRange(info.code, m_enhancedCodes.size())) {
            m_errors.append(QStringLiteral("enhanced.json: %1 is not a range like 4.7.500-699").arg(info.code));
            continue;
        }
        m_enhancedIndex.insert(info.code, m_enhancedCodes.size());
        m_enhancedCodes.append(info);
    }
}

void Knowledge::loadKeywords()
{
    const QJsonObject root = readKnowledgeFile(QStringLiteral("keywords.json"), m_errors);
    for (const QJsonValue &v : root.value(QLatin1String("keywords")).toArray()) {
        const QJsonObject o = v.toObject();
        KeywordInfo info{str(o, "keyword").toUpper(), str(o, "rfc"), str(o, "title"), str(o, "text"),
                         str(o, "params")};
        if (m_keywordIndex.contains(info.keyword))
            continue;
        m_keywordIndex.insert(info.keyword, m_keywords.size());
        m_keywords.append(info);
    }
}

const ReplyCodeInfo *Knowledge::replyCode(int code) const
{
    const auto it = m_replyIndex.constFind(code);
    return it == m_replyIndex.cend() ? nullptr : &m_replyCodes[*it];
}

DigitMeaning Knowledge::replyClass(int digit) const
{
    return m_replyClasses.value(QChar(u'0' + digit));
}

DigitMeaning Knowledge::replyCategory(int digit) const
{
    return m_replyCategories.value(QChar(u'0' + digit));
}

bool Knowledge::addRange(const QString &code, qsizetype index)
{
    // "4.7.500-699": class, subject, first and last detail.
    static const QRegularExpression re(QStringLiteral("^([245])\\.([0-9]{1,3})\\.([0-9]{1,3})-([0-9]{1,3})$"));
    const QRegularExpressionMatch m = re.match(code);
    if (!m.hasMatch())
        return false;
    m_enhancedRanges.append({m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt(),
                             m.captured(4).toInt(), index});
    return true;
}

const EnhancedCodeInfo *Knowledge::enhanced(const EnhancedStatus &status) const
{
    auto it = m_enhancedIndex.constFind(status.toString());
    if (it == m_enhancedIndex.cend()) {
        // A vendor's documented range (4.7.500-699) before the registry's entry.
        for (const EnhancedRange &r : m_enhancedRanges)
            if (r.klass == status.klass && r.subject == status.subject && status.detail >= r.first
                && status.detail <= r.last)
                return &m_enhancedCodes[r.index];
    }
    if (it == m_enhancedIndex.cend())
        it = m_enhancedIndex.constFind(status.registryKey());
    return it == m_enhancedIndex.cend() ? nullptr : &m_enhancedCodes[*it];
}

DigitMeaning Knowledge::enhancedClass(int digit) const
{
    return m_enhancedClasses.value(QString::number(digit));
}

DigitMeaning Knowledge::enhancedSubject(int subject) const
{
    return m_enhancedSubjects.value(QString::number(subject));
}

const KeywordInfo *Knowledge::keyword(const QString &keyword) const
{
    const auto it = m_keywordIndex.constFind(keyword.toUpper());
    return it == m_keywordIndex.cend() ? nullptr : &m_keywords[*it];
}

QString Knowledge::describeParameters(const QString &name, const QStringList &params) const
{
    const KeywordInfo *info = keyword(name);
    const QString kind = info ? info->params : QString();
    if (kind == QLatin1String("size")) {
        bool ok = false;
        const qint64 bytes = params.value(0).toLongLong(&ok);
        if (!ok || bytes <= 0)
            return QStringLiteral("no fixed size limit announced");
        const int precision = bytes >= 10'000'000 ? 0 : 1;
        return QStringLiteral("messages up to %1 (%2 bytes)")
            .arg(QLocale::c().formattedDataSize(bytes, precision, QLocale::DataSizeSIFormat))
            .arg(bytes);
    }
    if (kind == QLatin1String("mechanisms")) {
        if (params.isEmpty())
            return QStringLiteral("no mechanism listed");
        QStringList notes;
        for (const QString &m : params) {
            const QString upper = m.toUpper();
            if (upper == QLatin1String("PLAIN") || upper == QLatin1String("LOGIN"))
                notes.append(upper + QStringLiteral(" (password sent in clear: only over TLS)"));
            else
                notes.append(upper);
        }
        return QStringLiteral("sign-in mechanisms: ") + notes.join(QStringLiteral(", "));
    }
    if (kind == QLatin1String("limits")) {
        QStringList notes;
        for (const QString &p : params) {
            const QString key = p.section(QLatin1Char('='), 0, 0).toUpper();
            const QString value = p.section(QLatin1Char('='), 1);
            if (key == QLatin1String("RCPTMAX"))
                notes.append(QStringLiteral("at most %1 recipients per transaction").arg(value));
            else if (key == QLatin1String("MAILMAX"))
                notes.append(QStringLiteral("at most %1 transactions per session").arg(value));
            else if (key == QLatin1String("RCPTDOMAINMAX"))
                notes.append(QStringLiteral("at most %1 recipient domains per transaction").arg(value));
            else
                notes.append(p);
        }
        return notes.join(QStringLiteral("; "));
    }
    if (kind == QLatin1String("deliverby")) {
        return params.isEmpty() ? QStringLiteral("no minimum delivery time")
                                : QStringLiteral("deliver-by times of at least %1 seconds").arg(params.first());
    }
    if (params.isEmpty())
        return info ? info->title : QString();
    return (info ? info->title + QStringLiteral(": ") : QString()) + params.join(QLatin1Char(' '));
}

} // namespace smtp
