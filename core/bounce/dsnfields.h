#pragma once
// RFC 3464 delivery-status fields (and the RFC 5965 feedback-report fields, which share
// the syntax): per-message fields and one group of fields per recipient.

#include <QList>
#include <QString>
#include <QStringList>

namespace smtp {

// One "Name: value" field, name as written; value unfolded.
struct DsnField
{
    QString name;
    QString value;
    friend bool operator==(const DsnField &a, const DsnField &b) { return a.name == b.name && a.value == b.value; }
};

// The fields of a delivery-status body, grouped as RFC 3464 section 2.1 lays them out.
struct DsnFields
{
    QList<DsnField> perMessage;
    QList<QList<DsnField>> perRecipient;

    // The first value of a field (case-insensitive), empty when absent.
    static QString value(const QList<DsnField> &fields, QStringView name);
    static QStringList values(const QList<DsnField> &fields, QStringView name);
    // "rfc822; bob@x" -> "bob@x"; "dns; mx.example" -> "mx.example".
    static QString stripType(const QString &value);
    // The type before ';': "smtp", "dns", "rfc822"; empty if none.
    static QString typeOf(const QString &value);

    // Reads fields from a body; lines that are not fields are skipped. A group begins
    // at a blank line or where a recipient field appears a second time.
    static DsnFields parse(const QString &text);
    // Field lines found inside free text (a DSN pasted in a text part), same grouping.
    static bool looksLikeDsn(const QString &text);
};

} // namespace smtp
