#include "api/ApiRequestStats.h"

namespace gpudeck {
namespace {

QByteArray knownMethod(const QByteArray &method)
{
    static const QByteArrayList known{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
    return known.contains(method) ? method : QByteArrayLiteral("other");
}

} // namespace

void ApiRequestStats::add(const QByteArray &method, const QString &route, int status)
{
    QMutexLocker lock(&m_mutex);
    ++m_counts[{knownMethod(method), route.isEmpty() ? unmatched() : route, status}];
}

QList<ApiRequestStats::Count> ApiRequestStats::counts() const
{
    QList<Count> out;
    QMutexLocker lock(&m_mutex);
    out.reserve(qsizetype(m_counts.size()));
    for (const auto &[key, count] : m_counts) {
        out.append({std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
    }
    return out;
}

} // namespace gpudeck
