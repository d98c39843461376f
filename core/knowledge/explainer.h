#pragma once
// Reply + the command it answers -> Explanation, from the compiled-in knowledge.
// Explanations of the same code, enhanced code and command are built once and reused;
// the diagnosis of the server's words (Diagnoser) is kept per distinct text.

#include "explanation.h"

#include <QHash>

namespace smtp {

class Explainer
{
public:
    // `after` is the command answered: CONNECT, EHLO, HELO, STARTTLS, AUTH, MAIL, RCPT,
    // DATA, DATA_END, BDAT, RSET, VRFY, EXPN, HELP, NOOP, QUIT, ETRN; or empty.
    Explanation explain(const Reply &reply, const QString &after = QString());
    Explanation explainCode(int code, const QString &after = QString());
    Explanation explainEnhanced(const EnhancedStatus &status);

    // The commands a code can answer, as the knowledge lists them.
    static QStringList commandsFor(int code);
    // The codes a command can get, in code order: the inverse of commandsFor.
    static QList<int> codesFor(const QString &context);
    // The verb of a command line mapped to the knowledge's command names.
    static QString contextFor(const QString &verb);

private:
    static Explanation build(int code, const std::optional<EnhancedStatus> &enhanced, const QString &after);
    struct Diagnosed
    {
        int code = 0;
        quint64 serial = 0;  // the same for equal diagnoses, never reused for another one
        int status = -1;     // the enhanced code as one number, -1 when none
        QStringList lines;   // the reply's words as keyed (local parts out), to tell a hash collision
        Diagnosis diagnosis;
        QString note;        // what the annotation adds: " | greylisted"; empty when nothing new
    };
    const Diagnosed &diagnose(const Reply &reply);

    QHash<quint64, Explanation> m_cache; // keyed by code, enhanced code and command
    quint64 m_diagnosisSerial = 0;
    QHash<Diagnosis, quint64> m_serials;  // one serial per distinct diagnosis
    QHash<size_t, Diagnosed> m_diagnoses; // keyed by a hash of code, enhanced code and words; bounded
};

} // namespace smtp
