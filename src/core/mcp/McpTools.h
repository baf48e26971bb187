#pragma once

#include "api/ApiRequest.h"
#include "api/ApiResponse.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace gpudeck {

class ApiDescription;
class Router;

// The MCP tools: one per API capability, each calling its route in process (ApiDispatch::call) so that
// validation, the core's rules and the audit log are the very ones of the REST API. A tool's schemas come
// from the API description (docs/openapi.yaml): its inputSchema gathers the route's path parameters, query
// parameters and body fields as properties; its outputSchema is the route's 2xx answer (an array wrapped as
// {"items": [...]}, an empty answer as {"ok": true}). Destructive tools take "confirm": without
// `"confirm": true` they do nothing and answer what they would do (the route's own dry-run plan where it has
// one, else the request they would send).
class McpTools
{
public:
    // How a tool treats the world, for its annotations and the confirm rule.
    enum class Kind { Read, Write, Destructive };

    struct Spec
    {
        QString name;
        QString title;
        QString description;
        QByteArray method;
        QString pattern; // the route, as the Router spells it
        Kind kind = Kind::Read;
        bool idempotent = false;
        QStringList omit{};     // query parameters of the route the tool does not offer (e.g. a stream's follow)
        QString requireQuery{}; // a query parameter the tool always needs (and is offered only if the route takes)
    };

    struct Tool
    {
        Spec spec;
        QJsonObject definition;  // as tools/list lists it
        QStringList pathParams;  // argument names that fill the route's :params
        QStringList queryParams; // argument names sent as query parameters
        QStringList bodyFields;  // argument names sent in the JSON body
        QStringList required;
        bool routeTakesConfirm = false; // the route's body has a confirm of its own (swap): pass it through
        bool dryRunInBody = false;      // the route plans a dry run with "dry_run": true in its body
        bool dryRunInQuery = false;     // ... or with ?dry_run=true (DELETE)
        bool answersText = false;       // the route may answer text (text/markdown, text/html): see result()
    };

    // The tool table, built for the routes `router` has (a tool whose route is absent is left out).
    McpTools(const Router &router, const ApiDescription &description);

    const QList<Tool> &tools() const { return m_tools; }
    const Tool *find(const QString &name) const;
    // tools/list's answer.
    QJsonArray definitions() const;

    // Every tool's specification, whether or not this build's router has its route (for docs checks).
    static const QList<Spec> &specs();

    // What a tools/call turns into: the API request to dispatch, or (a dry run without a plan of the route's
    // own) the answer to give at once. An argument error (unknown name, missing path parameter, wrong JSON type)
    // is `error`: JSON-RPC -32602.
    struct Call
    {
        std::optional<ApiRequest> request;
        std::optional<QJsonObject> result;
        QString error;
    };
    static Call prepare(const Tool &tool, const QJsonObject &arguments);

    // The CallToolResult for the route's answer: structuredContent and the same JSON as text on success,
    // isError with the API's error code and message otherwise. A text answer (a report asked for as Markdown or
    // HTML) is the text itself as the content, and {"content_type", "text"} as structuredContent (a tool that may
    // answer text declares that shape as one branch of its outputSchema).
    static QJsonObject result(const Tool &tool, const ApiResponse &response);

private:
    QList<Tool> m_tools;
};

} // namespace gpudeck
