#include "transcriptmodel.h"

#include "protocol/untrustedtext.h"

#include <QApplication>
#include "theme.h"

#include <QColor>
#include <QFont>
#include <QFontDatabase>
#include <QIcon>
#include <QPalette>
#include <QStyle>

namespace smtp::gui {

namespace {
// A child row (a line of a multi-line reply) carries its parent's row + 1 in the internal
// id; top-level rows carry 0.
constexpr quintptr kTopLevel = 0;

QString arrow(const TranscriptEvent &e)
{
    switch (e.kind) {
    case TranscriptEvent::Kind::Sent: return QStringLiteral("\u2192 ");
    case TranscriptEvent::Kind::Received: return QStringLiteral("\u2190 ");
    case TranscriptEvent::Kind::Warning: return QStringLiteral("\u26a0 ");
    case TranscriptEvent::Kind::Error: return QStringLiteral("\u2716 ");
    case TranscriptEvent::Kind::Tls: return QStringLiteral("\u2713 ");
    default: return QStringLiteral("\u2022 ");
    }
}
} // namespace

TranscriptModel::TranscriptModel(QObject *parent) : QAbstractItemModel(parent) {}

void TranscriptModel::append(const TranscriptEvent &event)
{
    const int row = int(m_events.size());
    beginInsertRows(QModelIndex(), row, row);
    m_events.append(event);
    endInsertRows();
}

void TranscriptModel::setEvents(const QList<TranscriptEvent> &events)
{
    beginResetModel();
    m_events = events;
    endResetModel();
}

void TranscriptModel::clear()
{
    setEvents({});
}

const TranscriptEvent *TranscriptModel::eventAt(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    const int row = index.internalId() == kTopLevel ? index.row() : int(index.internalId() - 1);
    return row < m_events.size() ? &m_events[row] : nullptr;
}

QModelIndex TranscriptModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_events.size() ? createIndex(row, column, kTopLevel) : QModelIndex();
    if (parent.internalId() != kTopLevel)
        return {};
    return row < rowCount(parent) ? createIndex(row, column, quintptr(parent.row() + 1)) : QModelIndex();
}

QModelIndex TranscriptModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kTopLevel)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kTopLevel);
}

int TranscriptModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_events.size());
    if (parent.internalId() != kTopLevel || parent.column() != 0)
        return 0;
    const TranscriptEvent &e = m_events.at(parent.row());
    // A multi-line reply groups its lines; the row itself shows the first.
    if (e.reply && e.reply->lines.size() > 1)
        return int(e.reply->lines.size()) - 1;
    if (e.kind == TranscriptEvent::Kind::Sent && e.text.contains(QLatin1Char('\n')))
        return int(e.text.count(QLatin1Char('\n')));
    return 0;
}

int TranscriptModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant TranscriptModel::data(const QModelIndex &index, int role) const
{
    const TranscriptEvent *e = eventAt(index);
    if (!e)
        return {};
    const bool child = index.internalId() != kTopLevel;
    const int klass = e->reply ? e->reply->code / 100 : 0;

    switch (role) {
    case EventIndexRole:
        return child ? int(index.internalId() - 1) : index.row();
    case KindRole:
        return int(e->kind);
    case ReplyClassRole:
        return klass;
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return child ? QVariant() : e->time.toString(QStringLiteral("HH:mm:ss.zzz"));
        case TlsColumn:
            return {};
        case TextColumn: {
            if (e->reply) {
                const int line = child ? index.row() + 1 : 0;
                return (child ? QString() : arrow(*e)) + visibleText(e->reply->displayLine(line), LineBreaks::Mark);
            }
            const QStringList lines = visibleText(e->text).split(QLatin1Char('\n'));
            return child ? lines.value(index.row() + 1) : arrow(*e) + lines.first();
        }
        case AnnotationColumn:
            return child ? QVariant() : QVariant(visibleText(e->annotation, LineBreaks::Mark));
        case LatencyColumn:
            return child || e->latencyMs < 0 ? QVariant() : QStringLiteral("%1 ms").arg(e->latencyMs);
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == TlsColumn && e->overTls && !child) {
            static const QIcon lock(QStringLiteral(":/icons/lock.svg"));
            return lock;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == TlsColumn && e->overTls)
            return QStringLiteral("Sent or received over TLS");
        if (e->reply && !e->reply->violations.isEmpty()) {
            QStringList v;
            for (Violation violation : e->reply->violations)
                v.append(describe(violation));
            return v.join(QLatin1Char('\n'));
        }
        return e->annotation.isEmpty() ? QVariant() : QVariant(e->annotation);
    case Qt::ForegroundRole:
        if (e->reply && index.column() != TimeColumn)
            return Theme::replyClass(klass);
        if (e->kind == TranscriptEvent::Kind::Error)
            return Theme::replyClass(5);
        if (e->kind == TranscriptEvent::Kind::Warning)
            return Theme::replyClass(4);
        if (index.column() == TimeColumn || e->kind == TranscriptEvent::Kind::Note
            || e->kind == TranscriptEvent::Kind::Connecting || e->kind == TranscriptEvent::Kind::Closed)
            return QApplication::palette().color(QPalette::PlaceholderText);
        return {};
    case Qt::FontRole:
        if (index.column() == TextColumn && (e->kind == TranscriptEvent::Kind::Sent || e->kind == TranscriptEvent::Kind::Received)) {
            // Only the family and weight: the size stays the view's, so zoom reaches it.
            QFont f;
            f.setFamilies(QFontDatabase::systemFont(QFontDatabase::FixedFont).families());
            f.setStyleHint(QFont::Monospace);
            f.setBold(e->kind == TranscriptEvent::Kind::Sent && !child);
            return f;
        }
        if (index.column() == AnnotationColumn) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    }
    return {};
}

QVariant TranscriptModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == TlsColumn)
        return QStringLiteral("A lock marks what went over TLS");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return QStringLiteral("Time");
    case TlsColumn: return QString();
    case TextColumn: return QStringLiteral("Line");
    case AnnotationColumn: return QStringLiteral("Meaning");
    case LatencyColumn: return QStringLiteral("Latency");
    }
    return {};
}

} // namespace smtp::gui
