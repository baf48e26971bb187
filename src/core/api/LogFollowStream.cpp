#include "api/LogFollowStream.h"

#include "api/ApiResponse.h"
#include "api/ResponseStream.h"
#include "metrics/NvidiaSmiParser.h"

#include <QJsonDocument>
#include <QMutex>

namespace gpudeck {
namespace {

// What the callbacks write. A producer may call them before start() has returned, so before the stream has begun
// (ModelLogs hands a follower joining a running log the lines it kept at once): a stream drops what is written
// before it begins, so that is held here and written once it has.
struct FollowWriter
{
    std::shared_ptr<ResponseStream> stream;
    LineBuffer buffer;
    QMutex mutex;
    bool begun = false;
    QByteArray early; // events written before the stream began
    bool endedEarly = false;

    void write(const QByteArray &event) // mutex held
    {
        if (begun) {
            stream->write(event);
        } else {
            early += event;
        }
    }

    void lines(const QStringList &lines) // mutex held
    {
        for (const QString &line : lines) {
            write(ResponseStream::sseEvent(line.toUtf8()));
        }
    }

    void end() // mutex held
    {
        if (begun) {
            stream->end();
        } else {
            endedEarly = true;
        }
    }

    void begin()
    {
        QMutexLocker lock(&mutex);
        stream->begin(200, QByteArrayLiteral("text/event-stream"));
        begun = true;
        stream->write(early);
        early.clear();
        if (endedEarly) {
            stream->end();
        }
    }
};

} // namespace

void streamLogFollow(const std::shared_ptr<ResponseStream> &stream, const StartLogFollow &start,
                     std::function<QJsonObject(const Status &status)> endEvent)
{
    auto writer = std::make_shared<FollowWriter>();
    writer->stream = stream;
    auto output = [writer](const QByteArray &chunk) {
        QMutexLocker lock(&writer->mutex);
        writer->lines(writer->buffer.append(chunk));
    };
    auto finished = [writer, endEvent = std::move(endEvent)](const Status &status) {
        QMutexLocker lock(&writer->mutex);
        writer->lines(writer->buffer.finish()); // a last line without a newline
        writer->write(ResponseStream::sseEvent(QJsonDocument(endEvent(status)).toJson(QJsonDocument::Compact),
                                               QByteArrayLiteral("end")));
        writer->end();
    };
    const auto follow = start(std::move(output), std::move(finished));
    if (!follow.ok()) {
        stream->respond(ApiResponse::fromError(follow.error()));
        return;
    }
    writer->begin();
    std::shared_ptr<JobLogFollow> follower = follow.value();
    stream->onClosed([follower] { follower->stop(); });
}

} // namespace gpudeck
