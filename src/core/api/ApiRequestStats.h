#pragma once

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QString>
#include <map>
#include <tuple>

namespace gpudeck {

// How many requests the API answered, by method, route pattern and status: what GET /metrics exports as
// gpudeck_api_requests_total. Counted by HttpServer for every request the router saw or the guard refused at the
// head. The labels are bounded (known methods, route patterns, status codes), never a raw path. Thread-safe; a
// count costs one short lock.
class ApiRequestStats
{
public:
    struct Count
    {
        QByteArray method; // GET, POST, ... or "other"
        QString route;     // the route's pattern ("/api/dgx/jobs/:id"), or "unmatched"
        int status = 0;
        quint64 count = 0;
    };

    static QString unmatched() { return QStringLiteral("unmatched"); }

    void add(const QByteArray &method, const QString &route, int status);
    QList<Count> counts() const; // sorted by method, route, status

private:
    mutable QMutex m_mutex;
    std::map<std::tuple<QByteArray, QString, int>, quint64> m_counts;
};

} // namespace gpudeck
