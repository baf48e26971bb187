#include "JsonSchema.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <cmath>

namespace gpudeck::test {

JsonSchema::JsonSchema(QJsonObject document)
    : m_doc(std::move(document))
{
}

QJsonObject JsonSchema::resolve(const QJsonObject &schema) const
{
    QJsonObject s = schema;
    for (int hops = 0; hops < 32 && s.contains(QStringLiteral("$ref")); ++hops) {
        const QString ref = s.value(QStringLiteral("$ref")).toString();
        if (!ref.startsWith(QStringLiteral("#/"))) {
            return {};
        }
        QJsonValue at = m_doc;
        for (const QString &part : ref.mid(2).split(QLatin1Char('/'))) {
            at = at.toObject().value(part);
        }
        QJsonObject target = at.toObject();
        // Sibling keywords beside $ref (3.1 allows them) apply too.
        for (auto it = s.begin(); it != s.end(); ++it) {
            if (it.key() != QStringLiteral("$ref") && !target.contains(it.key())) {
                target.insert(it.key(), it.value());
            }
        }
        s = target;
    }
    return s;
}

QStringList JsonSchema::check(const QJsonValue &value, const QJsonValue &schema) const
{
    QStringList errors;
    if (schema.isBool()) {
        if (!schema.toBool()) {
            errors << QStringLiteral("$: nothing is allowed here");
        }
        return errors;
    }
    visit(value, schema.toObject(), QStringLiteral("$"), errors);
    return errors;
}

QStringList JsonSchema::checkNamed(const QJsonValue &value, const QString &name) const
{
    return check(value, QJsonObject{{QStringLiteral("$ref"), QStringLiteral("#/components/schemas/") + name}});
}

void JsonSchema::knownProperties(const QJsonObject &raw, QSet<QString> &names, int depth) const
{
    if (depth > 32) {
        return;
    }
    const QJsonObject schema = resolve(raw);
    const QJsonObject props = schema.value(QStringLiteral("properties")).toObject();
    for (auto it = props.begin(); it != props.end(); ++it) {
        names.insert(it.key());
    }
    for (const char *combiner : {"allOf", "anyOf", "oneOf"}) {
        for (const QJsonValue &sub : schema.value(QLatin1String(combiner)).toArray()) {
            knownProperties(sub.toObject(), names, depth + 1);
        }
    }
    for (const char *branch : {"if", "then", "else"}) {
        if (schema.value(QLatin1String(branch)).isObject()) {
            knownProperties(schema.value(QLatin1String(branch)).toObject(), names, depth + 1);
        }
    }
}

namespace {

bool typeMatches(const QJsonValue &v, const QString &type)
{
    if (type == QStringLiteral("object")) {
        return v.isObject();
    }
    if (type == QStringLiteral("array")) {
        return v.isArray();
    }
    if (type == QStringLiteral("string")) {
        return v.isString();
    }
    if (type == QStringLiteral("boolean")) {
        return v.isBool();
    }
    if (type == QStringLiteral("null")) {
        return v.isNull();
    }
    if (type == QStringLiteral("number")) {
        return v.isDouble();
    }
    if (type == QStringLiteral("integer")) {
        return v.isDouble() && v.toDouble() == std::floor(v.toDouble());
    }
    return false;
}

QString describe(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    default:
        return QStringLiteral("nothing");
    }
}

} // namespace

void JsonSchema::visit(const QJsonValue &value, const QJsonObject &raw, const QString &path, QStringList &errors) const
{
    const QJsonObject schema = resolve(raw);
    if (schema.isEmpty()) {
        return;
    }
    const QJsonValue type = schema.value(QStringLiteral("type"));
    if (!type.isUndefined()) {
        QStringList types;
        if (type.isArray()) {
            for (const QJsonValue &t : type.toArray()) {
                types << t.toString();
            }
        } else {
            types << type.toString();
        }
        bool any = false;
        for (const QString &t : std::as_const(types)) {
            any = any || typeMatches(value, t);
        }
        if (!any) {
            errors << QStringLiteral("%1: must be %2, not %3")
                          .arg(path, types.join(QStringLiteral(" or ")), describe(value));
            return;
        }
    }
    if (schema.contains(QStringLiteral("enum")) && !schema.value(QStringLiteral("enum")).toArray().contains(value)) {
        errors << QStringLiteral("%1: must be one of the enum values").arg(path);
    }
    if (schema.contains(QStringLiteral("const")) && schema.value(QStringLiteral("const")) != value) {
        errors << QStringLiteral("%1: must be the constant value").arg(path);
    }
    for (const QJsonValue &sub : schema.value(QStringLiteral("allOf")).toArray()) {
        visit(value, sub.toObject(), path, errors);
    }
    for (const char *combiner : {"anyOf", "oneOf"}) {
        const QJsonArray subs = schema.value(QLatin1String(combiner)).toArray();
        if (subs.isEmpty()) {
            continue;
        }
        int matched = 0;
        QStringList firstErrors;
        for (const QJsonValue &sub : subs) {
            QStringList e;
            visit(value, sub.toObject(), path, e);
            if (e.isEmpty()) {
                ++matched;
            } else if (firstErrors.isEmpty()) {
                firstErrors = e;
            }
        }
        if (matched == 0 || (qstrcmp(combiner, "oneOf") == 0 && matched > 1)) {
            errors << QStringLiteral("%1: matches %2 of the %3 alternatives (%4)")
                          .arg(path)
                          .arg(matched)
                          .arg(QLatin1String(combiner), firstErrors.join(QStringLiteral("; ")));
        }
    }
    if (schema.value(QStringLiteral("not")).isObject()) {
        QStringList e;
        visit(value, schema.value(QStringLiteral("not")).toObject(), path, e);
        if (e.isEmpty()) {
            errors << QStringLiteral("%1: must not match the 'not' schema").arg(path);
        }
    }
    if (schema.value(QStringLiteral("if")).isObject()) {
        QStringList e;
        visit(value, schema.value(QStringLiteral("if")).toObject(), path, e);
        const QString branch = e.isEmpty() ? QStringLiteral("then") : QStringLiteral("else");
        if (schema.value(branch).isObject()) {
            visit(value, schema.value(branch).toObject(), path, errors);
        }
    }
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (const QJsonValue &r : schema.value(QStringLiteral("required")).toArray()) {
            if (!o.contains(r.toString())) {
                errors << QStringLiteral("%1: '%2' is required").arg(path, r.toString());
            }
        }
        const QJsonObject props = schema.value(QStringLiteral("properties")).toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (props.contains(it.key())) {
                visit(it.value(), props.value(it.key()).toObject(), path + QLatin1Char('.') + it.key(), errors);
            }
        }
        const QJsonValue additional = schema.value(QStringLiteral("additionalProperties"));
        if (!additional.isUndefined()) {
            for (auto it = o.begin(); it != o.end(); ++it) {
                if (props.contains(it.key())) {
                    continue;
                }
                if (additional.isBool() && !additional.toBool()) {
                    errors << QStringLiteral("%1: additional property '%2' is not allowed").arg(path, it.key());
                } else if (additional.isObject()) {
                    visit(it.value(), additional.toObject(), path + QLatin1Char('.') + it.key(), errors);
                }
            }
        }
        const QJsonValue unevaluated = schema.value(QStringLiteral("unevaluatedProperties"));
        if (unevaluated.isBool() && !unevaluated.toBool()) {
            QSet<QString> known;
            knownProperties(schema, known);
            for (auto it = o.begin(); it != o.end(); ++it) {
                if (!known.contains(it.key())) {
                    errors << QStringLiteral("%1: unevaluated property '%2' is not allowed").arg(path, it.key());
                }
            }
        }
    }
    if (value.isArray()) {
        const QJsonArray a = value.toArray();
        if (schema.contains(QStringLiteral("maxItems")) &&
            a.size() > schema.value(QStringLiteral("maxItems")).toInt()) {
            errors << QStringLiteral("%1: at most %2 items")
                          .arg(path)
                          .arg(schema.value(QStringLiteral("maxItems")).toInt());
        }
        if (schema.contains(QStringLiteral("minItems")) &&
            a.size() < schema.value(QStringLiteral("minItems")).toInt()) {
            errors << QStringLiteral("%1: at least %2 items")
                          .arg(path)
                          .arg(schema.value(QStringLiteral("minItems")).toInt());
        }
        if (schema.value(QStringLiteral("items")).isObject()) {
            for (int i = 0; i < a.size(); ++i) {
                visit(a.at(i), schema.value(QStringLiteral("items")).toObject(),
                      QStringLiteral("%1[%2]").arg(path).arg(i), errors);
            }
        }
    }
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (schema.contains(QStringLiteral("minimum")) && d < schema.value(QStringLiteral("minimum")).toDouble()) {
            errors << QStringLiteral("%1: must be >= %2")
                          .arg(path)
                          .arg(schema.value(QStringLiteral("minimum")).toDouble());
        }
        if (schema.contains(QStringLiteral("maximum")) && d > schema.value(QStringLiteral("maximum")).toDouble()) {
            errors << QStringLiteral("%1: must be <= %2")
                          .arg(path)
                          .arg(schema.value(QStringLiteral("maximum")).toDouble());
        }
    }
    if (value.isString()) {
        const QString s = value.toString();
        if (schema.contains(QStringLiteral("minLength")) &&
            s.size() < schema.value(QStringLiteral("minLength")).toInt()) {
            errors << QStringLiteral("%1: at least %2 characters")
                          .arg(path)
                          .arg(schema.value(QStringLiteral("minLength")).toInt());
        }
        if (schema.contains(QStringLiteral("maxLength")) &&
            s.size() > schema.value(QStringLiteral("maxLength")).toInt()) {
            errors << QStringLiteral("%1: at most %2 characters")
                          .arg(path)
                          .arg(schema.value(QStringLiteral("maxLength")).toInt());
        }
        if (schema.contains(QStringLiteral("pattern"))) {
            const QRegularExpression re(schema.value(QStringLiteral("pattern")).toString());
            if (re.isValid() && !re.match(s).hasMatch()) {
                errors << QStringLiteral("%1: does not match the pattern %2").arg(path, re.pattern());
            }
        }
    }
}

} // namespace gpudeck::test
