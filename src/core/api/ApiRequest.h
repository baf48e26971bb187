#pragma once

#include "Result.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>
#include <memory>

class QObject;

namespace gpudeck {

class RequestBody;
class Router;

// A request as a route handler sees it: already authenticated and checked by the RequestGuard.
struct ApiRequest
{
    QByteArray method;
    QString path;
    QHash<QString, QString> params; // from the route pattern, e.g. {"id": "spark-1"}
    QUrlQuery query;
    QByteArray body;
    QJsonObject json; // the parsed body of a POST/PUT (the server refuses bodies that are not a JSON object)
    QList<QPair<QByteArray, QByteArray>> headers; // as sent (HTTP); what an in-process caller chose to pass
    QString caller = QStringLiteral("api");       // who asks, for audit logs: "api" (HTTP), "mcp" (an MCP tool call)
    QObject *context = nullptr;                   // an object on the API thread, for continuations of async work
    const Router *router = nullptr;               // the router that routed this request, for in-process calls (MCP)
    // A body still arriving, read by the handler as it comes (Router::setStreamedBody; HTTP only: an in-process
    // caller passes `body`).
    std::shared_ptr<RequestBody> bodyStream{};

    QString param(const QString &name) const { return params.value(name); }
    QString queryValue(const QString &name) const { return query.queryItemValue(name, QUrl::FullyDecoded); }
    bool queryFlag(const QString &name) const;
    // A request header's value (the name case-insensitive); empty when absent.
    QByteArray header(const char *name) const;

    // An integer path parameter: NotFound when it is not a positive integer.
    Result<qint64> idParam(const QString &name, const QString &what) const;

    // Arrays and objects nested deeper than this are refused: Qt would accept 1,024 levels and store them,
    // and clients that read them back (the list routes) fail on them.
    static constexpr int kMaxJsonDepth = 64;
    // A request body as the JSON object every POST/PUT takes: a Validation error with reason
    // "malformed_json" when it is not JSON, not an object, or nested deeper than kMaxJsonDepth.
    static Result<QJsonObject> parseJsonObject(const QByteArray &body);
    // Whether `body` is any JSON document at all (an object or not).
    static bool isJson(const QByteArray &body);
    // How deeply arrays and objects nest in `json` (strings skipped), counting at most to `stopAfter` + 1.
    static int jsonDepth(QByteArrayView json, int stopAfter = kMaxJsonDepth);
};

} // namespace gpudeck
