#include "app/Core.h"

#include "api/ApiServer.h"
#include "logging/Logging.h"

namespace gpudeck {

Core::Core(AppPaths paths, QObject *parent)
    : QObject(parent)
    , m_paths(std::move(paths))
    , m_db(m_paths.databasePath())
    , m_connections(m_db, &m_events)
    , m_projects(m_db, &m_events)
    , m_jobs(m_db, &m_events)
{
}

Core::~Core()
{
    stopApi();
}

Status Core::open()
{
    QString error;
    if (!m_paths.ensureExists(&error)) {
        return Error::internal(error);
    }
    if (Status s = m_db.open(); !s.ok()) {
        return s;
    }
    qCInfo(lcStore).noquote() << QStringLiteral("database %1 (schema %2)").arg(m_db.path()).arg(m_db.schemaVersion());
    auto token = ApiToken::load(m_paths.tokenPath());
    if (!token.ok()) {
        return token.error();
    }
    m_token = token.value();
    return {};
}

Result<quint16> Core::startApi(quint16 port)
{
    m_api = std::make_unique<ApiServer>(m_db, ApiContext{m_connections, m_projects, m_jobs}, m_token);
    auto bound = m_api->start(port);
    if (!bound.ok()) {
        m_api.reset();
    }
    return bound;
}

void Core::stopApi()
{
    if (m_api) {
        m_api->stop();
        m_api.reset();
    }
}

quint16 Core::apiPort() const
{
    return m_api ? m_api->port() : 0;
}

} // namespace gpudeck
