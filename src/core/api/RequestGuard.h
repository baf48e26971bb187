#pragma once

#include "api/ApiResponse.h"
#include "app/ApiToken.h"

#include <QByteArray>
#include <QList>
#include <QPair>

#include <optional>

namespace gpudeck {

// The API's security rules, applied to every request before routing:
//  - a Host header that is not loopback is refused (DNS rebinding), 403;
//  - any Origin header is refused (a web page trying a cross-site request), 403;
//  - bodies over 1 MiB are refused, 413;
//  - a token is required everywhere but GET /api/health, 401;
//  - a POST/PUT body must be application/json, 415.
class RequestGuard
{
public:
    static constexpr qsizetype kMaxBodyBytes = 1024 * 1024;

    struct Request
    {
        QByteArray method;
        QString path;
        QList<QPair<QByteArray, QByteArray>> headers;
        qsizetype bodySize = 0;
    };

    explicit RequestGuard(ApiToken token);

    // nullopt when the request may proceed, else the refusal to send.
    std::optional<ApiResponse> check(const Request &request) const;

    static QByteArray header(const QList<QPair<QByteArray, QByteArray>> &headers, const char *name);
    static bool isLoopbackHost(const QByteArray &hostHeader);

private:
    ApiToken m_token;
};

} // namespace gpudeck
