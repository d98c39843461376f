#include "mimereader.h"

// GLib names a struct member "signals", which Qt defines as a keyword.
#pragma push_macro("signals")
#undef signals
#include <gmime/gmime.h>
#pragma pop_macro("signals")

#include <QRegularExpression>

#include <mutex>

namespace smtp {

namespace {

void initGMime()
{
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

QString fromUtf8(const char *text)
{
    return text ? QString::fromUtf8(text).trimmed() : QString();
}

struct WarningSink
{
    QStringList notes;
};

void onWarning(gint64 offset, GMimeParserWarning code, const gchar *item, gpointer data)
{
    auto *sink = static_cast<WarningSink *>(data);
    QString what;
    switch (code) {
    case GMIME_WARN_MALFORMED_MULTIPART:
        what = QStringLiteral("a multipart is malformed (no boundary, or it never ends)");
        break;
    case GMIME_WARN_INVALID_CONTENT_TYPE:
        what = QStringLiteral("a Content-Type header cannot be read");
        break;
    case GMIME_CRIT_INVALID_HEADER_NAME:
        what = QStringLiteral("a header line is invalid");
        break;
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
        what = QStringLiteral("a multipart has no boundary parameter");
        break;
    case GMIME_CRIT_NESTING_OVERFLOW:
        what = QStringLiteral("MIME parts are nested too deep");
        break;
    case GMIME_WARN_MALFORMED_MESSAGE:
        what = QStringLiteral("the message is malformed");
        break;
    case GMIME_WARN_TRUNCATED_MESSAGE:
        what = QStringLiteral("the message ends before its last MIME boundary: it may be cut off");
        break;
    case GMIME_WARN_PART_WITHOUT_CONTENT:
        what = QStringLiteral("a MIME part has no content");
        break;
    default:
        return; // duplicated headers and the like say nothing about a bounce
    }
    Q_UNUSED(item)
    // GMime gives -1 where it knows no position (the end of the input).
    const QString note = offset < 0 ? what : what + QStringLiteral(" (near byte %1)").arg(offset);
    if (sink->notes.size() < 20 && !sink->notes.contains(note))
        sink->notes.append(note);
}

// Whether a message's header block (up to its first empty line) declares a Content-Type.
bool declaresContentType(const QByteArray &bytes)
{
    const qsizetype end = bytes.indexOf("\n\n");
    const QByteArray head = bytes.left(end < 0 ? bytes.size() : end).toLower();
    return head.startsWith("content-type:") || head.contains("\ncontent-type:");
}

// A message as GMime reads it, from the caller's bytes where they are (a 32 MB bounce is
// not held twice): GMime only reads them, and the parts it leaves unread refer to them, so
// they are let go with the message. A MIME message is read as GMime's part, its headers the
// message's: GMime then does not parse every address header of it (a fifth of its work).
// One without a Content-Type is read as a message: only there does GMime end the headers
// at the first line that is not one when no empty line does. `headers` holds the message's
// headers, `body` its content; both null when GMime cannot read the input.
class ParsedMessage
{
public:
    ParsedMessage(const QByteArray &bytes, WarningSink &sink)
        : m_bytes(g_byte_array_new_take(reinterpret_cast<guint8 *>(const_cast<char *>(bytes.constData())),
                                        gsize(bytes.size())))
    {
        GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(m_bytes);
        g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
        GMimeParser *parser = g_mime_parser_new_with_stream(stream);
        g_object_unref(stream);
        GMimeParserOptions *options = g_mime_parser_options_new();
        g_mime_parser_options_set_warning_callback(options, onWarning, &sink);
        if (declaresContentType(bytes)) {
            m_root = g_mime_parser_construct_part(parser, options);
            headers = body = m_root;
        } else if (GMimeMessage *message = g_mime_parser_construct_message(parser, options)) {
            m_root = headers = GMIME_OBJECT(message);
            body = g_mime_message_get_mime_part(message);
        }
        g_mime_parser_options_free(options);
        g_object_unref(parser);
    }
    ~ParsedMessage()
    {
        if (m_root)
            g_object_unref(m_root);
        g_byte_array_free(m_bytes, FALSE); // the wrapper only: the bytes are the caller's
    }
    ParsedMessage(const ParsedMessage &) = delete;
    ParsedMessage &operator=(const ParsedMessage &) = delete;

    GMimeObject *headers = nullptr;
    GMimeObject *body = nullptr;

private:
    GMimeObject *m_root = nullptr;
    GByteArray *m_bytes;
};

// A header value as text: RFC 2047 words decoded, raw 8-bit text converted. Plain ASCII,
// most values, is taken as it is (decoding it gives the same text, at a cost).
QString decodedHeader(const char *raw)
{
    bool plain = true;
    for (const char *c = raw; *c && plain; ++c)
        plain = uchar(*c) < 0x80 && !(c[0] == '=' && c[1] == '?');
    if (plain)
        return QString::fromLatin1(raw).trimmed();
    char *decoded = g_mime_utils_header_decode_text(nullptr, raw);
    QString value = fromUtf8(decoded);
    g_free(decoded);
    return value;
}

QString headerValue(GMimeObject *object, const char *name)
{
    const char *raw = g_mime_object_get_header(object, name);
    return raw ? decodedHeader(raw).simplified() : QString();
}

QString messageIdOf(GMimeObject *object)
{
    const char *raw = g_mime_object_get_header(object, "Message-ID");
    if (!raw)
        return QString();
    char *id = g_mime_utils_decode_message_id(raw);
    const QString value = fromUtf8(id);
    g_free(id);
    return value;
}

MimeContent::Headers readHeaders(GMimeObject *object)
{
    MimeContent::Headers h;
    GMimeHeaderList *list = g_mime_object_get_header_list(object);
    h.present = list && g_mime_header_list_get_count(list) > 0;
    h.subject = headerValue(object, "Subject");
    h.messageId = messageIdOf(object);
    h.from = headerValue(object, "From");
    h.to = headerValue(object, "To");
    h.date = headerValue(object, "Date");
    h.autoSubmitted = headerValue(object, "Auto-Submitted");
    if (list) {
        const int count = g_mime_header_list_get_count(list);
        for (int i = 0; i < count && i < 200; ++i) {
            GMimeHeader *header = g_mime_header_list_get_header_at(list, i);
            const char *name = g_mime_header_get_name(header);
            if (!name || (qstrnicmp(name, "X-", 2) != 0 && qstricmp(name, "Precedence") != 0
                          && qstricmp(name, "Return-Path") != 0 && qstricmp(name, "Content-Type") != 0))
                continue;
            const char *value = g_mime_header_get_value(header);
            h.other.append(QString::fromUtf8(name) + QStringLiteral(": ") + (value ? decodedHeader(value).simplified() : QString()));
        }
    }
    return h;
}

// The decoded body of a leaf part in UTF-8, whatever its transfer encoding and charset.
QString partText(GMimePart *part)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (!content)
        return {};
    GMimeStream *memory = g_mime_stream_mem_new();
    const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    GMimeStream *target = memory;
    GMimeStream *filtered = nullptr;
    if (charset && g_ascii_strcasecmp(charset, "utf-8") != 0 && g_ascii_strcasecmp(charset, "us-ascii") != 0) {
        GMimeFilter *filter = g_mime_filter_charset_new(charset, "UTF-8");
        if (filter) {
            filtered = g_mime_stream_filter_new(memory);
            g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), filter);
            g_object_unref(filter);
            target = filtered;
        }
    }
    g_mime_data_wrapper_write_to_stream(content, target);
    if (filtered) {
        g_mime_stream_flush(filtered);
        g_object_unref(filtered);
    }
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory));
    QString text = QString::fromUtf8(reinterpret_cast<const char *>(bytes->data), int(bytes->len));
    g_object_unref(memory);
    return text;
}

// The raw bytes of an object (headers and body) as text.
QString objectText(GMimeObject *object)
{
    GMimeStream *memory = g_mime_stream_mem_new();
    g_mime_object_write_to_stream(object, nullptr, memory);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory));
    QString text = QString::fromUtf8(reinterpret_cast<const char *>(bytes->data), int(bytes->len));
    g_object_unref(memory);
    return text;
}

// The text of an HTML part: known tags dropped (an address in angle brackets is kept).
QString htmlToText(const QString &html)
{
    static const QRegularExpression breaks(QStringLiteral("<(br|/p|/div|/tr|/li|/h\\d)\\b[^>]*>"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression tags(QStringLiteral(
        "<(?:style|script)\\b.*?</(?:style|script)>|</?(?:html|head|body|p|div|span|br|table|tr|td|th|tbody|thead|font|b|i|u|a|li|ul|ol|pre|"
        "blockquote|center|h\\d|meta|title|img|strong|em|hr|o:p|![^>]*)\\b[^>]*>"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    QString s = html;
    s.replace(breaks, QStringLiteral("\n"));
    s.replace(tags, QString());
    s.replace(QLatin1String("&lt;"), QLatin1String("<"));
    s.replace(QLatin1String("&gt;"), QLatin1String(">"));
    s.replace(QLatin1String("&quot;"), QLatin1String("\""));
    s.replace(QLatin1String("&nbsp;"), QLatin1String(" "));
    s.replace(QLatin1String("&amp;"), QLatin1String("&"));
    return s;
}

QString headerBlockOf(const QString &text)
{
    int end = text.indexOf(QLatin1String("\n\n"));
    return end < 0 ? text : text.left(end);
}

// An object's header block as written (not its body): the lines a reader quotes.
QString headerText(GMimeObject *object)
{
    GMimeHeaderList *list = g_mime_object_get_header_list(object);
    if (!list || g_mime_header_list_get_count(list) == 0) {
        // A blank line before the headers ends an empty header block: they are in the body.
        return headerBlockOf(objectText(object));
    }
    char *headers = g_mime_object_get_headers(object, nullptr);
    QString text = QString::fromUtf8(headers);
    g_free(headers);
    if (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    return text;
}

// What a message/* or text/* subtype makes of a part: the report of a bounce or of a
// complaint, or something else (the returned message, prose).
enum class ReportPart { None, DeliveryStatus, FeedbackReport };

ReportPart reportPartOf(QLatin1String sub)
{
    if (sub.compare(QLatin1String("delivery-status"), Qt::CaseInsensitive) == 0
        || sub.compare(QLatin1String("global-delivery-status"), Qt::CaseInsensitive) == 0)
        return ReportPart::DeliveryStatus;
    if (sub.compare(QLatin1String("feedback-report"), Qt::CaseInsensitive) == 0)
        return ReportPart::FeedbackReport;
    return ReportPart::None;
}

// Where a report part's text goes.
QStringList &reportsOf(MimeContent &content, ReportPart report)
{
    return report == ReportPart::DeliveryStatus ? content.deliveryStatus : content.feedbackReports;
}

QLatin1String subtypeOf(GMimeObject *object)
{
    GMimeContentType *type = g_mime_object_get_content_type(object);
    const char *sub = type ? g_mime_content_type_get_media_subtype(type) : nullptr;
    return QLatin1String(sub ? sub : "");
}

// The first message/rfc822 part under `object`, depth first.
GMimeMessage *firstAttachedMessage(GMimeObject *object, int depth)
{
    if (!object || depth > 20)
        return nullptr;
    if (GMIME_IS_MULTIPART(object)) {
        GMimeMultipart *multipart = GMIME_MULTIPART(object);
        for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i)
            if (GMimeMessage *found = firstAttachedMessage(g_mime_multipart_get_part(multipart, i), depth + 1))
                return found;
        return nullptr;
    }
    if (!GMIME_IS_MESSAGE_PART(object) || reportPartOf(subtypeOf(object)) != ReportPart::None)
        return nullptr;
    return g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
}

void walk(GMimeObject *object, MimeContent &content, int depth)
{
    if (!object || depth > 20)
        return;
    GMimeContentType *type = g_mime_object_get_content_type(object);
    const QString media = type ? QString::fromLatin1(g_mime_content_type_get_media_type(type)).toLower() : QString();
    const QString sub = QString(subtypeOf(object)).toLower();
    const ReportPart report = reportPartOf(subtypeOf(object));

    if (GMIME_IS_MULTIPART(object)) {
        GMimeMultipart *multipart = GMIME_MULTIPART(object);
        const int count = g_mime_multipart_get_count(multipart);
        for (int i = 0; i < count; ++i)
            walk(g_mime_multipart_get_part(multipart, i), content, depth + 1);
        return;
    }
    if (GMIME_IS_MESSAGE_PART(object)) {
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
        if (report != ReportPart::None) {
            // Older GMime versions treat it as an encapsulated message: its fields are headers.
            if (inner)
                reportsOf(content, report).append(objectText(GMIME_OBJECT(inner)));
            return;
        }
        if (inner && !content.original.present) {
            content.original = readHeaders(GMIME_OBJECT(inner));
            content.originalHeaderText = headerText(GMIME_OBJECT(inner));
            content.hasAttachedMessage = true;
        }
        return;
    }
    if (GMIME_IS_PART(object)) {
        GMimePart *part = GMIME_PART(object);
        if (media == QLatin1String("message") || media == QLatin1String("text")) {
            if (report != ReportPart::None) {
                reportsOf(content, report).append(partText(part));
            } else if (sub == QLatin1String("rfc822-headers") || sub == QLatin1String("global-headers")
                       || sub == QLatin1String("rfc822")) {
                if (content.originalHeaderText.isEmpty())
                    content.originalHeaderText = headerBlockOf(partText(part));
            } else if (media == QLatin1String("text") && sub != QLatin1String("html")) {
                content.texts.append(partText(part));
            } else if (sub == QLatin1String("html") && content.texts.isEmpty()) {
                content.texts.append(htmlToText(partText(part)));
            }
        } else if (media.isEmpty() || (media == QLatin1String("application") && sub == QLatin1String("octet-stream")
                                      && content.texts.isEmpty())) {
            content.texts.append(partText(part));
        }
    }
}

} // namespace

QString MimeReader::decodeHeader(const QString &value)
{
    initGMime();
    char *decoded = g_mime_utils_header_decode_text(nullptr, value.toUtf8().constData());
    const QString out = fromUtf8(decoded);
    g_free(decoded);
    return out;
}

MimeContent MimeReader::read(const QByteArray &message)
{
    initGMime();
    MimeContent content;
    WarningSink sink;

    const ParsedMessage reading(message, sink);
    if (!reading.headers) {
        content.notes.append(QStringLiteral("the input is not a MIME message; it was read as plain text"));
        content.texts.append(QString::fromUtf8(message));
        return content;
    }
    content.top = readHeaders(reading.headers);
    if (!reading.body) {
        content.notes.append(QStringLiteral("the message has no body"));
    } else {
        if (GMimeContentType *type = g_mime_object_get_content_type(reading.body)) {
            char *mimeType = g_mime_content_type_get_mime_type(type);
            content.topType = QString::fromLatin1(mimeType).toLower();
            g_free(mimeType);
            content.reportType = QString::fromLatin1(g_mime_content_type_get_parameter(type, "report-type")).toLower();
        }
        walk(reading.body, content, 0);
    }
    content.notes += sink.notes;
    return content;
}

QByteArray MimeReader::attachedMessage(const QByteArray &message)
{
    initGMime();
    WarningSink sink;
    const ParsedMessage reading(message, sink);
    if (!reading.body)
        return QByteArray();
    QByteArray raw;
    if (GMimeMessage *inner = firstAttachedMessage(reading.body, 0)) {
        const QString text = objectText(GMIME_OBJECT(inner));
        if (text.size() < 4 * 1024 * 1024)
            raw = text.toUtf8();
    }
    return raw;
}

namespace {

QByteArray partBytes(GMimePart *part)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (!content)
        return {};
    GMimeStream *memory = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(content, memory);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory));
    QByteArray out(reinterpret_cast<const char *>(bytes->data), int(bytes->len));
    g_object_unref(memory);
    return out;
}

void walkTree(GMimeObject *object, MimeTree &tree, int depth)
{
    if (depth > 32 || tree.parts.size() >= 500)
        return;
    MimeTree::Part part;
    part.depth = depth;
    if (GMimeContentType *type = g_mime_object_get_content_type(object)) {
        char *mimeType = g_mime_content_type_get_mime_type(type);
        part.type = QString::fromLatin1(mimeType).toLower();
        g_free(mimeType);
        part.charset = fromUtf8(g_mime_content_type_get_parameter(type, "charset"));
    }
    if (GMIME_IS_MULTIPART(object)) {
        tree.parts.append(part);
        GMimeMultipart *multipart = GMIME_MULTIPART(object);
        for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i)
            walkTree(g_mime_multipart_get_part(multipart, i), tree, depth + 1);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
        tree.parts.append(part);
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
        if (inner && g_mime_message_get_mime_part(inner))
            walkTree(g_mime_message_get_mime_part(inner), tree, depth + 1);
    } else if (GMIME_IS_PART(object)) {
        GMimePart *leaf = GMIME_PART(object);
        const GMimeContentEncoding encoding = g_mime_part_get_content_encoding(leaf);
        part.encoding = encoding == GMIME_CONTENT_ENCODING_DEFAULT ? QString()
                                                                   : QString::fromLatin1(g_mime_content_encoding_to_string(encoding));
        part.filename = fromUtf8(g_mime_part_get_filename(leaf));
        part.size = partBytes(leaf).size();
        if (part.type.startsWith(QLatin1String("text/")))
            part.text = partText(leaf).left(16 * 1024);
        tree.parts.append(part);
    }
}

} // namespace

MimeTree MimeReader::tree(const QByteArray &message)
{
    initGMime();
    MimeTree tree;
    WarningSink sink;
    const ParsedMessage reading(message, sink);
    if (!reading.headers)
        return tree;
    tree.isMime = true;
    GMimeHeaderList *headers = g_mime_object_get_header_list(reading.headers);
    for (int i = 0; i < g_mime_header_list_get_count(headers); ++i) {
        GMimeHeader *h = g_mime_header_list_get_header_at(headers, i);
        static const QRegularExpression fold(QStringLiteral("\\r?\\n[ \\t]+"));
        const QString unfolded = fromUtf8(g_mime_header_get_raw_value(h)).replace(fold, QStringLiteral(" "));
        tree.headers.append({fromUtf8(g_mime_header_get_name(h)), decodeHeader(unfolded)});
    }
    if (reading.body)
        walkTree(reading.body, tree, 0);
    tree.notes = sink.notes;
    return tree;
}

} // namespace smtp
