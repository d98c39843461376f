#include "command.h"

#include <QRegularExpression>

namespace smtp {

namespace {

// RFC 5321 4.5.3.1.4: a command line is at most 512 octets including CRLF.
constexpr int kMaxCommandLine = 510;

bool isDomain(const QString &text)
{
    static const QRegularExpression domain(QStringLiteral(
        "^(?=.{1,255}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
        "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?$"));
    return domain.match(text).hasMatch();
}

bool isAddressLiteral(const QString &text)
{
    static const QRegularExpression literal(QStringLiteral(
        "^\\[(?:\\d{1,3}(?:\\.\\d{1,3}){3}|IPv6:[0-9A-Fa-f:.]+|[A-Za-z0-9-]*[A-Za-z0-9]:[!-Z^-~]+)\\]$"));
    return literal.match(text).hasMatch();
}

// A mailbox local@domain, loosely: the point is to catch typos, not to judge every quirk.
bool isMailbox(const QString &text)
{
    const qsizetype at = text.lastIndexOf(QLatin1Char('@'));
    if (at <= 0 || at == text.size() - 1)
        return false;
    const QString local = text.left(at);
    const QString domain = text.mid(at + 1);
    if (local.size() > 64 || (local.contains(QLatin1Char(' ')) && !local.startsWith(QLatin1Char('"'))))
        return false;
    return isDomain(domain) || isAddressLiteral(domain)
        // Internationalised domains (RFC 6531) pass the same check once non-ASCII is allowed.
        || std::any_of(domain.begin(), domain.end(), [](QChar c) { return c.unicode() > 127; });
}

bool isXtext(const QString &text)
{
    static const QRegularExpression xtext(QStringLiteral("^(?:[!-*,-<>-~]|\\+[0-9A-F]{2})+$"));
    return xtext.match(text).hasMatch();
}

bool isNumber(const QString &text)
{
    static const QRegularExpression number(QStringLiteral("^[0-9]{1,20}$"));
    return number.match(text).hasMatch();
}

void checkMailParameter(const EsmtpParameter &p, QStringList &problems)
{
    const QString &k = p.keyword;
    const QString &v = p.value;
    auto needs = [&](bool ok, const char *rule) {
        if (!ok)
            problems.append(QStringLiteral("%1=%2: %3").arg(k, v, QString::fromLatin1(rule)));
    };
    if (k == QLatin1String("SIZE"))
        needs(p.hasValue && isNumber(v), "SIZE takes the message size in bytes, digits only (RFC 1870).");
    else if (k == QLatin1String("BODY"))
        needs(v == QLatin1String("7BIT") || v == QLatin1String("8BITMIME") || v == QLatin1String("BINARYMIME"),
              "BODY is 7BIT, 8BITMIME (RFC 6152) or BINARYMIME (RFC 3030).");
    else if (k == QLatin1String("RET"))
        needs(v == QLatin1String("FULL") || v == QLatin1String("HDRS"), "RET is FULL or HDRS (RFC 3461 4.3).");
    else if (k == QLatin1String("ENVID"))
        needs(p.hasValue && isXtext(v) && v.size() <= 100, "ENVID is xtext of at most 100 characters (RFC 3461 4.4).");
    else if (k == QLatin1String("AUTH"))
        needs(p.hasValue && (v == QLatin1String("<>") || isXtext(v)), "AUTH= takes an xtext mailbox or <> (RFC 4954 5).");
    else if (k == QLatin1String("SMTPUTF8") || k == QLatin1String("REQUIRETLS"))
        needs(!p.hasValue, "this parameter takes no value (RFC 6531 / RFC 8689).");
    else if (k == QLatin1String("MT-PRIORITY")) {
        bool ok = false;
        const int priority = v.toInt(&ok);
        needs(ok && priority >= -9 && priority <= 9, "MT-PRIORITY is a whole number from -9 to 9 (RFC 6710).");
    } else if (k == QLatin1String("BY")) {
        static const QRegularExpression by(QStringLiteral("^-?[0-9]{1,9};[RN]T?$"));
        needs(by.match(v).hasMatch(), "BY is seconds;R or seconds;N, optionally with T (RFC 2852).");
    } else if (k == QLatin1String("HOLDFOR") || k == QLatin1String("HOLDUNTIL"))
        needs(p.hasValue && !v.isEmpty(), "FUTURERELEASE parameters take a value (RFC 4865).");
    else
        problems.append(QStringLiteral("%1 is not a MAIL parameter of any extension we know; the server "
                                       "will likely answer 555.").arg(k));
}

void checkRcptParameter(const EsmtpParameter &p, QStringList &problems)
{
    const QString &k = p.keyword;
    if (k == QLatin1String("NOTIFY")) {
        const QStringList parts = p.value.split(QLatin1Char(','));
        bool ok = p.hasValue;
        for (const QString &part : parts)
            ok = ok && (part == QLatin1String("SUCCESS") || part == QLatin1String("FAILURE")
                        || part == QLatin1String("DELAY") || (part == QLatin1String("NEVER") && parts.size() == 1));
        if (!ok)
            problems.append(QStringLiteral("NOTIFY=%1: NOTIFY is NEVER alone, or a comma list of SUCCESS, "
                                           "FAILURE, DELAY (RFC 3461 4.1).").arg(p.value));
    } else if (k == QLatin1String("ORCPT")) {
        static const QRegularExpression orcpt(QStringLiteral("^[A-Za-z0-9-]+;.+$"));
        if (!orcpt.match(p.value).hasMatch())
            problems.append(QStringLiteral("ORCPT=%1: ORCPT is addr-type;address, e.g. rfc822;bob@example.com "
                                           "(RFC 3461 4.2).").arg(p.value));
    } else if (k == QLatin1String("RRVS")) {
        if (!p.hasValue)
            problems.append(QStringLiteral("RRVS takes a date-time (RFC 7293)."));
    } else {
        problems.append(QStringLiteral("%1 is not a RCPT parameter of any extension we know; the server "
                                       "will likely answer 555.").arg(k));
    }
}

// MAIL FROM:<path> params / RCPT TO:<path> params
void parsePathCommand(Command &c, const QString &rest, const QLatin1String &prefix)
{
    if (!rest.startsWith(prefix, Qt::CaseInsensitive)) {
        c.problems.append(QStringLiteral("%1 must be followed by \"%2<address>\" (RFC 5321 4.1.1).")
                              .arg(c.verb, prefix));
        c.argument = rest;
        return;
    }
    QString path = rest.mid(prefix.size());
    c.argument = path;
    if (path.startsWith(QLatin1Char(' '))) {
        c.problems.append(QStringLiteral("No space is allowed after the colon (RFC 5321 4.1.2); many servers "
                                         "accept it, some refuse."));
        path = path.trimmed();
    }
    if (!path.startsWith(QLatin1Char('<'))) {
        c.problems.append(QStringLiteral("The address must be in angle brackets: <user@example.com> "
                                         "(RFC 5321 4.1.2)."));
        const qsizetype space = path.indexOf(QLatin1Char(' '));
        c.address = space < 0 ? path : path.left(space);
        path = space < 0 ? QString() : path.mid(space + 1);
    } else {
        const qsizetype close = path.indexOf(QLatin1Char('>'));
        if (close < 0) {
            c.problems.append(QStringLiteral("The address has no closing '>'."));
            c.address = path.mid(1);
            return;
        }
        c.address = path.mid(1, close - 1);
        // A source route (<@a,@b:user@c>) is obsolete but allowed; keep just the mailbox.
        if (c.address.startsWith(QLatin1Char('@')) && c.address.contains(QLatin1Char(':')))
            c.address = c.address.mid(c.address.indexOf(QLatin1Char(':')) + 1);
        path = path.mid(close + 1);
        if (!path.isEmpty() && !path.startsWith(QLatin1Char(' ')))
            c.problems.append(QStringLiteral("Parameters must be separated from the address by a space."));
    }

    const bool isMail = c.verb == QLatin1String("MAIL");
    if (c.address.isEmpty()) {
        if (!isMail)
            c.problems.append(QStringLiteral("RCPT needs an address; the null path <> is only for MAIL."));
    } else if (!isMailbox(c.address)
               && !(!isMail && c.address.compare(QLatin1String("postmaster"), Qt::CaseInsensitive) == 0)) {
        c.problems.append(QStringLiteral("\"%1\" is not a valid address (local-part@domain).").arg(c.address));
    }

    const QStringList words = path.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &word : words) {
        EsmtpParameter p;
        const qsizetype eq = word.indexOf(QLatin1Char('='));
        p.keyword = (eq < 0 ? word : word.left(eq)).toUpper();
        p.hasValue = eq >= 0;
        p.value = eq < 0 ? QString() : word.mid(eq + 1);
        c.parameters.append(p);
        static const QRegularExpression keyword(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9-]*$"));
        if (!keyword.match(p.keyword).hasMatch()) {
            c.problems.append(QStringLiteral("\"%1\" is not a valid ESMTP parameter name (RFC 5321 4.1.2).").arg(p.keyword));
            continue;
        }
        if (isMail)
            checkMailParameter(p, c.problems);
        else
            checkRcptParameter(p, c.problems);
    }
}

} // namespace

const QStringList &knownVerbs()
{
    static const QStringList verbs = {
        QStringLiteral("EHLO"), QStringLiteral("HELO"), QStringLiteral("STARTTLS"), QStringLiteral("AUTH"),
        QStringLiteral("MAIL"), QStringLiteral("RCPT"), QStringLiteral("DATA"), QStringLiteral("BDAT"),
        QStringLiteral("RSET"), QStringLiteral("NOOP"), QStringLiteral("QUIT"), QStringLiteral("VRFY"),
        QStringLiteral("EXPN"), QStringLiteral("HELP"), QStringLiteral("ETRN"), QStringLiteral("ATRN"),
        QStringLiteral("BURL"), QStringLiteral("XCLIENT"), QStringLiteral("XFORWARD"), QStringLiteral("TURN"),
    };
    return verbs;
}

bool Command::isKnownVerb() const
{
    return knownVerbs().contains(verb);
}

const EsmtpParameter *Command::parameter(const QString &keyword) const
{
    for (const EsmtpParameter &p : parameters)
        if (p.keyword == keyword)
            return &p;
    return nullptr;
}

Command Command::parse(const QString &input)
{
    Command c;
    c.line = input;
    if (c.line.endsWith(QLatin1Char('\n')))
        c.line.chop(1);
    if (c.line.endsWith(QLatin1Char('\r')))
        c.line.chop(1);
    if (c.line.contains(QLatin1Char('\r')) || c.line.contains(QLatin1Char('\n')))
        c.problems.append(QStringLiteral("A command is one line: CR or LF inside it would smuggle another "
                                         "command (RFC 5321 2.3.8)."));
    if (c.line.toUtf8().size() > kMaxCommandLine)
        c.problems.append(QStringLiteral("The line is longer than 512 octets with CRLF (RFC 5321 4.5.3.1.4)."));
    if (c.line.trimmed().isEmpty()) {
        c.problems.append(QStringLiteral("The line is empty."));
        return c;
    }
    if (c.line.startsWith(QLatin1Char(' ')) || c.line.endsWith(QLatin1Char(' ')))
        c.problems.append(QStringLiteral("Leading or trailing spaces are not allowed (RFC 5321 4.1.1)."));

    const QString trimmed = c.line.trimmed();
    static const QRegularExpression separator(QStringLiteral("[ \\t\\r\\n]"));
    const qsizetype space = trimmed.indexOf(separator);
    c.verb = (space < 0 ? trimmed : trimmed.left(space)).toUpper();
    const QString rest = space < 0 ? QString() : trimmed.mid(space + 1);

    if (c.verb == QLatin1String("MAIL")) {
        parsePathCommand(c, rest, QLatin1String("FROM:"));
    } else if (c.verb == QLatin1String("RCPT")) {
        parsePathCommand(c, rest, QLatin1String("TO:"));
    } else {
        c.argument = rest;
        const bool hasArgument = !rest.isEmpty();
        auto problem = [&](const QString &text) { c.problems.append(text); };
        if (c.verb == QLatin1String("EHLO") || c.verb == QLatin1String("HELO")) {
            if (!hasArgument)
                problem(QStringLiteral("%1 needs the client's domain name (RFC 5321 4.1.1.1).").arg(c.verb));
            else if (!isDomain(rest) && !(c.verb == QLatin1String("EHLO") && isAddressLiteral(rest)))
                problem(QStringLiteral("\"%1\" is not a domain name%2 (RFC 5321 4.1.1.1).")
                            .arg(rest, c.verb == QLatin1String("EHLO") ? QStringLiteral(" or address literal like [192.0.2.1]")
                                                                        : QString()));
        } else if (c.verb == QLatin1String("DATA") || c.verb == QLatin1String("RSET")
                   || c.verb == QLatin1String("QUIT") || c.verb == QLatin1String("STARTTLS")) {
            if (hasArgument)
                problem(QStringLiteral("%1 takes no argument.").arg(c.verb));
        } else if (c.verb == QLatin1String("VRFY") || c.verb == QLatin1String("EXPN")
                   || c.verb == QLatin1String("ETRN")) {
            if (!hasArgument)
                problem(QStringLiteral("%1 needs an argument.").arg(c.verb));
        } else if (c.verb == QLatin1String("AUTH")) {
            static const QRegularExpression auth(QStringLiteral("^[A-Za-z0-9_-]{1,20}( ([A-Za-z0-9+/]+=*|=))?$"));
            if (!auth.match(rest).hasMatch())
                problem(QStringLiteral("AUTH takes a SASL mechanism name and optionally a base64 initial "
                                       "response (RFC 4954 4)."));
        } else if (c.verb == QLatin1String("BDAT")) {
            static const QRegularExpression bdat(QStringLiteral("^[0-9]{1,20}( LAST)?$"), QRegularExpression::CaseInsensitiveOption);
            if (!bdat.match(rest).hasMatch())
                problem(QStringLiteral("BDAT takes the chunk size in bytes and optionally LAST (RFC 3030 2)."));
        } else if (!c.isKnownVerb()) {
            problem(QStringLiteral("%1 is not a command of RFC 5321 or of an extension we know; the server "
                                   "will likely answer 500.").arg(c.verb));
        }
    }

    const bool ascii = std::all_of(c.line.begin(), c.line.end(), [](QChar ch) { return ch.unicode() < 128; });
    if (!ascii && !c.parameter(QStringLiteral("SMTPUTF8")) && c.verb != QLatin1String("RCPT"))
        c.problems.append(QStringLiteral("The line has non-ASCII characters; they are only allowed in a "
                                         "transaction begun with MAIL ... SMTPUTF8 (RFC 6531)."));
    return c;
}

} // namespace smtp
