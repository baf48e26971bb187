#pragma once

#include "Result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

namespace gpudeck {

// What a route answers. JSON in and out; errors always as {"error": {"code", "message"[, "field"]}}.
struct ApiResponse
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QList<QPair<QByteArray, QByteArray>> headers;

    static ApiResponse json(const QJsonObject &object, int status = 200);
    static ApiResponse json(const QJsonArray &array, int status = 200);
    // JSON already written (store/RowJson.h: rows straight to bytes), or the error.
    static ApiResponse json(const Result<QByteArray> &json, int status = 200);
    static ApiResponse noContent();
    // An HTTP-level error with its own code string (e.g. 401 "unauthorized").
    static ApiResponse error(int status, const QString &code, const QString &message, const QString &field = {});
    // A core error, mapped to its HTTP status in exactly one place (ErrorMapping.cpp).
    static ApiResponse fromError(const Error &error);
};

} // namespace gpudeck
