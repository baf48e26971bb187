#include "api/RequestBody.h"

#include <QMetaObject>
#include <QPointer>

namespace gpudeck {

RequestBody::RequestBody(qint64 declaredSize, QObject *parent)
    : QIODevice(parent)
    , m_declared(declaredSize)
{
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

void RequestBody::append(const char *data, qsizetype size)
{
    if (size <= 0 || m_finished || broken()) {
        return;
    }
    if (m_dropping) {
        m_received += size;
        return;
    }
    if (m_offset > 0 && m_offset >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_offset); // what was read goes; the buffer stays about kHighWater at most
        m_offset = 0;
    }
    m_buffer.append(data, size);
    m_received += size;
    if (pending() >= kHighWater) {
        m_stalled = true; // the connection stops reading now (full())
    }
    Q_EMIT readyRead();
}

void RequestBody::finish()
{
    if (m_finished || broken()) {
        return;
    }
    m_finished = true;
    Q_EMIT readyRead();
    Q_EMIT readChannelFinished();
}

void RequestBody::fail(const QString &why)
{
    if (m_finished || broken()) {
        return;
    }
    m_error = why.isEmpty() ? QStringLiteral("the request body stopped arriving") : why;
    setErrorString(m_error);
    Q_EMIT failed(m_error);
}

qint64 RequestBody::readData(char *data, qint64 maxSize)
{
    const qsizetype n = std::min<qsizetype>(pending(), qsizetype(maxSize));
    if (n <= 0) {
        return (m_finished || broken()) ? -1 : 0;
    }
    memcpy(data, m_buffer.constData() + m_offset, size_t(n));
    m_offset += n;
    if (m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    }
    if (m_stalled && pending() < kLowWater) {
        m_stalled = false;
        resumeLater(); // the connection stopped reading at the high-water mark: read on
    }
    return n;
}

void RequestBody::drop()
{
    m_dropping = true;
    m_buffer = QByteArray();
    m_offset = 0;
    if (m_stalled) {
        m_stalled = false;
        resumeLater();
    }
}

void RequestBody::resumeLater()
{
    // Queued, so the connection never appends from inside the reader's read.
    QPointer<RequestBody> self(this);
    QMetaObject::invokeMethod(
        this,
        [self] {
            if (self && self->m_resume) {
                self->m_resume();
            }
        },
        Qt::QueuedConnection);
}

QByteArray multipartBoundary(const QByteArray &contentType)
{
    for (QByteArray part : contentType.split(';')) {
        part = part.trimmed();
        if (part.size() > 9 && qstrnicmp(part.constData(), "boundary=", 9) == 0) {
            QByteArray b = part.mid(9).trimmed();
            if (b.size() >= 2 && b.startsWith('"') && b.endsWith('"')) {
                b = b.mid(1, b.size() - 2);
            }
            return b;
        }
    }
    return {};
}

MultipartField multipartField(QByteArrayView body, const QByteArray &boundary, const QByteArray &name, bool complete)
{
    using State = MultipartField::State;
    const MultipartField needMore{complete ? State::Absent : State::NeedMore, {}};
    if (boundary.isEmpty()) {
        return {State::Absent, {}};
    }
    const QByteArray delimiter = "--" + boundary;
    qsizetype at = body.indexOf(delimiter);
    while (at >= 0) {
        qsizetype headStart = at + delimiter.size();
        if (body.size() < headStart + 2) {
            return needMore;
        }
        if (body.sliced(headStart).startsWith("--")) {
            return {State::Absent, {}}; // the closing delimiter
        }
        headStart = body.indexOf("\r\n", headStart);
        if (headStart < 0) {
            return needMore;
        }
        headStart += 2;
        const qsizetype headEnd = body.indexOf("\r\n\r\n", headStart);
        if (headEnd < 0) {
            return needMore;
        }
        const QByteArray head = body.sliced(headStart, headEnd - headStart).toByteArray();
        QByteArray fieldName;
        bool isFile = false;
        for (const QByteArray &line : head.split('\n')) {
            const QByteArray l = line.trimmed();
            if (qstrnicmp(l.constData(), "content-disposition:", 20) != 0) {
                continue;
            }
            for (QByteArray param : l.mid(20).split(';')) {
                param = param.trimmed();
                if (param.startsWith("name=")) {
                    fieldName = param.mid(5);
                } else if (param.startsWith("filename")) {
                    isFile = true;
                }
            }
        }
        if (fieldName.size() >= 2 && fieldName.startsWith('"') && fieldName.endsWith('"')) {
            fieldName = fieldName.mid(1, fieldName.size() - 2);
        }
        if (isFile) {
            return {State::Absent, {}}; // a file part first: what follows is not looked at (never held)
        }
        const qsizetype valueStart = headEnd + 4;
        const qsizetype next = body.indexOf("\r\n" + delimiter, valueStart);
        if (next < 0) {
            return needMore;
        }
        if (fieldName == name) {
            return {State::Found, QString::fromUtf8(body.sliced(valueStart, next - valueStart)).trimmed()};
        }
        at = next + 2;
    }
    return needMore;
}

} // namespace gpudeck
