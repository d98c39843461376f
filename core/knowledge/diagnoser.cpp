#include "diagnoser.h"

#include "checkedtext.h"
#include "knowledge.h"
#include "reasonclassifier.h"

#include <QJsonArray>
#include <QJsonObject>

namespace smtp {

namespace {

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

bool isSuccess(int code, const QString &status)
{
    return (code >= 200 && code < 400) || status.startsWith(QLatin1Char('2'));
}

bool isTemporary(int code, const QString &status)
{
    return code / 100 == 4 || (code == 0 && (status.isEmpty() || status.startsWith(QLatin1Char('4'))));
}

// A reason that says nothing: the wording's own reason is better.
bool isVague(const QString &reason)
{
    return reason.isEmpty() || reason == QLatin1String("undefined") || reason == QLatin1String("onhold");
}

} // namespace

const Diagnoser &Diagnoser::instance()
{
    static const Diagnoser diagnoser;
    return diagnoser;
}

// Compiled at first use, not here: one bounce or reply needs few of them, and a run for one
// starts faster. loadErrors() compiles them all to check.
RulePattern Diagnoser::pattern(const QString &text)
{
    return RulePattern(text, QRegularExpression::UseUnicodePropertiesOption);
}

QStringList Diagnoser::loadErrors() const
{
    QStringList errors = m_errors;
    const auto check = [&errors](const QString &entry, const RulePattern &p) {
        if (!p.re.isValid())
            errors.append(QStringLiteral("diagnosis.json: %1: %2").arg(entry, p.re.errorString()));
    };
    for (const Source &s : m_sources)
        check(s.name, s.match);
    for (const List &l : m_lists)
        check(l.name, l.match);
    for (const ProviderCodes &p : m_providerCodes)
        check(p.source, p.match);
    for (const Wording &w : m_wordings)
        check(w.kind, w.match);
    return errors;
}

Diagnoser::Diagnoser()
{
    const QJsonObject root = readKnowledgeFile(QStringLiteral("diagnosis.json"), m_errors);
    if (root.isEmpty())
        return;
    const auto advice = [](const QJsonObject &o) { return Advice{str(o, "summary"), str(o, "action")}; };
    for (const QJsonValue &v : root.value(QLatin1String("sources")).toArray()) {
        const QJsonObject o = v.toObject();
        m_sources.append({str(o, "name"), pattern(str(o, "match")), str(o, "help")});
    }
    for (const QJsonValue &v : root.value(QLatin1String("lists")).toArray()) {
        const QJsonObject o = v.toObject();
        m_lists.append({str(o, "name"), pattern(str(o, "match")), str(o, "help"), advice(o)});
    }
    for (const QJsonValue &v : root.value(QLatin1String("providerCodes")).toArray()) {
        const QJsonObject o = v.toObject();
        ProviderCodes p{str(o, "source"), pattern(str(o, "match")), str(o, "help"), {}};
        const QJsonObject codes = o.value(QLatin1String("codes")).toObject();
        for (auto it = codes.begin(); it != codes.end(); ++it)
            p.codes.insert(it.key().toUpper(), advice(it.value().toObject()));
        m_providerCodes.append(p);
    }
    for (const QJsonValue &v : root.value(QLatin1String("wordings")).toArray()) {
        const QJsonObject o = v.toObject();
        Wording w{str(o, "kind"), str(o, "reason"), o.value(QLatin1String("temporaryOnly")).toBool(),
                  pattern(str(o, "match")), advice(o)};
        w.overridesReason = o.value(QLatin1String("overridesReason")).toBool();
        m_wordings.append(w);
    }
    const QJsonObject reasons = root.value(QLatin1String("reasons")).toObject();
    for (auto it = reasons.begin(); it != reasons.end(); ++it)
        m_reasons.insert(it.key(), advice(it.value().toObject()));
}

QPair<QString, QString> Diagnoser::adviceFor(const QString &reason) const
{
    const Advice advice = m_reasons.value(reason);
    return {advice.summary, advice.action};
}

QString Diagnoser::sourceOf(const QString &text) const
{
    return sourceOf(CheckedText(text));
}

QString Diagnoser::sourceOf(const CheckedText &text) const
{
    for (const Source &s : m_sources)
        if (text.matches(s.match))
            return s.name;
    return QString();
}

const Diagnoser::Wording *Diagnoser::wordingFor(const CheckedText &text, int code, const QString &status) const
{
    const bool temporary = isTemporary(code, status);
    for (const Wording &w : m_wordings)
        if ((temporary || !w.temporaryOnly) && text.matches(w.match))
            return &w;
    return nullptr;
}

QString Diagnoser::urlIn(const CheckedText &text)
{
    static const QRegularExpression url(QStringLiteral("\\bhttps?://[^\\s<>\"')\\]]+"),
                                        QRegularExpression::CaseInsensitiveOption);
    QString found = text.match(url).captured(0);
    while (!found.isEmpty() && QStringLiteral(".,;:!?").contains(found.back()))
        found.chop(1);
    return found;
}

bool Diagnoser::applyList(const CheckedText &text, Diagnosis &d) const
{
    for (const List &l : m_lists) {
        const QRegularExpressionMatch m = text.match(l.match);
        if (!m.hasMatch())
            continue;
        QString name = l.name;
        if (name.contains(QLatin1String("{1}"))) {
            QString captured;
            for (int i = 1; i <= m.lastCapturedIndex() && captured.isEmpty(); ++i)
                captured = m.captured(i);
            name.replace(QLatin1String("{1}"), captured.toLower());
        }
        d.list = name;
        d.summary = l.advice.summary;
        d.action = l.advice.action;
        if (d.help.isEmpty())
            d.help = l.help;
        return true;
    }
    return false;
}

bool Diagnoser::applyProviderCode(const CheckedText &text, Diagnosis &d) const
{
    for (const ProviderCodes &p : m_providerCodes) {
        const QRegularExpressionMatch m = text.match(p.match);
        if (!m.hasMatch())
            continue;
        d.source = p.source;
        if (d.help.isEmpty())
            d.help = p.help;
        const auto it = p.codes.constFind(m.captured(1).toUpper());
        if (it == p.codes.cend())
            return false;
        d.summary = it->summary;
        d.action = it->action;
        return true;
    }
    return false;
}

QString Diagnoser::refineReason(const QString &reason, const QString &text, int code, const QString &status) const
{
    return refined(reason, wordingFor(CheckedText(text), code, status));
}

QString Diagnoser::refined(const QString &reason, const Wording *w)
{
    if (w && !w->reason.isEmpty() && (w->overridesReason || isVague(reason)))
        return w->reason;
    return reason;
}

Diagnosis Diagnoser::refineAndDescribe(QString &reason, const QString &text, int code, const QString &status) const
{
    const CheckedText words(text);
    const Wording *w = wordingFor(words, code, status); // one lookup for both
    reason = refined(reason, w);
    if (text.isEmpty() || reason == QLatin1String("delivered"))
        return Diagnosis();
    return describe(words, reason, w);
}

Diagnosis Diagnoser::describe(const QString &text, int code, const QString &status, const QString &reason) const
{
    const CheckedText words(text);
    return describe(words, reason, wordingFor(words, code, status));
}

Diagnosis Diagnoser::describe(const CheckedText &text, const QString &reason, const Wording *w) const
{
    Diagnosis d;
    d.reason = reason;
    d.source = sourceOf(text);
    d.help = urlIn(text);
    if (w)
        d.kind = w->kind;
    if (!applyList(text, d) && !applyProviderCode(text, d)) {
        const Advice advice = w ? w->advice : m_reasons.value(reason);
        d.summary = advice.summary;
        d.action = advice.action;
    }
    if (d.help.isEmpty())
        for (const Source &s : m_sources)
            if (s.name == d.source)
                d.help = s.help;
    return d;
}

bool Diagnoser::saysMoreThanTheCodes(const Diagnosis &d, int code, const QString &status) const
{
    if (d.isEmpty())
        return false;
    if (!d.kind.isEmpty() || !d.list.isEmpty())
        return true;
    QString byCodes = ReasonClassifier::instance().classify(QString(), QString(), status, code, QString());
    return !d.reason.isEmpty() && d.reason != byCodes;
}

Diagnosis Diagnoser::diagnose(const QString &text, int code, const QString &status) const
{
    if (isSuccess(code, status) || text.trimmed().isEmpty())
        return Diagnosis();
    const CheckedText words(text);
    const Wording *w = wordingFor(words, code, status); // read once, for the reason and the advice
    QString reason = refined(ReasonClassifier::instance().classify(text, QString(), status, code, QString()), w);
    if (isVague(reason))
        reason.clear(); // the bounce vocabulary's "could not tell": nothing to say about one reply
    return describe(words, reason, w);
}

} // namespace smtp
