#pragma once

// JsonSchema: a small JSON Schema (2020-12) checker for the parts OpenAPI 3.1 descriptions use: local $ref, allOf /
// anyOf / oneOf / not, if/then/else, type (one or a list), enum, const, properties, required,
// additionalProperties (false or a schema), unevaluatedProperties: false (the properties named by the schema, its
// allOf/anyOf/oneOf branches and if/then/else, through $ref), items, minItems/maxItems, minimum/maximum,
// minLength/maxLength and pattern. Formats are not checked. Enough to hold a fake server's requests and answers to
// the description it was built from.

#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QStringList>

namespace gpudeck::test {

class JsonSchema
{
public:
    // `document`: the whole OpenAPI document (for "#/components/..." references).
    explicit JsonSchema(QJsonObject document);

    // The problems of `value` against `schema`, as "$.path: what is wrong"; empty when it conforms.
    QStringList check(const QJsonValue &value, const QJsonValue &schema) const;
    // The same against "#/components/schemas/<name>".
    QStringList checkNamed(const QJsonValue &value, const QString &name) const;

    const QJsonObject &document() const { return m_doc; }
    QJsonObject resolve(const QJsonObject &schema) const; // follows $ref chains

private:
    void visit(const QJsonValue &value, const QJsonObject &schema, const QString &path, QStringList &errors) const;
    void knownProperties(const QJsonObject &schema, QSet<QString> &names, int depth = 0) const;

    QJsonObject m_doc;
};

} // namespace gpudeck::test
