#include "api/RequestGuard.h"

#include <cstring>

namespace gpudeck {
namespace {

ApiResponse forbiddenHost()
{
    return ApiResponse::error(403, QStringLiteral("forbidden_host"),
                              QStringLiteral("the API answers only requests addressed to a loopback host "
                                             "(127.0.0.1, localhost, [::1])"));
}

bool isPort(QByteArrayView digits)
{
    if (digits.isEmpty() || digits.size() > 5) {
        return false;
    }
    for (const char c : digits) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

QString sizeText(qsizetype bytes)
{
    if (bytes % (1024 * 1024) == 0) {
        return QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024));
    }
    if (bytes % 1024 == 0) {
        return QStringLiteral("%1 KiB").arg(bytes / 1024);
    }
    return QStringLiteral("%1 bytes").arg(bytes);
}

} // namespace

RequestGuard::RequestGuard(ApiToken token)
    : m_token(std::move(token))
{
}

QByteArray RequestGuard::header(const QList<QPair<QByteArray, QByteArray>> &headers, const char *name)
{
    for (const auto &h : headers) {
        if (qstricmp(h.first.constData(), name) == 0) {
            return h.second;
        }
    }
    return {};
}

bool RequestGuard::isLoopbackHost(const QByteArray &hostHeader)
{
    QByteArray host = hostHeader.trimmed().toLower();
    QByteArrayView port;
    bool hasPort = false;
    if (host.startsWith('[')) { // [::1]:3939
        const qsizetype end = host.indexOf(']');
        if (end < 0) {
            return false;
        }
        const QByteArrayView rest = QByteArrayView(host).sliced(end + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(':')) {
                return false;
            }
            hasPort = true;
            port = rest.sliced(1);
        }
        host = host.mid(1, end - 1);
    } else if (const qsizetype colon = host.indexOf(':'); colon >= 0) {
        hasPort = true;
        port = QByteArrayView(host).sliced(colon + 1);
        host.truncate(colon);
    }
    if (hasPort && !isPort(port)) {
        return false; // "localhost:evil", "localhost:1:2"
    }
    return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

ApiResponse RequestGuard::payloadTooLarge(qsizetype limit)
{
    return ApiResponse::error(413, QStringLiteral("payload_too_large"),
                              QStringLiteral("request bodies are limited to %1").arg(sizeText(limit)));
}

std::optional<ApiResponse> RequestGuard::checkHead(const Request &r) const
{
    QByteArray host;
    int hosts = 0;
    for (const auto &h : r.headers) {
        if (qstricmp(h.first.constData(), "host") == 0) {
            host = h.second;
            ++hosts;
        }
    }
    if (hosts > 1) {
        return ApiResponse::error(400, QStringLiteral("bad_host"),
                                  QStringLiteral("a request must carry exactly one Host header"));
    }
    if ((hosts == 1 && !isLoopbackHost(host)) || (!r.targetAuthority.isEmpty() && !isLoopbackHost(r.targetAuthority))) {
        return forbiddenHost();
    }
    const QByteArray origin = header(r.headers, "origin").trimmed().toLower();
    // Only the request's own origin may be named: http://<the loopback Host it was sent to>. GPU Deck serves no
    // pages, so no script can run in that origin; any other origin is a web page elsewhere (DNS rebinding, CSRF).
    const bool ownOrigin = hosts == 1 && origin == "http://" + host.trimmed().toLower();
    if (!origin.isEmpty() && !ownOrigin) {
        return ApiResponse::error(403, QStringLiteral("forbidden_origin"),
                                  QStringLiteral("requests from web pages (an Origin header other than the API's "
                                                 "own loopback address) are refused"));
    }
    const bool open = r.method == "GET" && r.path == QStringLiteral("/api/health");
    if (!open) {
        QByteArray presented = header(r.headers, "x-api-key").trimmed();
        if (presented.isEmpty()) {
            const QByteArray auth = header(r.headers, "authorization").trimmed();
            if (auth.size() > 7 && qstrnicmp(auth.constData(), "bearer ", 7) == 0) {
                presented = auth.mid(7).trimmed();
            }
        }
        if (presented.isEmpty()) {
            ApiResponse denied = ApiResponse::error(
                401, QStringLiteral("unauthorized"),
                QStringLiteral("a token is required: send 'Authorization: Bearer <token>' or 'X-API-Key: <token>'"));
            denied.headers.append({QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer")});
            return denied;
        }
        if (!m_token.matches(presented)) {
            ApiResponse denied =
                ApiResponse::error(401, QStringLiteral("unauthorized"), QStringLiteral("the token is not valid"));
            denied.headers.append({QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer")});
            return denied;
        }
    }
    if (r.bodySize > r.bodyLimit) {
        return payloadTooLarge(r.bodyLimit);
    }
    return std::nullopt;
}

QByteArray RequestGuard::mediaType(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    const QByteArray type = header(headers, "content-type").trimmed().toLower();
    const qsizetype semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.left(semicolon)).trimmed();
}

bool RequestGuard::isFormLabelled(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return mediaType(headers) == "application/x-www-form-urlencoded";
}

ApiResponse RequestGuard::notJson(const QByteArray &mediaType)
{
    const QString got = mediaType.isEmpty()
                            ? QStringLiteral("no Content-Type")
                            : QStringLiteral("Content-Type '%1'").arg(QString::fromLatin1(mediaType.left(100)));
    return ApiResponse::error(415, QStringLiteral("unsupported_media_type"),
                              QStringLiteral("request bodies must be JSON (got %1 and a body that is not JSON); "
                                             "send a JSON body with the header -H 'Content-Type: application/json'")
                                  .arg(got));
}

std::optional<ApiResponse> RequestGuard::checkBody(const Request &r)
{
    if (r.bodySize > r.bodyLimit) {
        return payloadTooLarge(r.bodyLimit);
    }
    if ((r.method == "POST" || r.method == "PUT" || r.method == "PATCH") && r.bodySize > 0) {
        const QByteArray mime = mediaType(r.headers);
        // What `curl -d` sends by default. Accepted when the body is JSON (HttpServer checks that, answering
        // notJson() when it is not): the token travels only in a header and Origins are refused, so a cross-site
        // form post can never carry one, and taking it saves every agent and person the -H they forget.
        if (mime == "application/x-www-form-urlencoded") {
            return std::nullopt;
        }
        if (mime != "application/json") {
            const QString got = mime.isEmpty()
                                    ? QStringLiteral("no Content-Type")
                                    : QStringLiteral("Content-Type '%1'").arg(QString::fromLatin1(mime.left(100)));
            return ApiResponse::error(415, QStringLiteral("unsupported_media_type"),
                                      QStringLiteral("request bodies must be JSON (got %1); add the header "
                                                     "-H 'Content-Type: application/json'")
                                          .arg(got));
        }
    }
    return std::nullopt;
}

std::optional<ApiResponse> RequestGuard::check(const Request &r) const
{
    if (auto refusal = checkHead(r)) {
        return refusal;
    }
    return checkBody(r);
}

} // namespace gpudeck
