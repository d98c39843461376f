#pragma once
// What reply codes, enhanced status codes and ESMTP keywords mean: the JSON under
// resources/knowledge/, compiled in, loaded once and looked up by hash.

#include "protocol/enhancedstatus.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace smtp {

struct DigitMeaning
{
    QString name;
    QString text;
};

struct ReplyCodeInfo
{
    int code = 0;
    QString title;
    QString text;
    QString action;
    QString rfc;
    QHash<QString, QString> after;   // command ("RCPT", "DATA_END", ...) -> meaning there
};

struct EnhancedCodeInfo
{
    QString code;        // "X.1.1" for registry entries, "5.7.606" for vendor codes
    QString title;
    QString text;
    QString action;
    QString rfc;
    QString actor;       // sender, sender-admin, recipient, recipient-admin, none
    QString vendor;      // empty for IANA registry entries
    QList<int> basic;    // associated basic reply codes
    QString classes;     // which classes the registry allows: "245", "45", ...
    bool retry = false;  // can the same message, unchanged, succeed later?

    bool isRegistered() const { return vendor.isEmpty(); }
};

struct KeywordInfo
{
    QString keyword;
    QString rfc;
    QString title;
    QString text;
    QString params;      // none, size, mechanisms, limits, list, deliverby, mtpriority, text
};

// One of the compiled-in data files (":/knowledge/<name>") as JSON; what goes wrong (a
// missing file, broken JSON) is added to `errors` and an empty object returned.
QJsonObject readKnowledgeFile(const QString &name, QStringList &errors);

class Knowledge
{
public:
    // The compiled-in knowledge, loaded on first use; safe to call from any thread.
    static const Knowledge &instance();

    const ReplyCodeInfo *replyCode(int code) const;
    DigitMeaning replyClass(int digit) const;
    DigitMeaning replyCategory(int digit) const;

    // A vendor's full code first (5.7.606), then a vendor's range (4.7.500-699), then the
    // registry entry (X.7.606 -> none).
    const EnhancedCodeInfo *enhanced(const EnhancedStatus &status) const;
    DigitMeaning enhancedClass(int digit) const;
    DigitMeaning enhancedSubject(int subject) const;

    const KeywordInfo *keyword(const QString &keyword) const;
    // "SIZE 10240000" -> "messages up to 10 MB (10240000 bytes)".
    QString describeParameters(const QString &keyword, const QStringList &params) const;

    const QList<ReplyCodeInfo> &replyCodes() const { return m_replyCodes; }
    const QList<EnhancedCodeInfo> &enhancedCodes() const { return m_enhancedCodes; }
    const QList<KeywordInfo> &keywords() const { return m_keywords; }

    // Problems met while loading (a broken data file); empty when all is well.
    const QStringList &loadErrors() const { return m_errors; }

private:
    Knowledge();
    void loadReplyCodes();
    void loadEnhanced();
    void loadKeywords();

    QList<ReplyCodeInfo> m_replyCodes;
    QHash<int, qsizetype> m_replyIndex;
    QHash<QChar, DigitMeaning> m_replyClasses;
    QHash<QChar, DigitMeaning> m_replyCategories;
    QList<EnhancedCodeInfo> m_enhancedCodes;
    QHash<QString, qsizetype> m_enhancedIndex;
    struct EnhancedRange { int klass; int subject; int first; int last; qsizetype index; };
    bool addRange(const QString &code, qsizetype index);
    QList<EnhancedRange> m_enhancedRanges;
    QHash<QString, DigitMeaning> m_enhancedClasses;
    QHash<QString, DigitMeaning> m_enhancedSubjects;
    QList<KeywordInfo> m_keywords;
    QHash<QString, qsizetype> m_keywordIndex;
    QStringList m_errors;
};

} // namespace smtp
