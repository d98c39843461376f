#include "reply.h"


namespace smtp {

namespace {
struct ViolationText
{
    Violation violation;
    const char *name;
    const char *text;
};

const ViolationText kViolations[] = {
    {Violation::BareLineFeed, "bare-lf", "A line ended with a bare LF instead of CRLF (RFC 5321 2.3.8)."},
    {Violation::BareCarriageReturn, "bare-cr", "A bare CR appeared inside a line (RFC 5321 2.3.8)."},
    {Violation::MissingSeparator, "missing-separator", "The code is not followed by a space or a hyphen (RFC 5321 4.2)."},
    {Violation::MalformedCode, "malformed-code", "A line does not start with a three-digit reply code (RFC 5321 4.2)."},
    {Violation::CodeOutOfRange, "code-out-of-range", "The reply code is outside the ranges RFC 5321 defines (first digit 2-5, second 0-5)."},
    {Violation::CodeChanged, "code-changed", "The lines of a multi-line reply carry different codes; they must all be the same (RFC 5321 4.2.1)."},
    {Violation::LineTooLong, "line-too-long", "A reply line is longer than 512 octets including CRLF (RFC 5321 4.5.3.1.5)."},
    {Violation::NulByte, "nul-byte", "The reply contains a NUL byte."},
    {Violation::ControlCharacter, "control-character", "The reply contains control characters other than tab."},
    {Violation::InvalidUtf8, "invalid-utf8", "The reply text is not valid UTF-8 (RFC 6531 allows UTF-8, nothing else)."},
    {Violation::MalformedEnhancedCode, "malformed-enhanced-code", "Something that looks like an enhanced status code breaks RFC 3463's syntax."},
    {Violation::EnhancedClassMismatch, "enhanced-class-mismatch", "The enhanced status class does not match the reply code's first digit (RFC 3463 2)."},
    {Violation::EnhancedCodeChanged, "enhanced-code-changed", "The lines of a multi-line reply carry different enhanced status codes (RFC 2034 3)."},
    {Violation::Truncated, "truncated", "The reply was cut off before its last line."},
    {Violation::BidiControl, "bidi-control", "The text holds bidirectional controls (such as U+202E), which reorder how it reads; they are shown as marks."},
    {Violation::InvisibleCharacter, "invisible-character", "The text holds invisible characters (such as zero-width spaces), shown as marks."},
};

const ViolationText &entry(Violation violation)
{
    for (const ViolationText &v : kViolations)
        if (v.violation == violation)
            return v;
    Q_UNREACHABLE();
}
} // namespace

QString describe(Violation violation)
{
    return QString::fromLatin1(entry(violation).text);
}

QString violationName(Violation violation)
{
    return QString::fromLatin1(entry(violation).name);
}

std::optional<Violation> violationFromName(const QString &name)
{
    for (const ViolationText &v : kViolations)
        if (name == QLatin1String(v.name))
            return v.violation;
    return std::nullopt;
}

QString Reply::text() const
{
    if (!enhanced)
        return lines.join(QLatin1Char('\n'));
    // Strip the enhanced code each line repeats (RFC 2034), so the prose reads on.
    QStringList stripped;
    stripped.reserve(lines.size());
    for (const QString &line : lines) {
        const qsizetype space = line.indexOf(QLatin1Char(' '));
        const QStringView head = space < 0 ? QStringView(line) : QStringView(line).left(space);
        if (EnhancedStatus::parse(head))
            stripped.append(space < 0 ? QString() : line.mid(space + 1));
        else
            stripped.append(line);
    }
    return stripped.join(QLatin1Char('\n'));
}

QString codeDigits(int code)
{
    return code ? QString::number(code).rightJustified(3, QLatin1Char('0')) : QStringLiteral("???");
}

QString Reply::displayLine(qsizetype index) const
{
    const QString codeText = codeDigits(code);
    const bool last = index == lines.size() - 1;
    return codeText + (last ? QLatin1Char(' ') : QLatin1Char('-')) + lines.value(index);
}

QString Reply::toDisplayString() const
{
    QStringList out;
    for (qsizetype i = 0; i < lines.size(); ++i)
        out.append(displayLine(i));
    return out.join(QLatin1Char('\n'));
}

} // namespace smtp
