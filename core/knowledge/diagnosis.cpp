#include "diagnosis.h"

namespace smtp {

namespace {
QJsonValue orNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}
} // namespace

void addDiagnosisJson(QJsonObject &object, const Diagnosis &diagnosis)
{
    object.insert(QLatin1String("reason"), orNull(diagnosis.reason));
    object.insert(QLatin1String("source"), orNull(diagnosis.source));
    object.insert(QLatin1String("list"), orNull(diagnosis.list));
    object.insert(QLatin1String("help"), orNull(diagnosis.help));
    object.insert(QLatin1String("diagnosis"), orNull(diagnosis.summary));
    object.insert(QLatin1String("diagnosisAction"), orNull(diagnosis.action));
}

} // namespace smtp
