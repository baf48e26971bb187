#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace gpudeck {

// The API's description, docs/openapi.yaml (the one source: it is compiled into the core as a resource), read
// once and converted to JSON: served as GET /api/openapi.json, and asked by the MCP server for the schemas of
// its tools. Immutable after loading, so any thread may read it.
class ApiDescription
{
public:
    // The description compiled into this build (loaded on first use).
    static const ApiDescription &builtIn();

    // Reads an OpenAPI document in YAML (or JSON). Not valid: an empty description, and `error` says why.
    static ApiDescription fromYaml(const QByteArray &yaml, QString *error = nullptr);

    bool isValid() const { return !m_document.isEmpty(); }
    const QJsonObject &document() const { return m_document; }
    // The document as compact JSON, what GET /api/openapi.json answers.
    const QByteArray &json() const { return m_json; }

    // The operation for a route as the Router spells it ("GET", "/api/dgx/jobs/:id"); empty when undescribed.
    QJsonObject operation(const QByteArray &method, const QString &routePattern) const;

    // The JSON Schema (2020-12) of the operation's first 2xx JSON response (a 200 that is only a dry run's ActionPlan
    // does not count: MCP tools add their dry-run answer themselves), self-contained: every $ref inlined,
    // OpenAPI 3.0's `nullable` turned into a type union, keywords JSON Schema does not know dropped or converted
    // (`example` becomes `examples`; OpenAPI's own formats like int64 are dropped). Empty when the operation
    // answers no JSON (204) or is undescribed.
    QJsonObject responseSchema(const QByteArray &method, const QString &routePattern) const;
    // The media types of the operation's first 2xx response other than JSON (e.g. text/markdown, text/html): the
    // route can answer text (chosen by a query parameter), which an MCP tool hands back as text.
    QStringList textResponseTypes(const QByteArray &method, const QString &routePattern) const;
    // The HTTP status of that first 2xx response (0 when there is none).
    int successStatus(const QByteArray &method, const QString &routePattern) const;
    // The request body's JSON Schema, self-contained like responseSchema(); empty when it takes no body.
    QJsonObject requestSchema(const QByteArray &method, const QString &routePattern) const;
    // The operation's parameters (path-level and operation-level, $refs inlined), each {name, in, required,
    // description, schema} with a self-contained schema.
    QList<QJsonObject> parameters(const QByteArray &method, const QString &routePattern) const;

    // `schema` with every $ref (into this document) inlined and converted to plain JSON Schema.
    QJsonObject toJsonSchema(const QJsonObject &schema) const;

    // "/api/dgx/jobs/:id" -> "/api/dgx/jobs/{id}".
    static QString openApiPath(const QString &routePattern);

private:
    QJsonValue resolve(const QJsonValue &value, int depth) const;
    QJsonObject resolveObject(const QJsonObject &maybeRef) const; // follows $refs, merging (parameters, responses)
    QJsonObject lookup(const QString &ref) const;                 // the object a local $ref points at

    QJsonObject m_document;
    QByteArray m_json;
};

} // namespace gpudeck
