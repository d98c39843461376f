#pragma once
// The results of a server check as a Qt model, one row per check in the order they came:
// status, check, host, summary. The check dialog's table and its detail pane read it.

#include "check/checkresult.h"

#include <QAbstractTableModel>
#include <QList>

namespace smtp::gui {

class CheckResultModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StatusColumn, CheckColumn, HostColumn, SummaryColumn, ColumnCount };
    // Sorts the verdict column worst first (fail, error, warn, info, pass, skip).
    static constexpr int SeverityRole = Qt::UserRole;

    using QAbstractTableModel::QAbstractTableModel;

    void append(const CheckResult &result);
    void clear();
    const QList<CheckResult> &results() const { return m_results; }
    const CheckResult *at(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<CheckResult> m_results;
};

// The colour of a verdict, from the reply colours (pass like a 2xx, fail like a 5xx...).
QColor checkStatusColour(CheckStatus status);
// The whole of one result as HTML for the detail pane: title, verdict, detail, why, fix, RFCs.
QString checkResultHtml(const CheckResult &result);

} // namespace smtp::gui
