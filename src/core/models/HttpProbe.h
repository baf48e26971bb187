#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

class QNetworkAccessManager;

namespace gpudeck {

class SshPool;

// Where a host's HTTP ports are reached.
struct ProbeTarget
{
    QString host;            // connection name, for messages
    QString address;         // IPv4 address (or a hostname not resolved yet)
    qint64 connectionId = 0; // for the SSH fallback
    bool sshConnected = false;
    bool viaSsh = false; // models.yaml says `via: ssh`: never try the port directly
};

struct ProbeResult
{
    int status = 0; // HTTP status; 0 when nothing answered
    QByteArray body;
    bool refused = false; // nothing listens on the port (connection refused)
    bool viaSsh = false;  // went through the SSH link (a forwarded port)
    QString error;        // why there is no answer, for people
    qint64 elapsedMs = 0;

    bool answered() const { return status > 0; }
    QString describe() const; // "HTTP 503", "connection refused", ...
};

// HTTP GETs to a host's model and service ports, on the thread it lives on (the models thread). Direct to the
// host's address first (a hostname is resolved here, IPv4 first: serving processes bind IPv4 only); when that
// cannot connect and the host's SSH link is up, the same GET goes through the link (SshPool::forward: a local
// port forwarded to 127.0.0.1:PORT on the host), which reaches ports bound to the host's localhost or firewalled
// from here. A host whose ports answered only that way is probed through the link from then on (direct is
// retried every 5 minutes), and the proxy is told (tunnelled()) so that it goes the same way. `via: ssh` in
// models.yaml skips the direct attempt.
class HttpProbe : public QObject
{
    Q_OBJECT
public:
    HttpProbe(SshPool &pool, QObject *parent = nullptr);
    ~HttpProbe() override;

    void get(const ProbeTarget &target, int port, const QString &path, int timeoutMs,
             std::function<void(const ProbeResult &)> done);

    // Called (on the probe's thread) when an address turns out reachable only through the SSH link, or again directly.
    void setReachObserver(std::function<void(const QString &address, bool tunnelled)> observer)
    {
        m_observer = std::move(observer);
    }

    // The model ids in an OpenAI `GET /v1/models` answer ({"data": [{"id": ...}]}).
    static QStringList listedModels(const QByteArray &body);

private:
    void direct(const ProbeTarget &target, int port, const QString &path, int timeoutMs,
                std::function<void(const ProbeResult &)> done);
    void overSsh(const ProbeTarget &target, int port, const QString &path, int timeoutMs,
                 std::function<void(const ProbeResult &)> done);
    void fetch(const QString &address, int port, const QString &path, int timeoutMs,
               std::function<void(const ProbeResult &)> done);
    void setReach(const QString &address, bool tunnelled);

    enum class Reach { Unknown, Direct, SshOnly };
    struct HostReach
    {
        Reach reach = Reach::Unknown;
        QDateTime since;
    };

    SshPool &m_pool;
    QNetworkAccessManager *m_nam;
    QHash<QString, HostReach> m_reach;  // by address
    QHash<QString, QString> m_resolved; // hostname → IPv4 address (or the first address when it has none)
    std::function<void(const QString &, bool)> m_observer;
};

} // namespace gpudeck
