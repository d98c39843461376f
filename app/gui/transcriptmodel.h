#pragma once
// The transcript as a Qt model: one row per event, a multi-line reply's lines as its
// children; columns time, lock, text, annotation, latency; colours by reply class.

#include "session/transcript.h"

#include <QAbstractItemModel>

namespace smtp::gui {

class TranscriptModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, TlsColumn, TextColumn, AnnotationColumn, LatencyColumn, ColumnCount };
    enum Role { EventIndexRole = Qt::UserRole + 1, KindRole, ReplyClassRole };

    explicit TranscriptModel(QObject *parent = nullptr);

    void append(const TranscriptEvent &event);
    void setEvents(const QList<TranscriptEvent> &events);
    void clear();
    const QList<TranscriptEvent> &events() const { return m_events; }
    const TranscriptEvent *eventAt(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The colour of a reply class (2..5), readable on light and dark backgrounds.

private:
    QList<TranscriptEvent> m_events;
};

} // namespace smtp::gui
