#include "checkresultmodel.h"

#include "theme.h"

#include "check/checkcatalog.h"
#include "protocol/untrustedtext.h"

namespace smtp::gui {

QColor checkStatusColour(CheckStatus status)
{
    switch (status) {
    case CheckStatus::Pass: return Theme::replyClass(2);
    case CheckStatus::Warn: return Theme::replyClass(4);
    case CheckStatus::Fail:
    case CheckStatus::Error: return Theme::replyClass(5);
    case CheckStatus::Info:
    case CheckStatus::Skip: break;
    }
    return Theme::replyClass(3);
}

QString checkResultHtml(const CheckResult &r)
{
    const CheckInfo *info = CheckCatalog::instance().info(r.id);
    const QString title = info ? info->title : r.id;
    QString html = QStringLiteral("<h3>%1 <small>(%2)</small></h3><p><b style=\"color:%3\">%4</b> on %5: %6</p>")
                       .arg(title.toHtmlEscaped(), r.id, checkStatusColour(r.status).name(),
                            checkStatusName(r.status).toUpper(), visibleText(r.host, LineBreaks::Mark).toHtmlEscaped(),
                            visibleText(r.summary, LineBreaks::Mark).toHtmlEscaped());
    html += QStringLiteral("<pre style=\"white-space:pre-wrap\">%1</pre>").arg(visibleText(r.detail).toHtmlEscaped());
    if (info && (r.status == CheckStatus::Pass || r.status == CheckStatus::Info || r.status == CheckStatus::Skip))
        html += QStringLiteral("<p><b>Why it matters:</b> %1</p>").arg(info->why.toHtmlEscaped());
    html += QStringLiteral("<p><b>Read:</b> %1 &middot; took %2 ms</p>").arg(r.references.join(QStringLiteral(", ")).toHtmlEscaped()).arg(r.ms);
    return html;
}

void CheckResultModel::append(const CheckResult &result)
{
    beginInsertRows({}, int(m_results.size()), int(m_results.size()));
    m_results.append(result);
    endInsertRows();
}

void CheckResultModel::clear()
{
    beginResetModel();
    m_results.clear();
    endResetModel();
}

const CheckResult *CheckResultModel::at(int row) const
{
    return row >= 0 && row < m_results.size() ? &m_results[row] : nullptr;
}

int CheckResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_results.size());
}

int CheckResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CheckResultModel::data(const QModelIndex &index, int role) const
{
    const CheckResult *r = at(index.row());
    if (!r)
        return {};
    if (role == SeverityRole)
        return index.column() == StatusColumn ? QVariant(int(r->status)) : data(index, Qt::DisplayRole);
    if (role == Qt::ForegroundRole && index.column() == StatusColumn)
        return checkStatusColour(r->status);
    if (role == Qt::ToolTipRole && index.column() == CheckColumn) {
        const CheckInfo *info = CheckCatalog::instance().info(r->id);
        return info ? info->why : QVariant();
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case StatusColumn: return checkStatusName(r->status).toUpper();
    case CheckColumn: {
        const CheckInfo *info = CheckCatalog::instance().info(r->id);
        return info ? info->title : r->id;
    }
    case HostColumn: return visibleText(r->host, LineBreaks::Mark);
    case SummaryColumn: return visibleText(r->summary, LineBreaks::Mark);
    }
    return {};
}

QVariant CheckResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"Verdict", "Check", "Host", "What was found"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

} // namespace smtp::gui
