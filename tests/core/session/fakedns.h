#pragma once
// A DNS server on 127.0.0.1:53 for the MX tests, answering MX queries from a table:
// enough of RFC 1035 for one question and its answers. Binding port 53 needs root (as in CI).

#include <QHash>
#include <QList>
#include <QPair>
#include <QStringList>
#include <QUdpSocket>

class FakeDns : public QUdpSocket
{
public:
    // domain -> (preference, exchange) records; an exchange "." is a null MX (RFC 7505).
    QHash<QString, QList<QPair<int, QString>>> mx;
    // domain -> IPv4 address, for A queries (a domain can have an address and no MX).
    QHash<QString, QString> a;
    // Questions about these names get no answer, as from a server that is down.
    QStringList silent;

    bool start() { return bind(QHostAddress::LocalHost, 53); }

    FakeDns()
    {
        connect(this, &QUdpSocket::readyRead, this, [this] {
            while (hasPendingDatagrams()) {
                QByteArray query(int(pendingDatagramSize()), Qt::Uninitialized);
                QHostAddress from;
                quint16 port = 0;
                readDatagram(query.data(), query.size(), &from, &port);
                const QByteArray answer = answerFor(query);
                if (!answer.isEmpty())
                    writeDatagram(answer, from, port);
            }
        });
    }

private:
    static void put16(QByteArray &out, int value)
    {
        out.append(char((value >> 8) & 0xff));
        out.append(char(value & 0xff));
    }

    static QByteArray encodeName(const QString &name)
    {
        QByteArray out;
        for (const QString &label : name.split(QLatin1Char('.'), Qt::SkipEmptyParts)) {
            out.append(char(label.size()));
            out.append(label.toLatin1());
        }
        out.append('\0');
        return out;
    }

    QByteArray answerFor(const QByteArray &query) const
    {
        if (query.size() < 12)
            return {};
        int pos = 12;
        QStringList labels;
        while (pos < query.size() && query[pos] != 0) {
            const int length = quint8(query[pos]);
            labels.append(QString::fromLatin1(query.mid(pos + 1, length)));
            pos += 1 + length;
        }
        const int questionEnd = pos + 5; // the zero byte, type and class
        if (questionEnd > query.size())
            return {};
        const int type = (quint8(query[pos + 1]) << 8) | quint8(query[pos + 2]);
        const QString domain = labels.join(QLatin1Char('.')).toLower();
        if (silent.contains(domain))
            return {};
        const bool known = mx.contains(domain) || a.contains(domain);
        const QList<QPair<int, QString>> records = type == 15 ? mx.value(domain) : QList<QPair<int, QString>>();
        const bool address = type == 1 && a.contains(domain);

        QByteArray out = query.left(2);                  // the query's id
        put16(out, known ? 0x8180 : 0x8183);             // a response; NXDOMAIN when unknown
        put16(out, 1);                                   // one question
        put16(out, int(records.size()) + (address ? 1 : 0)); // the answers
        put16(out, 0);
        put16(out, 0);
        out.append(query.mid(12, questionEnd - 12));
        for (const auto &record : records) {
            put16(out, 0xc00c);                          // the name: a pointer to the question's
            put16(out, 15);                              // MX
            put16(out, 1);                               // IN
            put16(out, 0);
            put16(out, 60);                              // TTL
            const QByteArray exchange = record.second == QLatin1String(".") ? QByteArray(1, '\0') : encodeName(record.second);
            put16(out, 2 + int(exchange.size()));
            put16(out, record.first);
            out.append(exchange);
        }
        if (address) {
            put16(out, 0xc00c);
            put16(out, 1);                               // A
            put16(out, 1);
            put16(out, 0);
            put16(out, 60);
            put16(out, 4);
            for (const QString &part : a.value(domain).split(QLatin1Char('.')))
                out.append(char(part.toInt()));
        }
        return out;
    }
};
