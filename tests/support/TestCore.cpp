#include "TestCore.h"

#include <QTest>

namespace gpudeck::test {

TestCore::TestCore(bool startApi, std::unique_ptr<SecretStore> secrets)
{
    qunsetenv("API_SERVER_KEY");
    // Never trust (or touch) the real user's ~/.ssh/known_hosts from a test.
    qputenv("GPUDECK_USER_KNOWN_HOSTS", m_dir.filePath(QStringLiteral("user_known_hosts")).toUtf8());
    m_core = std::make_unique<Core>(AppPaths(m_dir.path()), std::move(secrets));
    if (Status s = m_core->open(); !s.ok()) {
        qFatal("TestCore: cannot open core: %s", qPrintable(s.error().message));
    }
    if (startApi) {
        if (auto port = m_core->startApi(0); !port.ok()) {
            qFatal("TestCore: cannot start API: %s", qPrintable(port.error().message));
        }
    }
}

TestCore::~TestCore()
{
    m_core.reset();
}

QString TestCore::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}

} // namespace gpudeck::test
