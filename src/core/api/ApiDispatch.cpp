#include "api/ApiDispatch.h"

#include "api/ResponseStream.h"
#include "logging/Logging.h"
#include "store/AuditRepository.h"
#include "store/Database.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPromise>

namespace gpudeck {

namespace {

// The route's own work: 404/405, query parameters, the body, the handler. `fields` (when given) receives the names
// of the body's fields once it is parsed.
ApiDispatch::Answer runRoute(Router::Match &match, ApiRequest request, const ApiDispatch::StreamOpener &openStream,
                             QStringList *fields)
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
        if (fields) {
            *fields = request.json.keys();
        }
    }

    request.params = std::move(match.params);
    if (match.asyncHandler) {
        return (*match.asyncHandler)(request);
    }
    if (match.streamHandler) {
        (*match.streamHandler)(request, openStream());
        return ApiDispatch::Streamed{};
    }
    ApiResponse response = (*match.handler)(request);
    qCDebug(lcApi) << request.method << request.path << request.caller << response.status;
    return response;
}

// Records an action's answer: its status, and "ok" or the error's code; a create's new id when the path had none.
void recordAnswer(AuditRepository &audit, AuditEntry entry, const ApiResponse &response)
{
    entry.status = response.status;
    // The answer is read only for what it may add: an error's code, a dry run's mark, a new id. An ordinary success
    // (most actions; a PUT answers its whole object) is not parsed again.
    const bool created = entry.target.isEmpty() && (response.status == 201 || response.status == 202);
    const bool readBody =
        response.contentType.startsWith("application/json") &&
        (response.status >= 400 || created || (response.status == 200 && response.body.contains("\"dry_run\"")));
    const QJsonObject body = readBody ? QJsonDocument::fromJson(response.body).object() : QJsonObject();
    entry.outcome = response.status < 400 ? QStringLiteral("ok")
                                          : body.value(QStringLiteral("error"))
                                                .toObject()
                                                .value(QStringLiteral("code"))
                                                .toString(QStringLiteral("error"));
    if (response.status == 200 && body.value(QStringLiteral("dry_run")).toBool()) {
        entry.outcome = QStringLiteral("dry_run"); // only asked what would happen: nothing was done
    }
    if (created) {
        const QJsonValue id = body.value(QStringLiteral("id"));
        entry.target = id.isDouble() ? QString::number(id.toInteger()) : id.toString();
    }
    if (Status s = audit.record(entry); !s.ok()) {
        qCWarning(lcApi).noquote() << s.error().message;
    }
}

} // namespace

ApiDispatch::Answer ApiDispatch::invoke(Router::Match &match, ApiRequest request, const StreamOpener &openStream)
{
    // Every action (Router::setAudited) is recorded here, whoever asks: this is the one path from a request, HTTP or
    // in-process (MCP), to its handler. What is recorded never includes a body's values (AuditEntry).
    AuditRepository *audit = request.router ? request.router->auditLog() : nullptr;
    if (!audit || match.outcome != Router::Outcome::Found || !match.audited) {
        return runRoute(match, std::move(request), openStream, nullptr);
    }
    AuditEntry entry;
    entry.origin = request.caller;
    entry.method = QString::fromLatin1(request.method);
    entry.route = match.pattern;
    entry.target = match.params.value(QStringLiteral("id"));
    if (entry.target.isEmpty() && !match.params.isEmpty()) {
        entry.target = match.params.begin().value();
    }
    QObject *context = request.context;
    // An action runs under the store's write lock (its synchronous part, the audit entry included): actions from
    // several API threads are serialised as they were on one thread, so a handler's read-modify-write never loses
    // another's update, while reads run in parallel (decision 137). An async route's later part runs without it.
    auto writing = audit->database().writeLock();
    Answer answer = runRoute(match, std::move(request), openStream, &entry.fields);
    if (const auto *response = std::get_if<ApiResponse>(&answer)) {
        recordAnswer(*audit, entry, *response);
        return answer;
    }
    if (auto *future = std::get_if<QFuture<ApiResponse>>(&answer)) {
        auto record = [audit, entry](const ApiResponse &response) {
            recordAnswer(*audit, entry, response);
            return response;
        };
        return context ? future->then(context, record) : future->then(record);
    }
    entry.status = 200;
    entry.outcome = QStringLiteral("streamed");
    if (Status s = audit->record(entry); !s.ok()) {
        qCWarning(lcApi).noquote() << s.error().message;
    }
    return answer;
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
