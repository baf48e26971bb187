#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QString>
#include <functional>

namespace gpudeck {

// A request body read while its handler already runs (an upload streamed on to an upstream, never held whole).
// HttpConnection appends what its parser hands it; the reader takes it as a sequential QIODevice (readyRead as
// data comes, readChannelFinished at the end). At most about kHighWater bytes wait here: above it the connection
// stops reading its socket (TCP flow control then holds the client back) until the reader has taken enough. Lives
// on the API thread.
class RequestBody : public QIODevice
{
    Q_OBJECT
public:
    static constexpr qsizetype kHighWater = 1024 * 1024; // also how far a handler may look ahead (peek())
    static constexpr qsizetype kLowWater = 256 * 1024;

    explicit RequestBody(qint64 declaredSize, QObject *parent = nullptr);

    // Writer side (the connection).
    void append(const char *data, qsizetype size);
    void finish();                 // the whole body arrived
    void fail(const QString &why); // the client left (or was refused) mid-body
    bool full() const { return !m_dropping && pending() >= kHighWater; }
    void setResume(std::function<void()> resume) { m_resume = std::move(resume); }

    // Reader side. drop(): the reader is done (it answered): the rest is read off the socket and dropped.
    void drop();
    qint64 declaredSize() const { return m_declared; }
    QByteArrayView peek() const { return QByteArrayView(m_buffer).sliced(m_offset); }
    bool complete() const { return m_finished; }
    bool broken() const { return !m_error.isEmpty(); }
    QString brokenReason() const { return m_error; }
    qint64 received() const { return m_received; }

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return pending() + QIODevice::bytesAvailable(); }
    bool atEnd() const override { return m_finished && pending() == 0; }

Q_SIGNALS:
    void failed(const QString &why);

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    qsizetype pending() const { return m_buffer.size() - m_offset; }
    void resumeLater();

    QByteArray m_buffer;
    qsizetype m_offset = 0;
    qint64 m_declared = -1;
    qint64 m_received = 0;
    bool m_finished = false;
    bool m_dropping = false;
    bool m_stalled = false; // the connection stopped reading at kHighWater and waits to be resumed
    QString m_error;
    std::function<void()> m_resume;
};

// The value of a plain (non-file) field of a multipart/form-data body from its beginning, as far as it has arrived.
struct MultipartField
{
    enum class State { Found, NeedMore, Absent } state = State::NeedMore;
    QString value;
};
// `Absent`: a file part, or the end of the body, came before a field of that name. `boundary` from the
// Content-Type header (multipartBoundary()).
MultipartField multipartField(QByteArrayView body, const QByteArray &boundary, const QByteArray &name, bool complete);
QByteArray multipartBoundary(const QByteArray &contentType);

} // namespace gpudeck
