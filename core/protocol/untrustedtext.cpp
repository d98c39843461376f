#include "untrustedtext.h"

#include <algorithm>

namespace smtp {

namespace {
enum class Hidden { None, Control, Nul, Bidi, Invisible };

struct NamedChar
{
    char16_t code;
    const char *name;
};

// Short names a reader can look up; the rest are shown by code point.
const char *const kC0Names[] = {"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL",
                                "BS",  "HT",  "LF",  "VT",  "FF",  "CR",  "SO",  "SI",
                                "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
                                "CAN", "EM",  "SUB", "ESC", "FS",  "GS",  "RS",  "US"};
const NamedChar kNamed[] = {
    {0x7f, "DEL"},   {0x9b, "CSI"},   {0x9d, "OSC"},   {0x00ad, "SHY"}, {0x061c, "ALM"},
    {0x200b, "ZWSP"}, {0x200c, "ZWNJ"}, {0x200d, "ZWJ"}, {0x200e, "LRM"}, {0x200f, "RLM"},
    {0x2028, "LSEP"}, {0x2029, "PSEP"}, {0x202a, "LRE"}, {0x202b, "RLE"}, {0x202c, "PDF"},
    {0x202d, "LRO"}, {0x202e, "RLO"}, {0x2060, "WJ"},   {0x2066, "LRI"}, {0x2067, "RLI"},
    {0x2068, "FSI"}, {0x2069, "PDI"}, {0xfeff, "BOM"},
};

bool isBidiControl(char32_t c)
{
    return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
}

// Characters that take no space or show nothing, so they can hide inside a word or
// make two different strings look alike; line and paragraph separators break lines.
bool isInvisible(char32_t c)
{
    return c == 0x00ad || c == 0x034f || c == 0x115f || c == 0x1160 || c == 0x17b4
        || c == 0x17b5 || c == 0x180e || (c >= 0x200b && c <= 0x200d)
        || c == 0x2028 || c == 0x2029 || (c >= 0x2060 && c <= 0x2064)
        || (c >= 0x206a && c <= 0x206f) || c == 0x3164 || c == 0xfeff || c == 0xffa0
        || (c >= 0xfff9 && c <= 0xfffb) || (c >= 0xe0000 && c <= 0xe007f);
}

Hidden classify(char32_t c)
{
    if (c == 0)
        return Hidden::Nul;
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
        return Hidden::Control;
    if (c < 0xa0)
        return Hidden::None;
    if (isBidiControl(c))
        return Hidden::Bidi;
    if (isInvisible(c))
        return Hidden::Invisible;
    return Hidden::None;
}

QString markFor(char32_t c)
{
    if (c < 0x20)
        return QStringLiteral("⟨%1⟩").arg(QLatin1String(kC0Names[c]));
    for (const NamedChar &n : kNamed)
        if (n.code == c)
            return QStringLiteral("⟨%1⟩").arg(QLatin1String(n.name));
    return QStringLiteral("⟨U+%1⟩").arg(QString::number(uint(c), 16).toUpper().rightJustified(4, QLatin1Char('0')));
}

// Calls f(codePoint, start, length) for each code point; lone surrogates pass as they are.
template<typename F>
void forEachCodePoint(QStringView text, F f)
{
    for (qsizetype i = 0; i < text.size();) {
        const QChar ch = text[i];
        if (ch.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            f(QChar::surrogateToUcs4(ch, text[i + 1]), i, 2);
            i += 2;
        } else {
            f(char32_t(ch.unicode()), i, 1);
            ++i;
        }
    }
}

bool keptAsIs(char32_t c, LineBreaks lineBreaks)
{
    return c == '\t' || (c == '\n' && lineBreaks == LineBreaks::Keep);
}
} // namespace

QString visibleText(QStringView text, LineBreaks lineBreaks)
{
    QString out;
    qsizetype copied = 0; // text before this index is already in out (or unchanged)
    bool changed = false;
    forEachCodePoint(text, [&](char32_t c, qsizetype start, qsizetype length) {
        if (classify(c) == Hidden::None || keptAsIs(c, lineBreaks))
            return;
        if (!changed) {
            out.reserve(text.size() + 16);
            changed = true;
        }
        out += text.sliced(copied, start - copied);
        out += markFor(c);
        copied = start + length;
    });
    if (!changed)
        return text.toString();
    out += text.sliced(copied);
    return out;
}

QList<Violation> hiddenCharacters(QStringView text)
{
    bool nul = false, control = false, bidi = false, invisible = false;
    forEachCodePoint(text, [&](char32_t c, qsizetype, qsizetype) {
        switch (classify(c)) {
        case Hidden::Nul: nul = true; break;
        case Hidden::Control: control |= c != '\t' && c != '\n' && c != '\r'; break;
        case Hidden::Bidi: bidi = true; break;
        case Hidden::Invisible: invisible = true; break;
        case Hidden::None: break;
        }
    });
    QList<Violation> found;
    if (nul) found.append(Violation::NulByte);
    if (control) found.append(Violation::ControlCharacter);
    if (bidi) found.append(Violation::BidiControl);
    if (invisible) found.append(Violation::InvisibleCharacter);
    return found;
}

QByteArray escapeHiddenInJson(const QByteArray &json)
{
    // Inside JSON these characters can only stand in strings, where \uXXXX means the same.
    const QString text = QString::fromUtf8(json);
    QString out;
    out.reserve(text.size());
    forEachCodePoint(text, [&](char32_t c, qsizetype start, qsizetype length) {
        const Hidden kind = classify(c);
        if (kind == Hidden::None || (c < 0x80 && c != 0x7f)) { // Qt escapes C0 itself, not DEL
            out += QStringView(text).sliced(start, length);
            return;
        }
        for (qsizetype i = 0; i < length; ++i)
            out += QStringLiteral("\\u%1").arg(text[start + i].unicode(), 4, 16, QLatin1Char('0'));
    });
    return out.toUtf8();
}

QString jsonString(QStringView text)
{
    QString out;
    out.reserve(text.size() + 2);
    out += QLatin1Char('"');
    // Most server text is printable ASCII with nothing to escape: copied in one go.
    const bool plain = std::all_of(text.begin(), text.end(), [](QChar c) {
        return c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\';
    });
    if (plain) {
        out += text;
        out += QLatin1Char('"');
        return out;
    }
    forEachCodePoint(text, [&](char32_t c, qsizetype start, qsizetype length) {
        if (c == u'"' || c == u'\\') {
            out += QLatin1Char('\\');
            out += QChar(c);
        } else if (c == u'\n') {
            out += QLatin1String("\\n");
        } else if (c == u'\t') {
            out += QLatin1String("\\t");
        } else if (c >= 0x20 && (classify(c) == Hidden::None || (c < 0x80 && c != 0x7f))) {
            out += text.sliced(start, length);
        } else {
            for (qsizetype i = 0; i < length; ++i)
                out += QStringLiteral("\\u%1").arg(text[start + i].unicode(), 4, 16, QLatin1Char('0'));
        }
    });
    out += QLatin1Char('"');
    return out;
}

} // namespace smtp
