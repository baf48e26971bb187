#include "FakeProxmox.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QProcess>
#include <QRandomGenerator>
#include <QSemaphore>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>
#include <functional>

namespace gpudeck::test {

struct FakeProxmox::State
{
    struct Node
    {
        QString name;
        bool online = true;
        QString mac;
    };
    struct Guest
    {
        int vmid;
        QString name;
        QString node;
        QString type;
        QString status;
        QString tags;
    };
    struct Storage
    {
        QString node;
        QString storage;
        QString plugin;
        qint64 used;
        qint64 total;
        bool shared;
    };
    struct Task
    {
        QString upid;
        QString node;
        QString type;
        int vmid;
        QString action;
        int pollsLeft;
        QString exitStatus;
        qint64 start;
    };

    mutable QMutex mutex;
    bool quorate = true;
    QList<Node> nodes;
    QList<Guest> guests;
    QList<Storage> storage;
    QHash<QString, Task> tasks;
    int taskPolls = 2;
    QString failNext;
    QStringList requests;
    QHash<QString, int> requestsByCert;
    int unauthorized = 0;
    QString lastWake;
    QString lastActionParams;
    int pid = 0x1000;
    QString expectedAuth;
    std::function<FakeProxmox::Cert()> cert;
};

namespace {

QByteArray json(const QJsonValue &data)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("data"), data}}).toJson(QJsonDocument::Compact);
}

QString hex8(qint64 v)
{
    return QStringLiteral("%1").arg(v, 8, 16, QLatin1Char('0')).toUpper();
}

struct Answer
{
    int status = 200;
    QByteArray reason = "OK";
    QByteArray body;
};

Answer handle(FakeProxmox::State &st, const QByteArray &method, const QString &rawPath, const QUrlQuery &query,
              const QUrlQuery &form, const QByteArray &auth, const QString &certificate)
{
    QMutexLocker lock(&st.mutex);
    ++st.requestsByCert[certificate];
    QString path = rawPath;
    if (path.startsWith(QStringLiteral("/api2/json"))) {
        path = path.mid(10);
    }
    st.requests << QString::fromLatin1(method) + QLatin1Char(' ') + path;
    if (auth != st.expectedAuth.toUtf8()) {
        ++st.unauthorized;
        return {401, "No ticket", json(QJsonValue())};
    }
    const QStringList seg = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    auto find = [&](int vmid) -> FakeProxmox::State::Guest * {
        for (auto &g : st.guests) {
            if (g.vmid == vmid) {
                return &g;
            }
        }
        return nullptr;
    };
    if (method == "GET" && path == QStringLiteral("/version")) {
        return {200, "OK",
                json(QJsonObject{{QStringLiteral("version"), QStringLiteral("8.2.4")},
                                 {QStringLiteral("release"), QStringLiteral("8.2")},
                                 {QStringLiteral("repoid"), QStringLiteral("faa83925c9641325")}})};
    }
    if (method == "GET" && path == QStringLiteral("/cluster/status")) {
        int online = 0;
        QJsonArray out;
        int id = 1;
        for (const auto &n : st.nodes) {
            online += n.online ? 1 : 0;
            out.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("node")},
                                   {QStringLiteral("id"), QStringLiteral("node/") + n.name},
                                   {QStringLiteral("name"), n.name},
                                   {QStringLiteral("nodeid"), id},
                                   {QStringLiteral("ip"), QStringLiteral("198.51.100.%1").arg(10 + id)},
                                   {QStringLiteral("online"), n.online ? 1 : 0},
                                   {QStringLiteral("local"), id == 1 ? 1 : 0},
                                   {QStringLiteral("level"), QString()}});
            ++id;
        }
        out.prepend(QJsonObject{{QStringLiteral("type"), QStringLiteral("cluster")},
                                {QStringLiteral("id"), QStringLiteral("cluster")},
                                {QStringLiteral("name"), QStringLiteral("lab")},
                                {QStringLiteral("nodes"), int(st.nodes.size())},
                                {QStringLiteral("quorate"), st.quorate ? 1 : 0},
                                {QStringLiteral("version"), 5}});
        return {200, "OK", json(out)};
    }
    if (method == "GET" && path == QStringLiteral("/nodes")) {
        QJsonArray out;
        const QString fp = st.cert().fingerprint;
        for (const auto &n : st.nodes) {
            QJsonObject o{{QStringLiteral("node"), n.name},
                          {QStringLiteral("status"), n.online ? QStringLiteral("online") : QStringLiteral("offline")},
                          {QStringLiteral("ssl_fingerprint"), fp},
                          {QStringLiteral("level"), QString()}};
            if (n.online) {
                o.insert(QStringLiteral("cpu"), 0.125);
                o.insert(QStringLiteral("maxcpu"), 16);
                o.insert(QStringLiteral("mem"), 17179869184.0);
                o.insert(QStringLiteral("maxmem"), 68719476736.0);
                o.insert(QStringLiteral("uptime"), 86400);
            }
            out.append(o);
        }
        return {200, "OK", json(out)};
    }
    if (method == "GET" && path == QStringLiteral("/cluster/resources")) {
        const QString type = query.queryItemValue(QStringLiteral("type"));
        QJsonArray out;
        if (type == QStringLiteral("vm") || type.isEmpty()) {
            for (const auto &g : st.guests) {
                const bool running = g.status == QStringLiteral("running");
                out.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("%1/%2").arg(g.type).arg(g.vmid)},
                                       {QStringLiteral("type"), g.type},
                                       {QStringLiteral("vmid"), g.vmid},
                                       {QStringLiteral("name"), g.name},
                                       {QStringLiteral("node"), g.node},
                                       {QStringLiteral("status"), g.status},
                                       {QStringLiteral("cpu"), running ? 0.03 : 0},
                                       {QStringLiteral("maxcpu"), 4},
                                       {QStringLiteral("mem"), running ? 2147483648.0 : 0},
                                       {QStringLiteral("maxmem"), 8589934592.0},
                                       {QStringLiteral("disk"), 0},
                                       {QStringLiteral("maxdisk"), 34359738368.0},
                                       {QStringLiteral("uptime"), running ? 3600 : 0},
                                       {QStringLiteral("tags"), g.tags},
                                       {QStringLiteral("template"), 0},
                                       {QStringLiteral("netin"), 1000},
                                       {QStringLiteral("netout"), 2000}});
            }
        }
        if (type == QStringLiteral("storage") || type.isEmpty()) {
            for (const auto &s : st.storage) {
                out.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("storage/%1/%2").arg(s.node, s.storage)},
                                       {QStringLiteral("type"), QStringLiteral("storage")},
                                       {QStringLiteral("storage"), s.storage},
                                       {QStringLiteral("node"), s.node},
                                       {QStringLiteral("plugintype"), s.plugin},
                                       {QStringLiteral("status"), QStringLiteral("available")},
                                       {QStringLiteral("content"), QStringLiteral("images,rootdir")},
                                       {QStringLiteral("shared"), s.shared ? 1 : 0},
                                       {QStringLiteral("disk"), double(s.used)},
                                       {QStringLiteral("maxdisk"), double(s.total)}});
            }
        }
        return {200, "OK", json(out)};
    }
    // POST /nodes/{node}/{qemu|lxc}/{vmid}/status/{action}
    if (method == "POST" && seg.size() == 6 && seg.at(0) == QStringLiteral("nodes") &&
        seg.at(4) == QStringLiteral("status")) {
        const QString node = seg.at(1);
        const QString type = seg.at(2);
        const int vmid = seg.at(3).toInt();
        const QString action = seg.at(5);
        auto *g = find(vmid);
        if (!g || g->node != node || g->type != type) {
            return {500, "Configuration file does not exist", json(QJsonValue())};
        }
        static const QStringList actions{QStringLiteral("start"), QStringLiteral("shutdown"), QStringLiteral("stop"),
                                         QStringLiteral("reboot")};
        if (!actions.contains(action)) {
            return {501, "Method not implemented", json(QJsonValue())};
        }
        st.lastActionParams = form.toString(QUrl::FullyDecoded);
        const QString prefix = type == QStringLiteral("qemu") ? QStringLiteral("qm") : QStringLiteral("vz");
        const qint64 start = QDateTime::currentSecsSinceEpoch();
        const int pid = ++st.pid;
        const QString upid = QStringLiteral("UPID:%1:%2:%3:%4:%5%6:%7:%8:")
                                 .arg(node, hex8(pid), hex8(pid * 7), hex8(start), prefix, action)
                                 .arg(vmid)
                                 .arg(QStringLiteral("gpudeck@pve!deck"));
        st.tasks.insert(upid, {upid, node, prefix + action, vmid, action, st.taskPolls, st.failNext, start});
        st.failNext.clear();
        return {200, "OK", json(upid)};
    }
    // GET /nodes/{node}/tasks/{upid}/status
    if (method == "GET" && seg.size() == 5 && seg.at(0) == QStringLiteral("nodes") &&
        seg.at(2) == QStringLiteral("tasks") && seg.at(4) == QStringLiteral("status")) {
        auto it = st.tasks.find(seg.at(3));
        if (it == st.tasks.end() || it->node != seg.at(1)) {
            return {404, "no such task", json(QJsonValue())};
        }
        QJsonObject o{{QStringLiteral("upid"), it->upid},
                      {QStringLiteral("node"), it->node},
                      {QStringLiteral("pid"), 4096},
                      {QStringLiteral("pstart"), 123456},
                      {QStringLiteral("starttime"), it->start},
                      {QStringLiteral("type"), it->type},
                      {QStringLiteral("id"), QString::number(it->vmid)},
                      {QStringLiteral("user"), QStringLiteral("gpudeck@pve!deck")}};
        if (it->pollsLeft > 0) {
            --it->pollsLeft;
            o.insert(QStringLiteral("status"), QStringLiteral("running"));
            return {200, "OK", json(o)};
        }
        if (it->pollsLeft == 0) { // the end: once
            it->pollsLeft = -1;
            if (it->exitStatus.isEmpty()) {
                it->exitStatus = QStringLiteral("OK");
                if (auto *g = find(it->vmid)) {
                    g->status = it->action == QStringLiteral("shutdown") || it->action == QStringLiteral("stop")
                                    ? QStringLiteral("stopped")
                                    : QStringLiteral("running");
                }
            }
        }
        o.insert(QStringLiteral("status"), QStringLiteral("stopped"));
        o.insert(QStringLiteral("exitstatus"), it->exitStatus);
        return {200, "OK", json(o)};
    }
    if (method == "POST" && seg.size() == 3 && seg.at(0) == QStringLiteral("nodes") &&
        seg.at(2) == QStringLiteral("wakeonlan")) {
        for (const auto &n : st.nodes) {
            if (n.name == seg.at(1)) {
                st.lastWake = n.name;
                return {200, "OK", json(n.mac)};
            }
        }
        return {500, "no such node", json(QJsonValue())};
    }
    return {501, "Method not implemented", json(QJsonValue())};
}

// One HTTPS server on its own thread.
class Server : public QTcpServer
{
public:
    explicit Server(std::shared_ptr<FakeProxmox::State> state)
        : m_state(std::move(state))
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QSslSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        const FakeProxmox::Cert c = m_state->cert();
        socket->setLocalCertificate(QSslCertificate(c.certPem));
        socket->setPrivateKey(QSslKey(c.keyPem, QSsl::Ec));
        socket->setPeerVerifyMode(QSslSocket::VerifyNone);
        auto buffer = std::make_shared<QByteArray>();
        const QString certificate = c.fingerprint;
        connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QSslSocket::errorOccurred, socket, [socket](QAbstractSocket::SocketError) {
            socket->abort();
            socket->deleteLater();
        });
        connect(socket, &QSslSocket::readyRead, socket, [this, socket, buffer, certificate] {
            *buffer += socket->readAll();
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0) {
                return;
            }
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            qsizetype length = 0;
            QByteArray auth;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                const QByteArray name = line.left(colon).trimmed().toLower();
                const QByteArray value = line.mid(colon + 1).trimmed();
                if (name == "content-length") {
                    length = value.toLongLong();
                } else if (name == "authorization") {
                    auth = value;
                }
            }
            if (buffer->size() < end + 4 + length) {
                return;
            }
            const QByteArray body = buffer->mid(end + 4, length);
            buffer->clear();
            const QUrl url(QString::fromLatin1(first.value(1)));
            const Answer a = handle(*m_state, first.value(0), QUrl::fromPercentEncoding(url.path().toLatin1()),
                                    QUrlQuery(url), QUrlQuery(QString::fromUtf8(body)), auth, certificate);
            QByteArray out = "HTTP/1.1 " + QByteArray::number(a.status) + ' ' + a.reason +
                             "\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: " +
                             QByteArray::number(a.body.size()) + "\r\nConnection: close\r\n\r\n" + a.body;
            socket->write(out);
            socket->disconnectFromHost();
        });
        socket->startServerEncryption();
    }

private:
    std::shared_ptr<FakeProxmox::State> m_state;
};

class ServerThread : public QThread
{
public:
    std::shared_ptr<FakeProxmox::State> state;
    quint16 port = 0;
    QSemaphore ready;

protected:
    void run() override
    {
        Server server(state);
        if (server.listen(QHostAddress::LocalHost, 0)) {
            port = server.serverPort();
        }
        ready.release();
        if (port != 0) {
            exec();
        }
    }
};

} // namespace

FakeProxmox::FakeProxmox()
    : m_state(std::make_shared<State>())
{
    m_secret = QString::number(QRandomGenerator::system()->generate64(), 16) + QStringLiteral("-test-only");
    m_state->expectedAuth = QStringLiteral("PVEAPIToken=%1=%2").arg(tokenId(), m_secret);
    m_state->cert = [this] { return cert(); };
    m_state->nodes = {{QStringLiteral("pve1"), true, QStringLiteral("02:00:00:00:00:01")},
                      {QStringLiteral("pve2"), true, QStringLiteral("02:00:00:00:00:02")},
                      {QStringLiteral("pve3"), true, QStringLiteral("02:00:00:00:00:03")}};
    m_state->guests = {{100, QStringLiteral("web"), QStringLiteral("pve1"), QStringLiteral("qemu"),
                        QStringLiteral("running"), QStringLiteral("prod;web")},
                       {101, QStringLiteral("db"), QStringLiteral("pve2"), QStringLiteral("qemu"),
                        QStringLiteral("stopped"), QString()},
                       {200, QStringLiteral("dns"), QStringLiteral("pve1"), QStringLiteral("lxc"),
                        QStringLiteral("running"), QStringLiteral("infra")}};
    const qint64 gib = qint64(1) << 30;
    for (const auto &n : m_state->nodes) {
        m_state->storage.append({n.name, QStringLiteral("local"), QStringLiteral("dir"), 20 * gib, 100 * gib, false});
    }
    m_state->storage.append(
        {QStringLiteral("pve1"), QStringLiteral("tank"), QStringLiteral("zfspool"), 400 * gib, 1000 * gib, true});
}

FakeProxmox::~FakeProxmox()
{
    stop();
}

FakeProxmox::Cert FakeProxmox::cert() const
{
    QMutexLocker lock(&m_mutex);
    return m_cert;
}

QString FakeProxmox::fingerprint() const
{
    return cert().fingerprint;
}

QString FakeProxmox::otherFingerprint() const
{
    const QString mine = fingerprint();
    return (mine.startsWith(QLatin1String("AA:")) ? QStringLiteral("BB:") : QStringLiteral("AA:")) + mine.mid(3);
}

bool FakeProxmox::makeCertificate(QString *error)
{
    const QString dir = m_dir->path();
    const QString key = dir + QStringLiteral("/key-%1.pem").arg(m_certSerial);
    const QString crt = dir + QStringLiteral("/cert-%1.pem").arg(m_certSerial);
    ++m_certSerial;
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                   QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                   QStringLiteral("-keyout"), key, QStringLiteral("-out"), crt, QStringLiteral("-days"),
                   QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=pve1.example.invalid")});
    if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0) {
        if (error) {
            *error = QStringLiteral("openssl req -x509 failed: ") + QString::fromLocal8Bit(openssl.readAll());
        }
        return false;
    }
    QFile k(key);
    QFile c(crt);
    if (!k.open(QIODevice::ReadOnly) || !c.open(QIODevice::ReadOnly)) {
        if (error) {
            *error = QStringLiteral("cannot read the certificate openssl made");
        }
        return false;
    }
    Cert made;
    made.keyPem = k.readAll();
    made.certPem = c.readAll();
    const QByteArray hex = QSslCertificate(made.certPem).digest(QCryptographicHash::Sha256).toHex().toUpper();
    QStringList pairs;
    for (int i = 0; i < hex.size(); i += 2) {
        pairs << QString::fromLatin1(hex.mid(i, 2));
    }
    made.fingerprint = pairs.join(QLatin1Char(':'));
    QMutexLocker lock(&m_mutex);
    m_cert = made;
    return true;
}

bool FakeProxmox::start(QString *error)
{
    if (!QSslSocket::supportsSsl()) {
        if (error) {
            *error = QStringLiteral("Qt has no TLS backend here");
        }
        return false;
    }
    m_dir = std::make_unique<QTemporaryDir>();
    if (!makeCertificate(error)) {
        return false;
    }
    auto thread = std::make_unique<ServerThread>();
    thread->state = m_state;
    thread->start();
    thread->ready.acquire();
    m_port = thread->port;
    if (m_port == 0) {
        thread->wait();
        if (error) {
            *error = QStringLiteral("cannot listen on loopback");
        }
        return false;
    }
    m_thread = std::move(thread);
    return true;
}

void FakeProxmox::stop()
{
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
        m_thread.reset();
    }
}

bool FakeProxmox::renewCertificate(QString *error)
{
    return makeCertificate(error);
}

void FakeProxmox::setQuorate(bool quorate)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->quorate = quorate;
    for (int i = 1; i < m_state->nodes.size(); ++i) {
        m_state->nodes[i].online = quorate;
    }
}

void FakeProxmox::setStorageUse(const QString &node, const QString &storage, qint64 used, qint64 total)
{
    QMutexLocker lock(&m_state->mutex);
    for (auto &s : m_state->storage) {
        if (s.node == node && s.storage == storage) {
            s.used = used;
            s.total = total;
        }
    }
}

void FakeProxmox::setTaskPolls(int polls)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->taskPolls = polls;
}

void FakeProxmox::failNextTask(const QString &exitStatus)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->failNext = exitStatus;
}

QString FakeProxmox::guestStatus(int vmid) const
{
    QMutexLocker lock(&m_state->mutex);
    for (const auto &g : m_state->guests) {
        if (g.vmid == vmid) {
            return g.status;
        }
    }
    return {};
}

QStringList FakeProxmox::requests() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->requests;
}

int FakeProxmox::unauthorized() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->unauthorized;
}

int FakeProxmox::requestsWith(const QString &fingerprint) const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->requestsByCert.value(fingerprint);
}

QString FakeProxmox::lastWakeNode() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->lastWake;
}

QString FakeProxmox::lastActionParams() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->lastActionParams;
}

} // namespace gpudeck::test
