#include "api/RequestGuard.h"

#include <cstring>

namespace gpudeck {

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
    if (host.startsWith('[')) { // [::1]:3939
        const qsizetype end = host.indexOf(']');
        if (end < 0) {
            return false;
        }
        host = host.mid(1, end - 1);
    } else if (const qsizetype colon = host.lastIndexOf(':'); colon >= 0) {
        host.truncate(colon);
    }
    return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

std::optional<ApiResponse> RequestGuard::check(const Request &r) const
{
    const QByteArray host = header(r.headers, "host");
    if (!host.isEmpty() && !isLoopbackHost(host)) {
        return ApiResponse::error(403, QStringLiteral("forbidden_host"),
                                  QStringLiteral("the API answers only requests addressed to a loopback host "
                                                 "(127.0.0.1, localhost, [::1])"));
    }
    if (!header(r.headers, "origin").isEmpty()) {
        return ApiResponse::error(403, QStringLiteral("forbidden_origin"),
                                  QStringLiteral("requests from web pages (with an Origin header) are refused"));
    }
    const qsizetype declared = header(r.headers, "content-length").trimmed().toLongLong();
    if (r.bodySize > kMaxBodyBytes || declared > kMaxBodyBytes) {
        return ApiResponse::error(413, QStringLiteral("payload_too_large"),
                                  QStringLiteral("request bodies are limited to 1 MiB"));
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

    if ((r.method == "POST" || r.method == "PUT" || r.method == "PATCH") && r.bodySize > 0) {
        const QByteArray type = header(r.headers, "content-type").trimmed().toLower();
        const QByteArray mime = type.left(type.indexOf(';') < 0 ? type.size() : type.indexOf(';')).trimmed();
        if (mime != "application/json") {
            return ApiResponse::error(415, QStringLiteral("unsupported_media_type"),
                                      QStringLiteral("request bodies must be JSON with 'Content-Type: application/json'"));
        }
    }
    return std::nullopt;
}

} // namespace gpudeck
