#pragma once

#include "api/Router.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>
#include <memory>

namespace gpudeck {

class RequestBody;

// One HTTP request as HttpConnection parsed it off the socket (with http_parser), and what HttpServer
// found out about it at the head (the route), so the body and the answer need no second look-up.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; // the request target as sent: "/api/x?y=1" or, absolute-form, "http://host/api/x"
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    qint64 contentLength = -1; // the declared Content-Length; -1 when there is none (chunked, or no body)
    bool chunked = false;
    bool keepAlive = true; // false: the connection closes after the answer (HTTP/1.0, "Connection: close")
    bool http10 = false;   // an HTTP/1.0 keep-alive answer must say so

    // Filled in by HttpServer::admit().
    QUrl url;
    QString path;
    Router::Match match;
    qsizetype bodyLimit = 0;
    std::shared_ptr<RequestBody> bodyStream{}; // a streamed body (Router::setStreamedBody), arriving meanwhile
};

} // namespace gpudeck
