#include "reasonclassifier.h"

#include "checkedtext.h"
#include "knowledge.h"

#include <QJsonArray>
#include <QJsonObject>

namespace smtp {

const ReasonClassifier &ReasonClassifier::instance()
{
    static const ReasonClassifier classifier; // thread-safe initialisation
    return classifier;
}

ReasonClassifier::ReasonClassifier()
{
    const QJsonObject root = readKnowledgeFile(QStringLiteral("bounce-reasons.json"), m_errors);
    if (root.isEmpty())
        return;
    const QJsonObject status = root.value(QLatin1String("status")).toObject();
    for (auto it = status.begin(); it != status.end(); ++it)
        m_status.insert(it.key(), it.value().toString());
    const QJsonObject weak = root.value(QLatin1String("weakStatus")).toObject();
    for (auto it = weak.begin(); it != weak.end(); ++it)
        m_weakStatus.insert(it.key(), it.value().toString());
    for (const QJsonValue &v : root.value(QLatin1String("providerCodes")).toArray()) {
        const QJsonObject o = v.toObject();
        ProviderCodes provider;
        provider.pattern = QRegularExpression(o.value(QLatin1String("pattern")).toString(),
                                              QRegularExpression::CaseInsensitiveOption);
        const QJsonObject codes = o.value(QLatin1String("codes")).toObject();
        for (auto it = codes.begin(); it != codes.end(); ++it)
            provider.codes.insert(it.key(), it.value().toString());
        if (!provider.pattern.isValid() || provider.pattern.captureCount() < 1) {
            m_errors.append(QStringLiteral("providerCodes %1: needs a valid pattern with one capture")
                                .arg(o.value(QLatin1String("provider")).toString()));
            continue;
        }
        m_providerCodes.append(provider);
    }
    const QJsonObject over = root.value(QLatin1String("statusOverText")).toObject();
    for (auto it = over.begin(); it != over.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        StatusOverText entry;
        for (const QJsonValue &v : o.value(QLatin1String("over")).toArray())
            entry.reasons.append(v.toString());
        entry.unless = QRegularExpression(o.value(QLatin1String("unless")).toString(),
                                          QRegularExpression::CaseInsensitiveOption);
        if (!entry.unless.isValid())
            m_errors.append(QStringLiteral("statusOverText %1: %2").arg(it.key(), entry.unless.errorString()));
        m_statusOverText.insert(it.key(), entry);
    }
    for (const QJsonValue &v : root.value(QLatin1String("hard")).toArray())
        m_hard.append(v.toString());
    for (const QJsonValue &v : root.value(QLatin1String("notBounces")).toArray()) {
        const QJsonObject o = v.toObject();
        const auto pattern = [&](const char *key) {
            const QString text = o.value(QLatin1String(key)).toString();
            return text.isEmpty() ? RulePattern() : RulePattern(text, {}); // checked by loadErrors()
        };
        m_notBounces.append({o.value(QLatin1String("note")).toString(), pattern("from"), pattern("subject"), pattern("body")});
    }
    const QString unless = root.value(QLatin1String("notBounceUnless")).toObject().value(QLatin1String("subject")).toString();
    m_notBounceUnless = unless.isEmpty() ? RulePattern() : RulePattern(unless, {}); // checked by loadErrors()
    const QJsonObject delay = root.value(QLatin1String("delayNotices")).toObject();
    const auto delayPattern = [&](const char *key) {
        const QString text = delay.value(QLatin1String(key)).toString();
        if (text.isEmpty())
            m_errors.append(QStringLiteral("delayNotices %1: missing").arg(QLatin1String(key)));
        return RulePattern(text, {}); // checked by loadErrors()
    };
    m_delay = {delayPattern("subject"), delayPattern("body"), delayPattern("unless")};
    const QJsonObject inferred = root.value(QLatin1String("inferredStatus")).toObject();
    for (auto it = inferred.begin(); it != inferred.end(); ++it)
        if (it.key() != QLatin1String("about"))
            m_inferredStatus.insert(it.key(), it.value().toString());
    m_rules = readRules(root.value(QLatin1String("rules")).toArray());
    m_weakRules = readRules(root.value(QLatin1String("weakRules")).toArray());
    for (const QJsonValue &v : root.value(QLatin1String("stageRules")).toArray()) {
        const QJsonObject o = v.toObject();
        StageRule rule{o.value(QLatin1String("reason")).toString(), {},
                       QRegularExpression(o.value(QLatin1String("stage")).toString(),
                                          QRegularExpression::CaseInsensitiveOption)};
        for (const QJsonValue &f : o.value(QLatin1String("from")).toArray())
            rule.from.append(f.toString());
        if (!rule.pattern.isValid() || rule.pattern.pattern().isEmpty()) {
            m_errors.append(QStringLiteral("bounce stage rule %1: %2").arg(rule.reason, rule.pattern.errorString()));
            continue;
        }
        m_stageRules.append(rule);
    }
    const QJsonObject domains = root.value(QLatin1String("domains")).toObject();
    for (auto it = domains.begin(); it != domains.end(); ++it)
        m_domains.insert(it.key(), it.value().toString());
    m_policyStatus = QRegularExpression(root.value(QLatin1String("policyStatus")).toString());
    m_recipientStage = QRegularExpression(root.value(QLatin1String("recipientStage")).toString(),
                                          QRegularExpression::CaseInsensitiveOption);
    m_afterData = QRegularExpression(root.value(QLatin1String("afterData")).toString(),
                                     QRegularExpression::CaseInsensitiveOption | QRegularExpression::MultilineOption);
}

QList<ReasonClassifier::Rule> ReasonClassifier::readRules(const QJsonArray &array)
{
    QList<Rule> rules;
    for (const QJsonValue &value : array) {
        const QJsonObject o = value.toObject();
        Rule rule{o.value(QLatin1String("reason")).toString(), {}};
        // One pattern each, not one alternation: each is ruled out by its own literals,
        // and only those a text holds are scanned.
        // Compiled at first use, not here: most are never needed for a given bounce (the
        // literals rule them out), and a one-bounce run starts faster. loadErrors() checks them.
        for (const QJsonValue &p : o.value(QLatin1String("patterns")).toArray())
            rule.patterns.append(RulePattern(p.toString(), QRegularExpression::MultilineOption));
        if (!rule.patterns.isEmpty())
            rules.append(rule);
    }
    return rules;
}

namespace {

// Typographic apostrophes ("doesn\u2019t", from word processors and webmail) read as the
// ASCII one the rules write; the rules write "n'?t" for the forms that drop it.
CheckedText plainApostrophes(const CheckedText &text)
{
    static const QRegularExpression curly(QStringLiteral("[\\x{2018}\\x{2019}\\x{00B4}`]"));
    if (!text.matches(curly))
        return text;
    QString plain = text.text();
    plain.replace(curly, QStringLiteral("'"));
    return CheckedText(plain);
}

} // namespace

// `plain` is the text with plainApostrophes() applied.
QString ReasonClassifier::firstMatch(const QList<Rule> &rules, const CheckedText &plain) const
{
    if (plain.isEmpty())
        return {};
    for (const Rule &rule : rules)
        for (const RulePattern &pattern : rule.patterns)
            if (plain.matches(pattern))
                return rule.reason;
    return {};
}

QString ReasonClassifier::reasonFromText(const QString &text) const
{
    return firstMatch(m_rules, plainApostrophes(CheckedText(text)));
}

// The text around the words tells the stage only where it tells of one exchange: a
// transcript of several (one recipient refused at MAIL, another at RCPT) says nothing. The
// same exchange told twice (a bounce in two languages) is still one.
static bool tellsOfOneExchange(const CheckedText &context)
{
    static const RulePattern step(QStringLiteral("^.*(^>>> |SMTP error from|in reply to ).*$"),
                                  QRegularExpression::MultilineOption);
    if (!context.matches(step))
        return true; // no exchange told at all (most texts: its literals rule it out at once)
    QString first;
    for (auto it = context.globalMatch(step.re); it.hasNext();) {
        const QString line = it.next().captured(0).simplified();
        if (first.isEmpty())
            first = line;
        else if (line != first)
            return false;
    }
    return true;
}

QString ReasonClassifier::byStage(const QString &reason, const CheckedText &diagnostic, const CheckedText &context) const
{
    int oneExchange = -1; // read only when a rule needs it: it scans the whole context
    for (const StageRule &rule : m_stageRules) {
        if (!rule.from.contains(reason))
            continue;
        if (diagnostic.matches(rule.pattern))
            return rule.reason;
        if (oneExchange < 0)
            oneExchange = tellsOfOneExchange(context);
        if (oneExchange && context.matches(rule.pattern))
            return rule.reason;
    }
    return reason;
}

QString ReasonClassifier::classify(const QString &diagnostic, const QString &context, const QString &status,
                                   int replyCode, const QString &action) const
{
    // Each text is checked once here for the few dozen patterns that read it.
    const CheckedText words(diagnostic);
    const CheckedText around(context);
    return byStage(classifyWords(words, around, status, replyCode, action), words, around);
}

QString ReasonClassifier::classifyWords(const CheckedText &diagnostic, const CheckedText &context, const QString &status,
                                        int replyCode, const QString &action) const
{
    const QString act = action.toLower();
    if (act == QLatin1String("delivered") || act == QLatin1String("relayed") || act == QLatin1String("expanded"))
        return QStringLiteral("delivered");
    if (status.startsWith(QLatin1Char('2')) || (replyCode >= 200 && replyCode < 300))
        return QStringLiteral("delivered");

    // A provider's own documented error code names the cause most precisely.
    for (const ProviderCodes &provider : m_providerCodes) {
        const QRegularExpressionMatch m = diagnostic.match(provider.pattern);
        if (m.hasMatch() && provider.codes.contains(m.captured(1)))
            return provider.codes.value(m.captured(1));
    }
    // The server's words first: status codes are often generic or reused for other causes.
    const CheckedText plainWords = plainApostrophes(diagnostic);
    QString fromText = firstMatch(m_rules, plainWords);
    const QString strong = m_status.value(status);
    if (fromText == QLatin1String("userunknown") && !strong.isEmpty())
        fromText = strong; // a precise code beats a vague "user unknown" sentence
    if (!strong.isEmpty() && m_statusOverText.contains(status)) {
        const StatusOverText &over = m_statusOverText[status];
        if (over.reasons.contains(fromText) && !(over.unless.isValid() && !over.unless.pattern().isEmpty()
                                                  && diagnostic.matches(over.unless)))
            fromText = strong; // "5.2.3 message size exceeds ...": the code names the limit
    }
    if (fromText.isEmpty())
        fromText = strong;
    if (fromText.isEmpty()) {
        const CheckedText plainContext = plainApostrophes(context);
        fromText = firstMatch(m_rules, plainContext);
        if (fromText.isEmpty())
            fromText = firstMatch(m_weakRules, plainWords);
        if (fromText.isEmpty())
            fromText = firstMatch(m_weakRules, plainContext);
    }
    if (fromText == QLatin1String("userunknown") && strong.isEmpty() && m_afterData.isValid()
        && (diagnostic.matches(m_afterData) || (tellsOfOneExchange(context) && context.matches(m_afterData))))
        return QStringLiteral("filtered"); // refused for its content, not for the address
    // "550 5.7.1 User unknown" away from RCPT: a policy code over address words is a filter
    // refusing the message (Sisimai's Filtered), not a missing mailbox.
    if (fromText == QLatin1String("userunknown") && m_policyStatus.isValid() && m_policyStatus.match(status).hasMatch()
        && m_recipientStage.isValid() && !diagnostic.matches(m_recipientStage) && !context.matches(m_recipientStage))
        return QStringLiteral("filtered");
    if (!fromText.isEmpty())
        return fromText;
    const QString weakReason = m_weakStatus.value(status);
    if (!weakReason.isEmpty())
        return weakReason;
    if (act == QLatin1String("delayed"))
        return QStringLiteral("expired");
    if (!status.isEmpty() || replyCode != 0)
        return QStringLiteral("onhold");
    return QStringLiteral("undefined");
}

QStringList ReasonClassifier::loadErrors() const
{
    QStringList errors = m_errors;
    for (const NotBounce &n : m_notBounces)
        for (const RulePattern *p : {&n.from, &n.subject, &n.body})
            if (!p->re.pattern().isEmpty() && !p->re.isValid())
                errors.append(QStringLiteral("notBounces: %1: %2").arg(p->re.pattern(), p->re.errorString()));
    if (!m_notBounceUnless.re.isValid())
        errors.append(QStringLiteral("notBounceUnless: %1").arg(m_notBounceUnless.re.errorString()));
    for (const RulePattern *p : {&m_delay.subject, &m_delay.body, &m_delay.unless})
        if (!p->re.isValid())
            errors.append(QStringLiteral("delayNotices: %1: %2").arg(p->re.pattern(), p->re.errorString()));
    for (const QList<Rule> *rules : {&m_rules, &m_weakRules})
        for (const Rule &rule : *rules)
            for (const RulePattern &p : rule.patterns)
                if (!p.re.isValid())
                    errors.append(QStringLiteral("bounce reason rule %1: %2: %3").arg(rule.reason, p.re.pattern(), p.re.errorString()));
    return errors;
}

QString ReasonClassifier::reasonForDomain(const QString &recipient) const
{
    const QString domain = recipient.section(QLatin1Char('@'), -1).toLower();
    return m_domains.value(domain);
}

QString ReasonClassifier::notBounceNote(const QString &from, const QString &subject, const QString &body,
                                        bool saysItFailed) const
{
    const CheckedText sender(from);
    const CheckedText title(subject);
    const CheckedText words(body); // folded once for both kinds' literals
    const auto matches = [](const RulePattern &rule, const CheckedText &text) {
        return !rule.re.pattern().isEmpty() && text.matches(rule);
    };
    for (const NotBounce &n : m_notBounces)
        if (matches(n.from, sender))
            return n.note; // a challenge service's own sender tells whatever the subject says
    if (saysItFailed && matches(m_notBounceUnless, title))
        return QString(); // "Non-Delivery: Your message awaits moderator approval"
    for (const NotBounce &n : m_notBounces)
        if (matches(n.subject, title) || matches(n.body, words))
            return n.note;
    return QString();
}

bool ReasonClassifier::soundsDelayed(const QString &subject, const QString &body) const
{
    const CheckedText words(body);
    return (CheckedText(subject).matches(m_delay.subject) || words.matches(m_delay.body)) && !words.matches(m_delay.unless);
}

QString ReasonClassifier::inferredStatus(const QString &reason, int klass) const
{
    if (klass != 4 && klass != 5)
        return QString();
    QString status = m_inferredStatus.value(reason, QStringLiteral("X.0.0"));
    status[0] = QLatin1Char(char('0' + klass));
    return status;
}

bool ReasonClassifier::isHard(const QString &reason, int klass) const
{
    return klass == 5 && m_hard.contains(reason);
}

} // namespace smtp
