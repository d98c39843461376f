// Server bytes -> replies. Properties: no crash, no unbounded memory, and the same replies
// whether the bytes arrive whole or split at any point (a server chooses the split).

#include "protocol/replyparser.h"
#include "protocol/untrustedtext.h"

#include <cstdlib>

using namespace smtp;

namespace {

struct Outcome
{
    QList<Reply> replies;
    std::optional<Reply> last;
    bool failed = false;
};

Outcome parseIn(const QByteArray &bytes, qsizetype split, ReplyParser::Limits limits)
{
    ReplyParser parser(limits);
    parser.feed(QByteArrayView(bytes).first(split));
    Outcome outcome;
    outcome.replies = parser.takeReplies();
    parser.feed(QByteArrayView(bytes).sliced(split));
    outcome.replies += parser.takeReplies();
    outcome.last = parser.finish();
    outcome.failed = parser.hasError();
    return outcome;
}

void checkSplitDoesNotMatter(const QByteArray &bytes, ReplyParser::Limits limits)
{
    const Outcome whole = parseIn(bytes, bytes.size(), limits);
    const qsizetype split = bytes.isEmpty() ? 0 : (static_cast<unsigned char>(bytes.front()) * 7919) % (bytes.size() + 1);
    const Outcome parts = parseIn(bytes, split, limits);
    if (whole.failed != parts.failed || whole.replies != parts.replies || whole.last != parts.last)
        std::abort();
    // Whatever a reply holds, what we show of it carries no control or bidi character.
    for (const Reply &reply : whole.replies) {
        const QString shown = visibleText(reply.toDisplayString(), LineBreaks::Keep);
        for (QChar c : shown)
            if ((c.unicode() < 0x20 && c != u'\n' && c != u'\t') || c.unicode() == 0x202E || c.unicode() == 0x7F)
                std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    checkSplitDoesNotMatter(bytes, ReplyParser::Limits());
    ReplyParser::Limits tight;
    tight.maxLineBytes = 64;
    tight.maxReplyBytes = 512;
    tight.maxLines = 8;
    checkSplitDoesNotMatter(bytes, tight);
    return 0;
}
