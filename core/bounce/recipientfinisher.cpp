#include "recipientfinisher.h"

#include "freetextrules.h"
#include "notice.h"
#include "knowledge/diagnoser.h"
#include "knowledge/explainer.h"
#include "knowledge/reasonclassifier.h"
#include "protocol/enhancedstatus.h"
#include "protocol/reply.h"

namespace smtp {

namespace {

// What the codes mean, from the same engine as `smtpwb explain`.
void explainCodes(BounceRecipient &r)
{
    // One per thread, not per message: its caches are what make explaining cheap.
    thread_local Explainer explainer;
    Explanation e;
    const auto status = EnhancedStatus::parse(r.status);
    if (r.replyCode) {
        // The codes only: the words get their diagnosis once, from describe() with the
        // reason found here (a reply with its lines would be diagnosed again, and unused).
        Reply reply;
        reply.code = r.replyCode;
        reply.enhanced = status;
        e = explainer.explain(reply, QStringLiteral("RCPT"));
    } else if (status) {
        e = explainer.explainEnhanced(*status);
    } else {
        return;
    }
    r.summary = e.summary;
    r.nextStep = e.action;
}

// What the words say, from the same engine as `smtpwb explain`, for the reason found here.
void applyDiagnosis(BounceRecipient &r, const Diagnosis &d)
{
    r.source = d.source;
    r.list = d.list;
    r.help = d.help;
    if (!d.summary.isEmpty()) {
        r.summary = d.summary;
        r.nextStep = d.action;
    }
}

QString reasonOf(const BounceRecipient &r, const QString &context)
{
    const ReasonClassifier &classifier = ReasonClassifier::instance();
    // The enhanced code of a generic DSN status ("5.0.0") says less than the server's own.
    QString status = r.status;
    const FoundCodes own = FreeTextRules::findCodes(r.diagnostic);
    if ((status.endsWith(QLatin1String(".0.0")) || status.isEmpty()) && !own.status.isEmpty())
        status = own.status;
    QString reason = classifier.classify(r.diagnostic, context, status, r.replyCode, r.action);
    if (reason == QLatin1String("undefined") || reason == QLatin1String("onhold")) {
        const QString known = classifier.reasonForDomain(r.recipient);
        if (!known.isEmpty())
            reason = known;
    }
    return reason;
}

} // namespace

void finishRecipient(BounceRecipient &r, const QString &context)
{
    const ReasonClassifier &classifier = ReasonClassifier::instance();
    if (r.reason.isEmpty())
        r.reason = reasonOf(r, context);
    if (r.action.isEmpty()) {
        const int k = klassOf(r);
        r.action = k == 4 ? QStringLiteral("delayed") : k == 2 ? QStringLiteral("delivered") : QStringLiteral("failed");
    }
    const Diagnosis words = Diagnoser::instance().refineAndDescribe(r.reason, r.diagnostic, r.replyCode, r.status);
    r.hard = classifier.isHard(r.reason, klassOf(r) ? klassOf(r) : 5);
    explainCodes(r);
    if (!r.diagnostic.isEmpty() && r.reason != QLatin1String("delivered"))
        applyDiagnosis(r, words); // over the codes' summary, where the words say more
    if (r.action == QLatin1String("delayed") && (r.reason == QLatin1String("expired") || r.summary.isEmpty())) {
        // Late, not given up: the words of "expired" would contradict the action.
        const auto advice = Diagnoser::instance().adviceFor(QStringLiteral("delayed"));
        r.summary = advice.first;
        r.nextStep = advice.second;
    }
    // A failure stated in words only: its class and the reason's code, marked inferred.
    if (r.status.isEmpty() && r.reason != QLatin1String("delivered") && r.reason != QLatin1String("vacation")) {
        r.status = classifier.inferredStatus(r.reason, klassOf(r));
        r.statusInferred = !r.status.isEmpty();
    }
}

} // namespace smtp
