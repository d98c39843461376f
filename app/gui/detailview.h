#pragma once
// The detail pane's text for one transcript event: a reply's digits, enhanced code,
// meaning, retry, advice, references, violations and raw bytes; a command's purpose,
// parameters and the replies it can get.

#include "knowledge/explainer.h"
#include "session/transcript.h"

namespace smtp::gui {

QString detailHtml(const TranscriptEvent &event, Explainer &explainer);
// For a reply alone (the code lookup), with no command context unless given.
QString replyHtml(const Reply &reply, const Explanation &e);
QString commandHtml(const QString &line);
// The hex and text of raw bytes, 8 per line.
QString hexDump(const QByteArray &bytes);

} // namespace smtp::gui
