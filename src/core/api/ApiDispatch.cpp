#include "api/ApiDispatch.h"

#include "api/ResponseStream.h"
#include "logging/Logging.h"

#include <QPromise>

namespace gpudeck {

ApiDispatch::Answer ApiDispatch::invoke(Router::Match &match, ApiRequest request, const StreamOpener &openStream)
{
    if (match.outcome == Router::Outcome::NoSuchPath) {
        return ApiResponse::error(
            404, QStringLiteral("not_found"),
            QStringLiteral("no endpoint %1 %2").arg(QString::fromLatin1(request.method), request.path));
    }
    if (match.outcome == Router::Outcome::MethodNotAllowed) {
        ApiResponse r = ApiResponse::error(
            405, QStringLiteral("method_not_allowed"),
            QStringLiteral("%1 is not allowed on %2").arg(QString::fromLatin1(request.method), request.path));
        r.headers.append({QByteArrayLiteral("Allow"), match.allowedMethods.join(", ")});
        return r;
    }

    for (const auto &item : request.query.queryItems(QUrl::FullyDecoded)) {
        if (!match.queryParams.contains(item.first)) {
            const QString takes =
                match.queryParams.isEmpty()
                    ? QStringLiteral("it takes no query parameters")
                    : QStringLiteral("it takes: %1").arg(match.queryParams.join(QStringLiteral(", ")));
            return ApiResponse::error(400, QStringLiteral("validation_failed"),
                                      QStringLiteral("unknown query parameter '%1' on %2 %3; %4")
                                          .arg(item.first, QString::fromLatin1(request.method), request.path, takes),
                                      item.first);
        }
    }

    if (!match.rawBody && (request.method == "POST" || request.method == "PUT") && !request.body.trimmed().isEmpty()) {
        Result<QJsonObject> json = ApiRequest::parseJsonObject(request.body);
        if (!json) {
            return ApiResponse::fromError(json.error());
        }
        request.json = json.value();
    }

    request.params = std::move(match.params);
    if (match.asyncHandler) {
        return (*match.asyncHandler)(request);
    }
    if (match.streamHandler) {
        (*match.streamHandler)(request, openStream());
        return Streamed{};
    }
    ApiResponse response = (*match.handler)(request);
    qCDebug(lcApi) << request.method << request.path << request.caller << response.status;
    return response;
}

QFuture<ApiResponse> ApiDispatch::call(const Router &router, ApiRequest request)
{
    Router::Match match = router.match(request.method, request.path);
    if (!request.router) {
        request.router = &router;
    }
    auto promise = std::make_shared<QPromise<ApiResponse>>();
    QFuture<ApiResponse> captured = promise->future();
    bool streamed = false;
    Answer answer = invoke(match, std::move(request), [&streamed, promise] {
        streamed = true;
        promise->start();
        return ResponseStream::capture([promise](const ApiResponse &response) {
            promise->addResult(response);
            promise->finish();
        });
    });
    if (auto *response = std::get_if<ApiResponse>(&answer)) {
        return QtFuture::makeReadyFuture(std::move(*response));
    }
    if (auto *future = std::get_if<QFuture<ApiResponse>>(&answer)) {
        return std::move(*future);
    }
    Q_ASSERT(streamed);
    return captured;
}

} // namespace gpudeck
