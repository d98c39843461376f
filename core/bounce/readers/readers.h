#pragma once
// The readers of a bounce, one per kind of report, tried in turn by BounceParser (the
// order is theirs: a feedback report, RFC 3464 fields, an auto-reply, a provider's JSON,
// the prose of an MTA). Each looks at the notice and, when it is its kind, returns what it
// found; recipients it leaves unfinished are completed by finishRecipient().

#include "bounce/bouncereport.h"
#include "bounce/notice.h"

#include <optional>

namespace smtp {

struct Found
{
    struct Recipient
    {
        BounceRecipient recipient;
        QString context;          // the text around the recipient's words, for the reason rules
    };
    BounceReport::Kind kind = BounceReport::Kind::NotBounce;
    QList<Recipient> recipients;
    bool finished = false;        // feedback and auto-replies: nothing to classify
    QStringList notes;
    // What the reader learned of the original message; empty: nothing new.
    QString originalSubject;
    QString originalMessageId;
    QString originalSender;
};

// ARF (RFC 5965) and the providers' complaints that look like it.
std::optional<Found> readFeedbackReport(const Notice &notice);
// RFC 3464 delivery-status fields, completed by what the prose says of each recipient.
std::optional<Found> readDeliveryStatus(const Notice &notice);
// An automatic reply (RFC 3834): an out-of-office note, not a failure.
std::optional<Found> readAutoReply(const Notice &notice);
// Amazon SES / SNS notifications, which carry their findings as JSON.
std::optional<Found> readProviderJson(const Notice &notice);
// The prose bounces of the MTAs (FreeTextRules), and pasted fragments.
std::optional<Found> readFreeText(const Notice &notice);
// Whether a notice reads as a bounce at all: a fragment, a sender or subject of the mail
// system, a null Return-Path, or words of a failed delivery.
bool soundsLikeBounce(const Notice &notice);

} // namespace smtp
