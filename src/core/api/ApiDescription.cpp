#include "api/ApiDescription.h"

#include "logging/Logging.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <yaml-cpp/yaml.h>

namespace gpudeck {
namespace {

// $refs nested deeper than this (a schema that refers to itself) become "any value" instead of recursing.
constexpr int kMaxRefDepth = 24;

QString text(const YAML::Node &node)
{
    return QString::fromStdString(node.Scalar());
}

// YAML 1.2's core schema: a plain scalar reads as null, a boolean, an integer or a float when it looks like
// one; a quoted or block scalar is always a string. (No YAML 1.1 "yes"/"no" booleans: an enum of 'yes' and
// 'no' must stay strings.)
QJsonValue toJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject o;
        for (auto it = node.begin(); it != node.end(); ++it) {
            o.insert(text(it->first), toJson(it->second));
        }
        return o;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray a;
        for (const YAML::Node &item : node) {
            a.append(toJson(item));
        }
        return a;
    }
    case YAML::NodeType::Scalar: {
        const QString s = text(node);
        if (node.Tag() != "?") {
            return s; // quoted ('200'), a block scalar, or explicitly tagged
        }
        static const QRegularExpression integer(QStringLiteral("^[-+]?[0-9]+$"));
        static const QRegularExpression real(QStringLiteral("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"));
        if (integer.match(s).hasMatch()) {
            bool ok = false;
            const qlonglong i = s.toLongLong(&ok);
            if (ok) {
                return i;
            }
        }
        if (real.match(s).hasMatch()) {
            return s.toDouble();
        }
        if (s == QStringLiteral("true") || s == QStringLiteral("True") || s == QStringLiteral("TRUE")) {
            return true;
        }
        if (s == QStringLiteral("false") || s == QStringLiteral("False") || s == QStringLiteral("FALSE")) {
            return false;
        }
        if (s == QStringLiteral("null") || s == QStringLiteral("Null") || s == QStringLiteral("NULL") ||
            s == QStringLiteral("~")) {
            return QJsonValue();
        }
        return s;
    }
    default:
        return QJsonValue();
    }
}

// OpenAPI's own formats, which a JSON Schema validator does not know (ajv refuses unknown formats).
bool isOpenApiFormat(const QString &format)
{
    static const QStringList formats{QStringLiteral("int32"),   QStringLiteral("int64"), QStringLiteral("float"),
                                     QStringLiteral("double"),  QStringLiteral("byte"),  QStringLiteral("binary"),
                                     QStringLiteral("password")};
    return formats.contains(format);
}

// Keywords whose value is one schema, a list of schemas, or a map of name to schema.
const QStringList &schemaKeywords()
{
    static const QStringList k{QStringLiteral("items"),
                               QStringLiteral("not"),
                               QStringLiteral("if"),
                               QStringLiteral("then"),
                               QStringLiteral("else"),
                               QStringLiteral("contains"),
                               QStringLiteral("propertyNames"),
                               QStringLiteral("additionalProperties"),
                               QStringLiteral("unevaluatedItems"),
                               QStringLiteral("unevaluatedProperties")};
    return k;
}
const QStringList &schemaListKeywords()
{
    static const QStringList k{QStringLiteral("allOf"), QStringLiteral("anyOf"), QStringLiteral("oneOf"),
                               QStringLiteral("prefixItems")};
    return k;
}
const QStringList &schemaMapKeywords()
{
    static const QStringList k{QStringLiteral("properties"), QStringLiteral("patternProperties"),
                               QStringLiteral("$defs"), QStringLiteral("dependentSchemas")};
    return k;
}

} // namespace

const ApiDescription &ApiDescription::builtIn()
{
    static const ApiDescription description = [] {
        QFile file(QStringLiteral(":/gpudeck/api/openapi.yaml"));
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcApi) << "the API description is missing from this build:" << file.errorString();
            return ApiDescription();
        }
        QString error;
        ApiDescription d = fromYaml(file.readAll(), &error);
        if (!d.isValid()) {
            qCWarning(lcApi).noquote() << "the API description cannot be read:" << error;
        }
        return d;
    }();
    return description;
}

ApiDescription ApiDescription::fromYaml(const QByteArray &yaml, QString *error)
{
    ApiDescription d;
    try {
        const QJsonValue root = toJson(YAML::Load(yaml.toStdString()));
        if (!root.isObject() || !root.toObject().contains(QStringLiteral("paths"))) {
            if (error) {
                *error = QStringLiteral("not an OpenAPI document (no 'paths')");
            }
            return d;
        }
        d.m_document = root.toObject();
        d.m_json = QJsonDocument(d.m_document).toJson(QJsonDocument::Compact);
    } catch (const YAML::Exception &e) {
        if (error) {
            *error = QString::fromStdString(e.what());
        }
    }
    return d;
}

QString ApiDescription::openApiPath(const QString &routePattern)
{
    QStringList segments = routePattern.split(QLatin1Char('/'));
    for (QString &s : segments) {
        if (s.startsWith(QLatin1Char(':'))) {
            s = QLatin1Char('{') + s.mid(1) + QLatin1Char('}');
        }
    }
    return segments.join(QLatin1Char('/'));
}

QJsonObject ApiDescription::operation(const QByteArray &method, const QString &routePattern) const
{
    const QJsonObject path =
        m_document.value(QStringLiteral("paths")).toObject().value(openApiPath(routePattern)).toObject();
    return path.value(QString::fromLatin1(method).toLower()).toObject();
}

QJsonObject ApiDescription::lookup(const QString &ref) const
{
    if (!ref.startsWith(QStringLiteral("#/"))) {
        return {};
    }
    QJsonValue target = m_document;
    for (const QString &part : ref.mid(2).split(QLatin1Char('/'))) {
        QString key = part;
        key.replace(QStringLiteral("~1"), QStringLiteral("/")).replace(QStringLiteral("~0"), QStringLiteral("~"));
        target = target.toObject().value(key);
    }
    return target.toObject();
}

QJsonObject ApiDescription::resolveObject(const QJsonObject &maybeRef) const
{
    QJsonObject current = maybeRef;
    for (int i = 0; i < kMaxRefDepth && current.contains(QStringLiteral("$ref")); ++i) {
        const QString ref = current.value(QStringLiteral("$ref")).toString();
        if (!ref.startsWith(QStringLiteral("#/"))) {
            return {};
        }
        QJsonValue target = m_document;
        for (const QString &part : ref.mid(2).split(QLatin1Char('/'))) {
            QString key = part;
            key.replace(QStringLiteral("~1"), QStringLiteral("/")).replace(QStringLiteral("~0"), QStringLiteral("~"));
            target = target.toObject().value(key);
        }
        QJsonObject next = target.toObject();
        for (auto it = current.begin(); it != current.end(); ++it) {
            if (it.key() != QStringLiteral("$ref")) {
                next.insert(it.key(), it.value()); // siblings of a $ref (3.1: description, ...) win
            }
        }
        current = next;
    }
    return current;
}

QJsonValue ApiDescription::resolve(const QJsonValue &value, int depth) const
{
    if (!value.isObject()) {
        return value;
    }
    if (depth > kMaxRefDepth) {
        return QJsonObject{};
    }
    QJsonObject in = value.toObject();
    if (in.contains(QStringLiteral("$ref"))) {
        // One step at a time: the target may be a $ref with siblings of its own.
        // A $ref beside keywords of its own (3.1: `$ref: Fields` plus `properties` and `unevaluatedProperties`)
        // is an applicator like allOf: merged, the siblings would replace the target's keywords instead of adding
        // to them. Beside annotations only (description, ...) merging is the same thing, and flatter.
        static const QStringList annotations{
            QStringLiteral("$ref"),     QStringLiteral("description"), QStringLiteral("title"),
            QStringLiteral("readOnly"), QStringLiteral("writeOnly"),   QStringLiteral("deprecated"),
            QStringLiteral("default"),  QStringLiteral("example"),     QStringLiteral("examples")};
        bool onlyAnnotations = true;
        for (auto it = in.begin(); it != in.end(); ++it) {
            onlyAnnotations = onlyAnnotations && annotations.contains(it.key());
        }
        const QJsonObject target = lookup(in.value(QStringLiteral("$ref")).toString());
        in.remove(QStringLiteral("$ref"));
        if (onlyAnnotations) {
            QJsonObject merged = target;
            for (auto it = in.begin(); it != in.end(); ++it) {
                merged.insert(it.key(), it.value());
            }
            return resolve(merged, depth + 1);
        }
        QJsonArray all = in.value(QStringLiteral("allOf")).toArray();
        all.prepend(target);
        in.insert(QStringLiteral("allOf"), all);
        return resolve(in, depth + 1);
    }
    QJsonObject out;
    bool nullable = false;
    for (auto it = in.begin(); it != in.end(); ++it) {
        const QString &key = it.key();
        if (key == QStringLiteral("nullable")) {
            nullable = it.value().toBool();
        } else if (key == QStringLiteral("example")) {
            out.insert(QStringLiteral("examples"), QJsonArray{it.value()});
        } else if (key == QStringLiteral("discriminator") || key == QStringLiteral("xml") ||
                   key == QStringLiteral("externalDocs") || key.startsWith(QStringLiteral("x-"))) {
            continue;
        } else if (key == QStringLiteral("format") && isOpenApiFormat(it.value().toString())) {
            continue;
        } else if (schemaKeywords().contains(key) && it.value().isObject()) {
            out.insert(key, resolve(it.value(), depth + 1));
        } else if (schemaListKeywords().contains(key) && it.value().isArray()) {
            QJsonArray list;
            for (const QJsonValue &s : it.value().toArray()) {
                list.append(resolve(s, depth + 1));
            }
            out.insert(key, list);
        } else if (schemaMapKeywords().contains(key) && it.value().isObject()) {
            QJsonObject map;
            const QJsonObject m = it.value().toObject();
            for (auto p = m.begin(); p != m.end(); ++p) {
                map.insert(p.key(), resolve(p.value(), depth + 1));
            }
            out.insert(key, map);
        } else {
            out.insert(key, it.value());
        }
    }
    if (nullable) {
        const QJsonValue type = out.value(QStringLiteral("type"));
        if (type.isString()) {
            out.insert(QStringLiteral("type"), QJsonArray{type, QStringLiteral("null")});
        } else if (type.isArray()) {
            QJsonArray types = type.toArray();
            if (!types.contains(QStringLiteral("null"))) {
                types.append(QStringLiteral("null"));
            }
            out.insert(QStringLiteral("type"), types);
        } else if (!out.isEmpty()) {
            out = QJsonObject{{QStringLiteral("anyOf"),
                               QJsonArray{out, QJsonObject{{QStringLiteral("type"), QStringLiteral("null")}}}}};
        }
        if (out.contains(QStringLiteral("enum"))) {
            QJsonArray values = out.value(QStringLiteral("enum")).toArray();
            if (!values.contains(QJsonValue())) {
                values.append(QJsonValue());
            }
            out.insert(QStringLiteral("enum"), values);
        }
    }
    return out;
}

QJsonObject ApiDescription::toJsonSchema(const QJsonObject &schema) const
{
    return resolve(schema, 0).toObject();
}

namespace {

// Whether a response is only a dry run's plan (the ActionPlan a destructive route answers for "dry_run": true):
// not the operation's own success, which is what callers here describe.
bool onlyAPlan(const QJsonObject &response)
{
    const QJsonObject schema = response.value(QStringLiteral("content"))
                                   .toObject()
                                   .value(QStringLiteral("application/json"))
                                   .toObject()
                                   .value(QStringLiteral("schema"))
                                   .toObject();
    return schema.value(QStringLiteral("$ref")).toString() == QStringLiteral("#/components/schemas/ActionPlan");
}

QJsonObject firstSuccess(const QJsonObject &responses, int *status)
{
    QStringList codes = responses.keys();
    codes.sort();
    for (const QString &code : codes) {
        const int n = code.toInt();
        if (n >= 200 && n < 300 && !onlyAPlan(responses.value(code).toObject())) {
            if (status) {
                *status = n;
            }
            return responses.value(code).toObject();
        }
    }
    if (status) {
        *status = 0;
    }
    return {};
}

} // namespace

QJsonObject ApiDescription::responseSchema(const QByteArray &method, const QString &routePattern) const
{
    const QJsonObject response = resolveObject(
        firstSuccess(operation(method, routePattern).value(QStringLiteral("responses")).toObject(), nullptr));
    const QJsonObject content = response.value(QStringLiteral("content")).toObject();
    if (!content.contains(QStringLiteral("application/json"))) {
        return {};
    }
    return toJsonSchema(
        content.value(QStringLiteral("application/json")).toObject().value(QStringLiteral("schema")).toObject());
}

QStringList ApiDescription::textResponseTypes(const QByteArray &method, const QString &routePattern) const
{
    const QJsonObject response = resolveObject(
        firstSuccess(operation(method, routePattern).value(QStringLiteral("responses")).toObject(), nullptr));
    QStringList out;
    const QStringList types = response.value(QStringLiteral("content")).toObject().keys();
    for (const QString &type : types) {
        if (type.startsWith(QStringLiteral("text/"))) {
            out.append(type);
        }
    }
    return out;
}

int ApiDescription::successStatus(const QByteArray &method, const QString &routePattern) const
{
    int status = 0;
    firstSuccess(operation(method, routePattern).value(QStringLiteral("responses")).toObject(), &status);
    return status;
}

QJsonObject ApiDescription::requestSchema(const QByteArray &method, const QString &routePattern) const
{
    const QJsonObject body =
        resolveObject(operation(method, routePattern).value(QStringLiteral("requestBody")).toObject());
    const QJsonObject json =
        body.value(QStringLiteral("content")).toObject().value(QStringLiteral("application/json")).toObject();
    if (json.isEmpty()) {
        return {};
    }
    return toJsonSchema(json.value(QStringLiteral("schema")).toObject());
}

QList<QJsonObject> ApiDescription::parameters(const QByteArray &method, const QString &routePattern) const
{
    const QJsonObject path =
        m_document.value(QStringLiteral("paths")).toObject().value(openApiPath(routePattern)).toObject();
    QList<QJsonObject> out;
    auto add = [&](const QJsonArray &list) {
        for (const QJsonValue &v : list) {
            QJsonObject p = resolveObject(v.toObject());
            p.insert(QStringLiteral("schema"), toJsonSchema(p.value(QStringLiteral("schema")).toObject()));
            // An operation's parameter replaces the path item's of the same name and place.
            out.removeIf([&p](const QJsonObject &o) {
                return o.value(QStringLiteral("name")) == p.value(QStringLiteral("name")) &&
                       o.value(QStringLiteral("in")) == p.value(QStringLiteral("in"));
            });
            out.append(p);
        }
    };
    add(path.value(QStringLiteral("parameters")).toArray());
    add(operation(method, routePattern).value(QStringLiteral("parameters")).toArray());
    return out;
}

} // namespace gpudeck
