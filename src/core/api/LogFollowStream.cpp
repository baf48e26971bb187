#include "api/LogFollowStream.h"

#include "api/ApiResponse.h"
#include "api/ResponseStream.h"
#include "metrics/NvidiaSmiParser.h"

#include <QJsonDocument>

namespace gpudeck {

void streamLogFollow(const std::shared_ptr<ResponseStream> &stream, const StartLogFollow &start,
                     std::function<QJsonObject(const Status &status)> endEvent)
{
    auto buffer = std::make_shared<LineBuffer>();
    auto output = [stream, buffer](const QByteArray &chunk) {
        for (const QString &line : buffer->append(chunk)) {
            stream->write(ResponseStream::sseEvent(line.toUtf8()));
        }
    };
    auto finished = [stream, buffer, endEvent = std::move(endEvent)](const Status &status) {
        for (const QString &line : buffer->finish()) { // a last line without a newline
            stream->write(ResponseStream::sseEvent(line.toUtf8()));
        }
        stream->write(ResponseStream::sseEvent(QJsonDocument(endEvent(status)).toJson(QJsonDocument::Compact),
                                               QByteArrayLiteral("end")));
        stream->end();
    };
    const auto follow = start(std::move(output), std::move(finished));
    if (!follow.ok()) {
        stream->respond(ApiResponse::fromError(follow.error()));
        return;
    }
    stream->begin(200, QByteArrayLiteral("text/event-stream"));
    std::shared_ptr<JobLogFollow> follower = follow.value();
    stream->onClosed([follower] { follower->stop(); });
}

} // namespace gpudeck
