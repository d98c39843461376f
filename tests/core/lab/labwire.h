#pragma once
// The client's side of a socketless practice-server session (tests and the fuzzer): what
// the client sent, to be read; what the server writes, kept up to a bound.

#include <QIODevice>
#include <cstring>

class LabWire : public QIODevice
{
public:
    explicit LabWire(const QByteArray &in, qsizetype maxOut = 64 * 1024 * 1024) : m_in(in), m_maxOut(maxOut)
    {
        open(QIODevice::ReadWrite);
    }
    QByteArray out;

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_in.size() - m_pos + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char *data, qint64 max) override
    {
        const qint64 n = qMin<qint64>(max, m_in.size() - m_pos);
        memcpy(data, m_in.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char *data, qint64 size) override
    {
        if (out.size() < m_maxOut)
            out.append(data, size);
        return size;
    }

private:
    QByteArray m_in;
    qsizetype m_maxOut;
    qint64 m_pos = 0;
};
