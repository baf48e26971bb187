#include "api/Router.h"

namespace gpudeck {
namespace {

bool isAction(const QByteArray &method)
{
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

QStringList splitPath(const QString &path)
{
    return path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
}

} // namespace

void Router::add(const QByteArray &method, const QString &pattern, Handler handler)
{
    m_routes.append({method, pattern, splitPath(pattern), std::move(handler), {}, {}});
    m_routes.last().audited = isAction(method);
}

void Router::addStream(const QByteArray &method, const QString &pattern, StreamHandler handler)
{
    m_routes.append({method, pattern, splitPath(pattern), {}, {}, std::move(handler)});
    m_routes.last().audited = isAction(method);
}

void Router::addAsync(const QByteArray &method, const QString &pattern, AsyncHandler handler)
{
    m_routes.append({method, pattern, splitPath(pattern), {}, std::move(handler), {}});
    m_routes.last().audited = isAction(method);
}

Router::Match Router::match(const QByteArray &method, const QString &path) const
{
    Match result;
    // Views into `path`: no string per segment for every request.
    const QList<QStringView> segments = QStringView(path).split(u'/', Qt::SkipEmptyParts);
    for (const Route &route : m_routes) {
        if (route.segments.size() != segments.size()) {
            continue;
        }
        QHash<QString, QString> params;
        bool matches = true;
        for (qsizetype i = 0; i < segments.size() && matches; ++i) {
            const QString &want = route.segments.at(i);
            if (want.startsWith(QLatin1Char(':'))) {
                params.insert(want.mid(1), segments.at(i).toString());
            } else {
                matches = want == segments.at(i);
            }
        }
        if (!matches) {
            continue;
        }
        if (route.method == method) {
            result.outcome = Outcome::Found;
            result.handler = route.handler ? &route.handler : nullptr;
            result.asyncHandler = route.asyncHandler ? &route.asyncHandler : nullptr;
            result.streamHandler = route.streamHandler ? &route.streamHandler : nullptr;
            result.params = std::move(params);
            result.bodyLimit = route.bodyLimit;
            result.queryParams = route.queryParams;
            result.rawBody = route.rawBody;
            result.streamedBody = route.streamedBody;
            result.pattern = route.pattern;
            result.audited = route.audited;
            return result;
        }
        result.outcome = Outcome::MethodNotAllowed;
        result.allowedMethods.append(route.method);
    }
    return result;
}

void Router::setBodyLimit(const QByteArray &method, const QString &pattern, qsizetype bytes)
{
    for (Route &route : m_routes) {
        if (route.method == method && route.pattern == pattern) {
            route.bodyLimit = bytes;
        }
    }
}

void Router::setQueryParams(const QByteArray &method, const QString &pattern, const QStringList &names)
{
    for (Route &route : m_routes) {
        if (route.method == method && route.pattern == pattern) {
            route.queryParams = names;
        }
    }
}

void Router::setRawBody(const QByteArray &method, const QString &pattern)
{
    for (Route &route : m_routes) {
        if (route.method == method && route.pattern == pattern) {
            route.rawBody = true;
        }
    }
}

void Router::setStreamedBody(const QByteArray &method, const QString &pattern, const QByteArray &mediaType)
{
    for (Route &route : m_routes) {
        if (route.method == method && route.pattern == pattern) {
            route.rawBody = true;
            route.streamedBody = mediaType;
        }
    }
}

QStringList Router::queryParams(const QByteArray &method, const QString &pattern) const
{
    for (const Route &route : m_routes) {
        if (route.method == method && route.pattern == pattern) {
            return route.queryParams;
        }
    }
    return {};
}

void Router::setAudited(const QByteArray &method, const QString &pattern, bool audited)
{
    for (Route &route : m_routes) {
        if (route.method == method && route.pattern == pattern) {
            route.audited = audited;
        }
    }
}

QStringList Router::routes() const
{
    QStringList out;
    for (const Route &route : m_routes) {
        out << QString::fromLatin1(route.method) + QLatin1Char(' ') + route.pattern;
    }
    return out;
}

} // namespace gpudeck
