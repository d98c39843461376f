#pragma once
// The one step that completes every recipient a reader found: the reason from the words
// (ReasonClassifier), the action and class, hard or soft, what the codes and the words
// mean (Explainer, Diagnoser), and a status inferred where the bounce gives none.

#include "bouncereport.h"

namespace smtp {

// `context` is the text around the recipient's words, read when the words say nothing.
// Thread-safe.
void finishRecipient(BounceRecipient &r, const QString &context);

} // namespace smtp
